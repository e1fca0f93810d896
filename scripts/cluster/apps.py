"""The application half of `make cluster`: schema and demo data on the
cluster, two or three gunicorn app servers, HAProxy in front of them.

The app servers are configured only through the environment (`app_env`):
every node in libpq's multi-host form, through each node's PgBouncer, so a
failover needs no reconfiguration.
"""

import os
import socket
import subprocess
import urllib.request

from . import nodes
from .nodes import BASE_PORT
from .process import ROOT, STATE, running, say, spawn, stop, wait_for

HAPROXY_PORT = BASE_PORT + 30
HAPROXY_STATS_PORT = BASE_PORT + 31
APP_PORTS = tuple(BASE_PORT + 21 + i for i in range(3))
PYTHON = ROOT / ".venv" / "bin" / "python"
URL = f"http://127.0.0.1:{HAPROXY_PORT}"


def app_servers() -> int:
    n = int(os.environ.get("APP_SERVERS", 3))
    if not 1 <= n <= len(APP_PORTS):
        raise SystemExit(f"APP_SERVERS must be 1 to {len(APP_PORTS)}, not {n}")
    return n


def app_env(*, pooled: bool = True, standby_reads: bool = True) -> dict:
    urls = nodes.database_urls(pooled=pooled)
    if not standby_reads:
        urls["DATABASE_REPLICA_URL"] = ""
    return {
        **os.environ,
        **urls,
        "DJANGO_SETTINGS_MODULE": "intel_map.settings.base",
        "DEBUG": "false",
        "WHITENOISE_USE_FINDERS": "false",
        # Server-side cursors off: behind PgBouncer's transaction mode a
        # cursor cannot outlive its transaction's server connection.
        "DATABASE_POOLED": "true" if pooled else "false",
        # Sent as role settings instead (nodes.app_database_prepare).
        "PG_SESSION_OPTIONS": "",
        # Two cores for three app servers, PostgreSQL and the load: two
        # workers each rather than gunicorn.conf.py's 2 x cores + 1.
        "GUNICORN_WORKERS": os.environ.get("GUNICORN_WORKERS", "2"),
        "GUNICORN_THREADS": os.environ.get("GUNICORN_THREADS", "10"),
        "GUNICORN_ACCESS_LOG": "",
    }


def manage(*args: str, owner: bool = False) -> None:
    env = app_env(pooled=False)
    if owner:
        env["DATABASE_AS_OWNER"] = "true"
    subprocess.run([str(PYTHON), "manage.py", *args], cwd=ROOT, env=env, check=True)


def schema_and_demo() -> None:
    """setup.sh's own steps (virtualenv, npm packages, migrate as the owner
    role, the cache table, the app role's grants) against the cluster, then
    the demo city and users. DATABASE_URL set, setup.sh makes no local
    PostGIS of its own."""
    say("Migrating the cluster's database (scripts/setup.sh)")
    subprocess.run(
        ["bash", "scripts/setup.sh"], cwd=ROOT, env=app_env(pooled=False), check=True
    )
    say("Loading the demo city and users (if empty)")
    manage("demo_city", "--seed", "1", "--if-empty")
    manage("demo_users")
    manage("collectstatic", "--no-input", "-v", "0")


def reads_on_standby(i: int) -> bool:
    return not (STATE / "pids" / f"app{i + 1}.primary-reads").exists()


def app_start(i: int, *, standby_reads: bool = True) -> None:
    """App server i; with standby_reads=False its map reads stay on the
    primary (no DATABASE_REPLICA_URL), for the load test's comparison."""
    name = f"app{i + 1}"
    if running(name):
        return
    port = APP_PORTS[i]
    marker = STATE / "pids" / f"{name}.primary-reads"
    marker.unlink(missing_ok=True)
    if not standby_reads:
        marker.touch()
    spawn(
        name,
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "intel_map.wsgi:application",
            "--config",
            str(ROOT / "gunicorn.conf.py"),
            "--bind",
            f"127.0.0.1:{port}",
        ],
        env=app_env(standby_reads=standby_reads),
    )


def app_healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as r:
            return r.status == 200
    except OSError:
        return False


HAPROXY_CFG = """\
# Written by scripts/cluster/apps.py.
global
    maxconn 4000
    stats socket {state}/haproxy/admin.sock mode 600 level admin

defaults
    mode http
    option httplog
    timeout connect 2s
    timeout client 75s
    timeout server 35s
    timeout http-keep-alive 60s
    timeout check 5s
    # A connection an app server refuses (it is gone) is tried on another
    # one; nothing was sent, so a POST is safe to send again.
    retries 2
    option redispatch 1
    retry-on conn-failure
    # No app server up (all answer /healthz 503 while the database switches
    # over): a 503 that says when to try again, like the app's own.
    errorfile 503 {state}/haproxy/503.http

frontend web
    bind 127.0.0.1:{port}
    default_backend app

backend app
    balance leastconn
    option httpchk
    http-check send meth GET uri /healthz ver HTTP/1.1 hdr Host 127.0.0.1
    http-check expect status 200
    default-server inter 1s fastinter 500ms downinter 1s fall 2 rise 2
{servers}

listen stats
    bind 127.0.0.1:{stats_port}
    stats enable
    stats uri /
    stats refresh 2s
"""

RETRY_503 = (
    "HTTP/1.1 503 Service Unavailable\r\n"
    "Retry-After: 5\r\n"
    "Cache-Control: no-cache\r\n"
    "Connection: close\r\n"
    "Content-Type: text/plain\r\n"
    "\r\n"
    "The service is switching over; try again in a few seconds.\n"
)


def haproxy_start(n: int) -> None:
    if running("haproxy"):
        return
    d = STATE / "haproxy"
    d.mkdir(parents=True, exist_ok=True)
    (d / "503.http").write_text(RETRY_503)
    servers = "\n".join(
        f"    server app{i + 1} 127.0.0.1:{APP_PORTS[i]} check" for i in range(n)
    )
    cfg = d / "haproxy.cfg"
    cfg.write_text(
        HAPROXY_CFG.format(
            state=STATE,
            port=HAPROXY_PORT,
            stats_port=HAPROXY_STATS_PORT,
            servers=servers,
        )
    )
    subprocess.run(["haproxy", "-c", "-q", "-f", str(cfg)], check=True)
    spawn("haproxy", ["haproxy", "-db", "-f", str(cfg)])


def haproxy_command(command: str) -> str:
    """HAProxy's runtime API, e.g. 'disable server app/app2'."""
    with socket.socket(socket.AF_UNIX) as s:
        s.connect(str(STATE / "haproxy" / "admin.sock"))
        s.sendall(command.encode() + b"\n")
        chunks = []
        while chunk := s.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks).decode()


def haproxy_servers_up() -> list[str]:
    """The app servers HAProxy's health checks find up."""
    out = haproxy_command("show stat")
    header, *rows = out.strip().splitlines()
    cols = header.lstrip("# ").split(",")
    up = []
    for row in rows:
        rec = dict(zip(cols, row.split(","), strict=False))
        if rec.get("pxname") == "app" and rec.get("svname", "").startswith("app"):
            if rec.get("status") == "UP":
                up.append(rec["svname"])
    return up


def apps_up() -> int:
    n = app_servers()
    say(f"Starting {n} gunicorn app servers and HAProxy")
    for i in range(n):
        app_start(i)
    for i in range(n):
        wait_for(f"app{i + 1} /healthz", lambda i=i: app_healthy(APP_PORTS[i]), 120)
    haproxy_start(n)
    wait_for(
        "HAProxy to see every app server up", lambda: len(haproxy_servers_up()) == n, 30
    )
    return n


def apps_down() -> None:
    stop("haproxy")
    for i in range(len(APP_PORTS)):
        stop(f"app{i + 1}")


def topology(n: int) -> str:
    primary = nodes.primary_node()
    states = nodes.node_states()
    lines = [
        "",
        f"Intel Map (cluster) is at {URL}/   HAProxy stats: "
        f"http://127.0.0.1:{HAPROXY_STATS_PORT}/",
        "",
        f"  HAProxy 127.0.0.1:{HAPROXY_PORT}  (health check GET /healthz every 1 s)",
    ]
    for i in range(n):
        lines.append(f"   +- gunicorn app{i + 1} 127.0.0.1:{APP_PORTS[i]}")
    lines.append(
        "        | DATABASE_URL: every PgBouncer, target_session_attrs=read-write;"
    )
    lines.append("        | reads: the same list, prefer-standby")
    for node in nodes.NODES:
        reported, _ = states.get(node.name, ("?", "?"))
        lines.append(
            f"   +- PgBouncer 127.0.0.1:{node.pgbouncer_port} -> PostgreSQL "
            f"{node.name} 127.0.0.1:{node.port}  [{reported}]"
        )
    lines.append(
        f"  pg_auto_failover monitor 127.0.0.1:{nodes.MONITOR_PORT}"
        f"  (primary now: {primary.name if primary else 'none'})"
    )
    lines.append("")
    lines.append("Demo users: as listed above by manage.py demo_users.")
    lines.append("Stop it with: make cluster-stop")
    return "\n".join(lines)
