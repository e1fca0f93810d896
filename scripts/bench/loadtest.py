"""Load test: users browsing the map against gunicorn, driven by wrk.

gunicorn runs as a deployment runs it: the repository's gunicorn.conf.py
(gthread workers, keep-alive, preloaded app) and DEBUG off. wrk (a C load
generator, Debian package) leaves the two cores to the server rather than
spending them on the client. Each of its connections is one user: it asks
for what the map asks for on a pan or zoom (the heat map and the location
markers, static/js/layers/), a radius query, the nearest premises or ward
counts, then thinks for 2-8 s (wrk's delay()), for a bounded time. The
session cookie is a real signed-in analyst's.
"""

import json
import os
import random
import runpy
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

from .ops import Context, viewport

ROOT = Path(__file__).resolve().parents[2]
PORT = int(os.environ.get("BENCH_PORT", "8017"))
USERS = 50
DURATION_S = 60
GUNICORN_CONF = ROOT / "gunicorn.conf.py"
# Between two requests a user looks at the map: a pan or zoom every few
# seconds, each bringing a heat map, the premises in view or a query. 2-8 s
# per request (5 s mean) offers about 10 requests a second from 50 users.
THINK_MS = (2_000, 8_000)

LUA = r"""
local paths = {%(paths)s}
local cookie = "%(cookie)s"
math.randomseed(%(seed)d)
local counter = 0
request = function()
  counter = counter + 1
  local p = paths[math.random(#paths)]
  return wrk.format("GET", p, {["Cookie"] = cookie, ["Accept"] = "application/json"})
end
delay = function()
  return math.random(%(think_min)d, %(think_max)d)
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %%d, "duration_us": %%d, "bytes": %%d, "p50_us": %%d, ' ..
    '"p95_us": %%d, "p99_us": %%d, "max_us": %%d, "connect": %%d, "read": %%d, ' ..
    '"write": %%d, "status": %%d, "timeout": %%d}\n',
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.max, e.connect, e.read, e.write, e.status, e.timeout))
end
"""


def request_mix(ctx: Context, seed: int = 1) -> list[str]:
    """What 50 people browsing the map ask for, weighted as a session does:
    the heat map on every pan and zoom, the premises in view, then queries."""
    rng = random.Random(seed)
    paths = []
    for i in range(40):
        zoom = rng.choice([12, 13, 14, 15])
        lon, lat = ctx.point(i)
        sub = Context(anchor=ctx.anchor, lon=lon, lat=lat, points=ctx.points)
        bbox = ",".join(map(str, viewport(sub, zoom)))
        paths.append(
            "/api/v1/heatmap/?" + urlencode({"bbox": bbox, "zoom": zoom, **ctx.period})
        )
        # The locations layer asks for its markers with the same view.
        paths.append(
            "/api/v1/locations/markers/?" + urlencode({"bbox": bbox, "zoom": zoom})
        )
        if i < 15:
            point = f"{lon},{lat}"
            paths.append(
                "/api/v1/query/radius/?"
                + urlencode({"point": point, "radius": 500, **ctx.period})
            )
        if i < 5:
            paths.append(
                "/api/v1/locations/nearest/?" + urlencode({"point": f"{lon},{lat}"})
            )
    paths.append("/api/v1/areas/?" + urlencode({"type": "ward", **ctx.period}))
    return paths


def _session_cookie() -> str:
    from django.conf import settings

    from accounts.roles import ANALYST
    from accounts.services import user_create

    from .runner import client_for

    user = user_create(
        username="bench-analyst",
        password="bench-analyst-password",
        role=ANALYST,
        agency="police",
    )
    # Signed in, with the session's reason given, as the timed operations are.
    client = client_for(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def gunicorn_start(
    *, url: str, port: int = PORT, env: dict | None = None
) -> subprocess.Popen:
    """gunicorn as deployed on `url`'s database, once it answers; `env` adds
    to or overrides the environment (settings module, workers, a standby)."""
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "intel_map.settings.base",
        "DEBUG": "false",
        **(env or {}),
    }
    proc = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "intel_map.wsgi:application",
            "--config",
            str(GUNICORN_CONF),
            "--bind",
            f"127.0.0.1:{port}",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(
                f"http://127.0.0.1:{port}/accounts/login/", timeout=2
            )
            return proc
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError("gunicorn exited") from None
            time.sleep(0.5)
    gunicorn_stop(proc)
    raise RuntimeError("gunicorn did not answer within 60 s")


def gunicorn_stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def gunicorn_shape() -> str:
    """Workers and threads as gunicorn.conf.py sets them here."""
    conf = runpy.run_path(str(GUNICORN_CONF))
    return f"gunicorn {conf['workers']} x {conf['threads']} {conf['worker_class']}"


def loadtest_run(
    *, url: str, ctx: Context, users: int = USERS, duration_s: int = DURATION_S
) -> dict:
    result = {
        "name": f"load_test_{users}",
        "label": f"{users} users, {duration_s} s, wrk",
    }
    wrk = shutil.which("wrk")
    if not wrk:
        result["skipped"] = "wrk is not installed (scripts/setup.sh installs it)"
        return result
    paths = request_mix(ctx)
    lua = LUA % {
        "paths": ", ".join(json.dumps(p) for p in paths),
        "cookie": _session_cookie(),
        "seed": 1,
        "think_min": THINK_MS[0],
        "think_max": THINK_MS[1],
    }
    proc = gunicorn_start(url=url)
    try:
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
            f.write(lua)
        out = subprocess.run(
            [
                wrk,
                "-t2",
                f"-c{users}",
                f"-d{duration_s}s",
                "--timeout",
                "10s",
                "-s",
                f.name,
                f"http://127.0.0.1:{PORT}",
            ],
            capture_output=True,
            text=True,
            timeout=duration_s + 60,
        )
    finally:
        gunicorn_stop(proc)
        Path(f.name).unlink(missing_ok=True)
    line = next((ln for ln in out.stdout.splitlines() if ln.startswith("{")), None)
    if line is None:
        result["skipped"] = (
            f"wrk gave no summary: {out.stdout[-500:]} {out.stderr[-500:]}"
        )
        return result
    s = json.loads(line)
    errors = s["connect"] + s["read"] + s["write"] + s["status"] + s["timeout"]
    rps = s["requests"] / (s["duration_us"] / 1e6)
    result.update(
        {
            "path": f"{len(paths)} map requests, {gunicorn_shape()}",
            "requests": s["requests"],
            "rps": rps,
            "median_ms": s["p50_us"] / 1000,
            "p95_ms": s["p95_us"] / 1000,
            "p99_ms": s["p99_us"] / 1000,
            "errors": errors,
            "error_detail": {
                k: s[k] for k in ("connect", "read", "write", "status", "timeout")
            },
            "summary": f"{rps:.1f} req/s, p95 {s['p95_us'] / 1000:.0f} ms, "
            f"{errors} errors over {s['requests']} requests",
            "targets": [
                {"label": "0 errors", "met": errors == 0},
                {"label": "p95 < 300 ms", "met": s["p95_us"] < 300_000},
            ],
        }
    )
    return result
