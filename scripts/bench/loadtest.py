"""Load test: users browsing the map against gunicorn, driven by wrk.

gunicorn runs as a deployment runs it: the repository's gunicorn.conf.py
(gthread workers, keep-alive, preloaded app) and DEBUG off. wrk (a C load
generator, Debian package) leaves the two cores to the server rather than
spending them on the client. Each of its connections is one user: it asks
for what the map asks for on a pan or zoom (the heat map and the location
markers, static/js/layers/), a radius query, the nearest premises or ward
counts, then thinks for 2-8 s (wrk's delay()), for a bounded time. The
session cookie is a real signed-in analyst's.

Each user is one wrk thread with one connection, so a thread's Lua state is
that user's browser: it keeps the ETag of each answer and asks again with
If-None-Match, as the browser does with `Cache-Control: private, no-cache`.
Revalidated answers (304) are counted apart from full ones (200), and
gunicorn's access log gives the server's own time for each kind. After the
run the peak resident memory (VmHWM) of every worker is read from /proc.
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
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlencode

from .ops import Context, viewport
from .scales import LOAD_P95_TARGET_MS

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
local threads = {}
setup = function(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end
init = function(args)
  -- One connection per thread: this state is one user's browser.
  math.randomseed(%(seed)d * 1000 + id)
  etags, last = {}, nil
  full, revalidated, other = 0, 0, 0
end
request = function()
  last = paths[math.random(#paths)]
  local headers = {["Cookie"] = cookie, ["Accept"] = "application/json"}
  if etags[last] then headers["If-None-Match"] = etags[last] end
  return wrk.format("GET", last, headers)
end
response = function(status, headers, body)
  if status == 304 then
    revalidated = revalidated + 1
  elseif status == 200 then
    full = full + 1
    if headers["ETag"] then etags[last] = headers["ETag"] end
  else
    other = other + 1
  end
end
delay = function()
  return math.random(%(think_min)d, %(think_max)d)
end
done = function(summary, latency, requests)
  local e = summary.errors
  local n200, n304, nother = 0, 0, 0
  for _, t in ipairs(threads) do
    n200 = n200 + t:get("full")
    n304 = n304 + t:get("revalidated")
    nother = nother + t:get("other")
  end
  io.write(string.format(
    '{"requests": %%d, "duration_us": %%d, "bytes": %%d, "p50_us": %%d, ' ..
    '"p95_us": %%d, "p99_us": %%d, "max_us": %%d, "connect": %%d, "read": %%d, ' ..
    '"write": %%d, "status": %%d, "timeout": %%d, "n200": %%d, "n304": %%d, ' ..
    '"nother": %%d}\n',
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.max, e.connect, e.read, e.write, e.status, e.timeout,
    n200, n304, nother))
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

    from .runner import bench_analyst, client_for

    # Signed in, with the session's reason given, as the timed operations are.
    client = client_for(bench_analyst())
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def gunicorn_start(
    *,
    url: str,
    port: int = PORT,
    env: dict | None = None,
    extra_args: list[str] | None = None,
) -> subprocess.Popen:
    """gunicorn as deployed on `url`'s database, once it answers; `env` adds
    to or overrides the environment (settings module, workers, a standby),
    `extra_args` to the command line (an access log)."""
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
            *(extra_args or []),
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


def _proc_kib(pid: int, field: str) -> int | None:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def gunicorn_workers(proc: subprocess.Popen) -> list[int]:
    """The worker processes the gunicorn master has forked."""
    try:
        with open(f"/proc/{proc.pid}/task/{proc.pid}/children") as f:
            return sorted(int(pid) for pid in f.read().split())
    except OSError:
        return []


def worker_peak_rss(proc: subprocess.Popen) -> dict[int, float]:
    """Each worker's peak resident memory in MiB (VmHWM), read while it runs.
    Pages shared with the preloaded master count in every worker."""
    peaks = {}
    for pid in gunicorn_workers(proc):
        kib = _proc_kib(pid, "VmHWM")
        if kib is not None:
            peaks[pid] = kib / 1024
    return peaks


# gunicorn's access log, one line a request: status, time taken (µs), and
# the path with its query string.
ACCESS_LOG_FORMAT = "%(s)s %(D)s %(U)s?%(q)s"


def request_kind(path_and_query: str) -> str:
    """What the map asked for: the endpoint, and the zoom of a heat map."""
    path, _, query = path_and_query.partition("?")
    kind = path.rstrip("/").rsplit("/", 1)[-1] or path
    if kind == "heatmap":
        zoom = next((p[5:] for p in query.split("&") if p.startswith("zoom=")), "?")
        kind = f"heatmap z{zoom}"
    return kind


def access_log_rows(path: Path) -> dict[str, list[tuple[str, float]]]:
    """(kind, seconds) of each request in gunicorn's access log, by status."""
    rows: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for line in path.read_text().splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0].isdigit() and parts[1].isdigit():
            kind = request_kind(parts[2]) if len(parts) > 2 else "?"
            rows[parts[0]].append((kind, int(parts[1]) / 1e6))
    return rows


def times_by(groups: dict[str, list[float]]) -> dict[str, dict]:
    """The server's own count, median and p95 (ms) of each group of
    request times (seconds): by status, or by kind of request."""
    from .stats import summarize

    out = {}
    for key, seconds in sorted(groups.items()):
        summary = summarize(seconds)
        out[key] = {
            "n": len(seconds),
            "median_ms": summary["median_ms"],
            "p95_ms": summary["p95_ms"],
        }
    return out


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
    work = Path(tempfile.mkdtemp(prefix="intel-map-load-"))
    script, access_log = work / "users.lua", work / "access.log"
    script.write_text(lua)
    proc = gunicorn_start(
        url=url,
        extra_args=[
            "--access-logfile",
            str(access_log),
            "--access-logformat",
            ACCESS_LOG_FORMAT,
        ],
    )
    try:
        out = subprocess.run(
            [
                wrk,
                # One thread per user, one connection each (LUA above).
                f"-t{users}",
                f"-c{users}",
                f"-d{duration_s}s",
                "--timeout",
                "10s",
                "-s",
                str(script),
                f"http://127.0.0.1:{PORT}",
            ],
            capture_output=True,
            text=True,
            timeout=duration_s + 60,
        )
        peaks = worker_peak_rss(proc)
    finally:
        gunicorn_stop(proc)
    rows = access_log_rows(access_log) if access_log.exists() else {}
    server_ms = times_by({status: [t for _, t in r] for status, r in rows.items()})
    # What sets the tail: full answers by kind of request.
    kinds: dict[str, list[float]] = defaultdict(list)
    for kind, seconds in rows.get("200", []):
        kinds[kind].append(seconds)
    by_kind = times_by(kinds)
    shutil.rmtree(work, ignore_errors=True)
    line = next((ln for ln in out.stdout.splitlines() if ln.startswith("{")), None)
    if line is None:
        result["skipped"] = (
            f"wrk gave no summary: {out.stdout[-500:]} {out.stderr[-500:]}"
        )
        return result
    s = json.loads(line)
    # Any answer that is neither a full one (200) nor a revalidation (304) is
    # an error: wrk's status errors (4xx, 5xx) and a redirect to sign in.
    errors = s["connect"] + s["read"] + s["write"] + s["timeout"] + s["nother"]
    rps = s["requests"] / (s["duration_us"] / 1e6)
    p95_ms = s["p95_us"] / 1000
    target_ms = LOAD_P95_TARGET_MS.get(users, 250 if users <= 50 else 500)
    rss = sorted(peaks.values())
    full = server_ms.get("200", {})
    result.update(
        {
            "path": f"{len(paths)} map requests, {gunicorn_shape()}",
            "requests": s["requests"],
            "full": s["n200"],
            "revalidated": s["n304"],
            "rps": rps,
            "median_ms": s["p50_us"] / 1000,
            "p95_ms": p95_ms,
            "p99_ms": s["p99_us"] / 1000,
            "errors": errors,
            "error_detail": {
                k: s[k]
                for k in ("connect", "read", "write", "status", "timeout", "nother")
            },
            "server_ms": server_ms,
            "server_by_kind": by_kind,
            "worker_peak_rss_mib": [round(m, 1) for m in rss],
            "summary": f"{rps:.1f} req/s, p95 {p95_ms:.0f} ms, "
            f"{errors} errors over {s['requests']} requests "
            f"({s['n200']} full, {s['n304']} revalidated 304); "
            + (f"server p95 {full['p95_ms']:.0f} ms for full answers; " if full else "")
            + "worker peak RSS "
            + ", ".join(f"{m:.0f}" for m in rss)
            + " MiB; slowest (server p95): "
            + ", ".join(
                f"{kind} {v['p95_ms']:.0f} ms"
                for kind, v in sorted(by_kind.items(), key=lambda kv: -kv[1]["p95_ms"])[
                    :4
                ]
            ),
            "targets": [
                {"label": "0 errors", "met": errors == 0},
                {"label": f"p95 < {target_ms} ms", "met": p95_ms < target_ms},
            ],
        }
    )
    return result
