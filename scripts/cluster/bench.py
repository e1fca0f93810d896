"""Throughput of the running cluster (`make cluster`) with 1 and 2 app
servers, map reads on the standby or on the primary.

`.venv/bin/python -m scripts.cluster.bench`. wrk drives HAProxy with the
map's request mix from scripts/bench/loadtest.py (heat map, markers, radius,
nearest, ward counts) on the demo city, as one signed-in analyst per
connection, without think time: each configuration is driven to what it
can serve. The machine has 2 cores shared by wrk, HAProxy, the app servers,
PgBouncer and both PostgreSQL nodes, so a second app server can add little;
the figures say how throughput grows here, not on separate machines.
"""

import json
import os
import shutil
import subprocess
import tempfile
from datetime import date
from pathlib import Path

from . import apps, process

USERS = int(os.environ.get("BENCH_USERS", 50))
DURATION_S = int(os.environ.get("BENCH_SECONDS", 30))


def session_cookie_and_paths() -> tuple[str, list[str]]:
    # Django against the cluster, as the app servers see it.
    os.environ.update({k: v for k, v in apps.app_env().items() if k not in os.environ})
    import django

    django.setup()
    from scripts.bench.loadtest import _session_cookie, request_mix
    from scripts.bench.ops import context_make

    paths = request_mix(context_make(anchor=date.today(), seed=1))
    return _session_cookie(), paths


def servers_use(n: int, *, standby: bool) -> None:
    """The first n app servers in HAProxy, restarted if their reads must
    move between the standby and the primary."""
    for i in range(len(apps.APP_PORTS)):
        name = f"app{i + 1}"
        if i >= n:
            apps.haproxy_command(f"disable server app/{name}")
            continue
        if apps.reads_on_standby(i) != standby:
            process.stop(name)
            apps.app_start(i, standby_reads=standby)
        process.wait_for(name, lambda i=i: apps.app_healthy(apps.APP_PORTS[i]), 120)
        apps.haproxy_command(f"enable server app/{name}")
    process.wait_for("HAProxy", lambda: len(apps.haproxy_servers_up()) == n, 30)


def wrk_run(lua: str, seconds: int = DURATION_S) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(lua)
    try:
        out = subprocess.run(
            [
                shutil.which("wrk") or "wrk",
                "-t2",
                f"-c{USERS}",
                f"-d{seconds}s",
                "--timeout",
                "10s",
                "-s",
                f.name,
                apps.URL,
            ],
            capture_output=True,
            text=True,
            timeout=seconds + 60,
        )
    finally:
        Path(f.name).unlink(missing_ok=True)
    line = next(ln for ln in out.stdout.splitlines() if ln.startswith("{"))
    s = json.loads(line)
    errors = sum(s[k] for k in ("connect", "read", "write", "status", "timeout"))
    return {
        "rps": s["requests"] / (s["duration_us"] / 1e6),
        "p50_ms": s["p50_us"] / 1000,
        "p95_ms": s["p95_us"] / 1000,
        "requests": s["requests"],
        "errors": errors,
    }


def main() -> None:
    cookie, paths = session_cookie_and_paths()
    from scripts.bench.loadtest import LUA

    lua = LUA % {
        "paths": ", ".join(json.dumps(p) for p in paths),
        "cookie": cookie,
        "seed": 1,
        "think_min": 0,
        "think_max": 0,
    }
    print(f"{USERS} connections, {DURATION_S} s each, no think time; 2 cores")
    print("| App servers | Map reads on | req/s | p50 | p95 | errors | load average |")
    print("|---|---|---|---|---|---|---|")
    try:
        for n, standby in ((1, True), (2, True), (2, False), (1, False)):
            servers_use(n, standby=standby)
            wrk_run(lua, seconds=8)  # each worker's first requests, not timed
            r = wrk_run(lua)
            load = os.getloadavg()
            print(
                f"| {n} | {'standby' if standby else 'primary'} | {r['rps']:.1f} "
                f"| {r['p50_ms']:.0f} ms | {r['p95_ms']:.0f} ms | {r['errors']} of "
                f"{r['requests']} | {load[0]:.2f}, {load[1]:.2f}, {load[2]:.2f} |",
                flush=True,
            )
    finally:
        servers_use(apps.app_servers(), standby=True)


if __name__ == "__main__":
    main()
