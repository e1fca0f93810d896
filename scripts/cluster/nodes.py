"""The database half of `make cluster`: a pg_auto_failover monitor, two
PostgreSQL 15 + PostGIS nodes (primary and synchronous hot standby) and one
PgBouncer per node, all on loopback, all state under `.cluster/`.

Standard library only: `make cluster` runs this before the virtualenv may
exist. As root, every PostgreSQL program (pg_autoctl, psql, pgbouncer) runs
as the postgres user, as scripts/setup.sh and tests/db/standby.py do.
"""

import os
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STATE = Path(os.environ.get("INTEL_MAP_CLUSTER_DIR", ROOT / ".cluster"))
PGBIN = Path("/usr/lib/postgresql/15/bin")
# Above the project-local clusters (5432x-5435x), their test standbys (554xx)
# and every worktree's ports: 56100-56139 by default.
BASE_PORT = int(os.environ.get("INTEL_MAP_CLUSTER_PORT", 56100))
MONITOR_PORT = BASE_PORT
DBNAME = "intelmap"
OWNER, APP = "intelmap", "intelmap_app"
FORMATION = "default"

# The monitor decides a primary is gone after this long without a report
# and without answering its health check (the defaults, 20 s and a 5 s
# check, leave too little of a 30 s budget for the promotion itself).
MONITOR_SETTINGS = {
    "pgautofailover.health_check_period": "1000",
    "pgautofailover.health_check_timeout": "1000",
    "pgautofailover.health_check_max_retries": "1",
    "pgautofailover.health_check_retry_delay": "500",
    "pgautofailover.node_considered_unhealthy_timeout": "4000",
    # Before promoting, the monitor waits this long for a lost primary to
    # have demoted itself (default 30 s). Each node's keeper demotes its
    # primary once it has seen neither monitor nor standby for
    # NETWORK_PARTITION_TIMEOUT_S, shorter than this, so two primaries never
    # accept writes at once.
    "pgautofailover.primary_demote_timeout": "6000",
}
NETWORK_PARTITION_TIMEOUT_S = 4


@dataclass(frozen=True)
class Node:
    name: str
    port: int
    pgbouncer_port: int

    @property
    def pgdata(self) -> Path:
        return STATE / self.name

    @property
    def pgbouncer_dir(self) -> Path:
        return STATE / f"pgbouncer-{self.name}"


NODES = (
    Node("node1", BASE_PORT + 1, BASE_PORT + 11),
    Node("node2", BASE_PORT + 2, BASE_PORT + 12),
)


def say(msg: str) -> None:
    print(f"\033[1m==> {msg}\033[0m", flush=True)


def as_postgres(cmd: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


def _env() -> dict:
    # pg_autoctl keeps its own configuration and state files under the XDG
    # folders: inside the cluster folder, not the postgres user's home.
    return {
        **os.environ,
        "PATH": f"{PGBIN}:{os.environ.get('PATH', '/usr/bin:/bin')}",
        "XDG_CONFIG_HOME": str(STATE / "xdg" / "config"),
        "XDG_DATA_HOME": str(STATE / "xdg" / "data"),
        "XDG_RUNTIME_DIR": str(STATE / "xdg" / "run"),
    }


def run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        as_postgres(cmd),
        env=_env(),
        check=kwargs.pop("check", True),
        capture_output=True,
        text=True,
        **kwargs,
    )


def psql(port: int, sql: str, *, user: str = "postgres", db: str = "postgres"):
    """One statement's rows, tab-separated (psql -At)."""
    out = run(
        [
            str(PGBIN / "psql"),
            "-h",
            "127.0.0.1",
            "-p",
            str(port),
            "-U",
            user,
            "-d",
            db,
            "-AtX",
            "-v",
            "ON_ERROR_STOP=1",
            "-c",
            sql,
        ],
        timeout=30,
    )
    return [line.split("|") for line in out.stdout.splitlines() if line]


def pid_file(name: str) -> Path:
    return STATE / "pids" / f"{name}.pid"


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def running(name: str) -> int | None:
    path = pid_file(name)
    if not path.exists():
        return None
    pid = int(path.read_text().strip() or 0)
    return pid if pid and alive(pid) else None


def spawn(name: str, cmd: list[str], *, env: dict | None = None, cwd=None) -> int:
    """A long-running process in its own session, its output in logs/."""
    (STATE / "logs").mkdir(parents=True, exist_ok=True)
    (STATE / "pids").mkdir(parents=True, exist_ok=True)
    log = open(STATE / "logs" / f"{name}.log", "ab")
    proc = subprocess.Popen(
        cmd,
        env=env or _env(),
        cwd=cwd or ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    pid_file(name).write_text(str(proc.pid))
    return proc.pid


def stop(name: str, *, sig: int = signal.SIGTERM, timeout_s: float = 30) -> None:
    """Signals the process group `spawn` started, waits for it to go."""
    pid = running(name)
    if pid is None:
        pid_file(name).unlink(missing_ok=True)
        return
    try:
        os.killpg(pid, sig)
    except ProcessLookupError:
        pass
    deadline = time.monotonic() + timeout_s
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    if alive(pid):
        os.killpg(pid, signal.SIGKILL)
    pid_file(name).unlink(missing_ok=True)


def wait_for(what: str, test, timeout_s: float = 120, every_s: float = 0.5):
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            result = test()
        except (subprocess.SubprocessError, OSError):
            result = None
        if result:
            return result
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out waiting for {what} (logs in {STATE}/logs)")
        time.sleep(every_s)


# --- pg_auto_failover ----------------------------------------------------------


def monitor_uri() -> str:
    return f"postgres://autoctl_node@127.0.0.1:{MONITOR_PORT}/pg_auto_failover?sslmode=disable"


def node_states() -> dict[str, tuple[str, str]]:
    """Each node's (reported state, goal state) as the monitor has them."""
    rows = psql(
        MONITOR_PORT,
        "SELECT nodename, reportedstate, goalstate FROM pgautofailover.node",
        db="pg_auto_failover",
    )
    return {name: (reported, goal) for name, reported, goal in rows}


def primary_node() -> Node | None:
    states = node_states()
    for node in NODES:
        reported, goal = states.get(node.name, ("", ""))
        if reported == goal and reported in ("single", "primary", "wait_primary"):
            return node
    return None


def _pgaf_run(name: str, pgdata: Path) -> int:
    return spawn(
        name,
        as_postgres(
            ["env", *_xdg_args(), "pg_autoctl", "run", "--pgdata", str(pgdata)]
        ),
    )


def _xdg_args() -> list[str]:
    env = _env()
    return [
        f"{k}={env[k]}"
        for k in ("PATH", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_RUNTIME_DIR")
    ]


def monitor_start() -> None:
    pgdata = STATE / "monitor"
    if running("monitor"):
        return
    if not (pgdata / "PG_VERSION").exists():
        say(f"Creating the pg_auto_failover monitor on 127.0.0.1:{MONITOR_PORT}")
        run(
            [
                "pg_autoctl",
                "create",
                "monitor",
                "--pgdata",
                str(pgdata),
                "--pgport",
                str(MONITOR_PORT),
                "--hostname",
                "127.0.0.1",
                "--auth",
                "trust",
                "--no-ssl",
                "--pgctl",
                str(PGBIN / "pg_ctl"),
            ],
            timeout=180,
        )
    _pgaf_run("monitor", pgdata)
    wait_for("the monitor", lambda: psql(MONITOR_PORT, "SELECT 1"), timeout_s=60)
    for key, value in MONITOR_SETTINGS.items():
        psql(MONITOR_PORT, f"ALTER SYSTEM SET {key} = '{value}'")
    psql(MONITOR_PORT, "SELECT pg_reload_conf()")


def node_start(node: Node) -> None:
    if running(node.name):
        return
    if not (node.pgdata / "PG_VERSION").exists():
        say(f"Creating PostgreSQL node {node.name} on 127.0.0.1:{node.port}")
        run(
            [
                "pg_autoctl",
                "create",
                "postgres",
                "--pgdata",
                str(node.pgdata),
                "--pgport",
                str(node.port),
                "--pghost",
                "127.0.0.1",
                "--hostname",
                "127.0.0.1",
                "--name",
                node.name,
                "--dbname",
                DBNAME,
                "--auth",
                "trust",
                "--no-ssl",
                "--monitor",
                monitor_uri(),
                "--pgctl",
                str(PGBIN / "pg_ctl"),
            ],
            timeout=600,
        )
    run(
        [
            "pg_autoctl",
            "config",
            "set",
            "--pgdata",
            str(node.pgdata),
            "timeout.network_partition_timeout",
            str(NETWORK_PARTITION_TIMEOUT_S),
        ]
    )
    _pgaf_run(node.name, node.pgdata)


def pgaf_stop(name: str, pgdata: Path) -> None:
    """pg_autoctl's own stop: PostgreSQL's fast shutdown, then pg_autoctl."""
    if running(name):
        run(["pg_autoctl", "stop", "--pgdata", str(pgdata)], check=False, timeout=60)
    stop(name, timeout_s=60)


def node_kill(node: Node) -> None:
    """The node's machine is lost: pg_autoctl, PostgreSQL and the PgBouncer
    beside them SIGKILLed at once (killing PostgreSQL alone, pg_autoctl
    restarts it in a second)."""
    postmaster = node.pgdata / "postmaster.pid"
    pg_pid = int(postmaster.read_text().split()[0]) if postmaster.exists() else None
    stop(node.name, sig=signal.SIGKILL, timeout_s=5)
    # The PgBouncer beside it is on the same machine.
    stop(f"pgbouncer-{node.name}", sig=signal.SIGKILL, timeout_s=5)
    if pg_pid and alive(pg_pid):
        os.kill(pg_pid, signal.SIGKILL)
    # Its backends die with the postmaster's shared memory: wait until no
    # process of this data directory is left.
    wait_for(f"{node.name}'s processes to end", lambda: not _pgdata_pids(node), 20)


def _pgdata_pids(node: Node) -> list[int]:
    out = subprocess.run(
        ["pgrep", "-f", f"-D {node.pgdata}( |$)"], capture_output=True, text=True
    )
    return [int(p) for p in out.stdout.split()]


def replication_settings() -> None:
    """Every acknowledged write is on both nodes: the standby is in the
    write quorum (synchronous_standby_names ANY 1), and PostgreSQL's
    synchronous_commit stays 'on'."""
    run(
        [
            "pg_autoctl",
            "set",
            "formation",
            "number-sync-standbys",
            "0",
            "--pgdata",
            str(NODES[0].pgdata),
        ],
        check=False,
    )


# --- the application's database ------------------------------------------------


def app_database_prepare(primary: Node) -> None:
    """Roles and PostGIS on the primary (the standby receives them by
    replication). The owner role migrates; the application's role owns
    nothing and gets its row privileges from `manage.py db_roles`."""
    exists = psql(primary.port, f"SELECT 1 FROM pg_roles WHERE rolname = '{OWNER}'")
    if not exists:
        # Superuser as in setup.sh's local cluster: migrations create
        # extensions.
        psql(primary.port, f"CREATE ROLE {OWNER} LOGIN SUPERUSER")
    if not psql(primary.port, f"SELECT 1 FROM pg_roles WHERE rolname = '{APP}'"):
        psql(
            primary.port,
            f"CREATE ROLE {APP} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE "
            "NOINHERIT NOREPLICATION NOBYPASSRLS",
        )
    # Through PgBouncer the app cannot send session options at connect time
    # (PgBouncer refuses the startup parameter), so the role carries them:
    # no JIT and no parallel workers for the app's short queries
    # (intel_map/settings/base.py PG_SESSION_OPTIONS says why).
    psql(primary.port, f"ALTER ROLE {APP} SET jit = off")
    psql(primary.port, f"ALTER ROLE {APP} SET max_parallel_workers_per_gather = 0")
    psql(primary.port, f"ALTER DATABASE {DBNAME} OWNER TO {OWNER}")
    psql(primary.port, "CREATE EXTENSION IF NOT EXISTS postgis", db=DBNAME)


# --- PgBouncer -----------------------------------------------------------------

PGBOUNCER_INI = """\
; Written by scripts/cluster/nodes.py. One PgBouncer beside each node, in
; transaction mode: the app's many threads share a few server connections.
[databases]
{dbname} = host=127.0.0.1 port={node_port} dbname={dbname}
postgres = host=127.0.0.1 port={node_port} dbname=postgres

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {port}
unix_socket_dir =
auth_type = trust
auth_file = {dir}/userlist.txt
pool_mode = transaction
max_client_conn = 1000
default_pool_size = 20
reserve_pool_size = 5
; Django's psycopg 3 connections: prepared statements are off
; (prepare_threshold=None), server-side cursors off (DATABASE_POOLED).
; The app's session options travel as role settings instead.
ignore_startup_parameters = extra_float_digits,options
; A node that is down: clients are told at once (fast fail), and the node is
; tried again every second, so a node that returns is used within a second.
server_login_retry = 1
server_connect_timeout = 2
query_wait_timeout = 10
server_check_delay = 5
logfile = {dir}/pgbouncer.log
pidfile = {dir}/pgbouncer.pid
admin_users = postgres
"""


def pgbouncer_stop(node: Node) -> None:
    stop(f"pgbouncer-{node.name}", sig=signal.SIGTERM, timeout_s=10)


def read_only(node: Node) -> bool | None:
    """Does the node refuse writes now? A standby does, and so does a
    promoted one until pg_auto_failover knows the old primary demoted
    (default_transaction_read_only). None when it does not answer."""
    out = subprocess.run(
        [
            str(PGBIN / "psql"),
            f"host=127.0.0.1 port={node.port} user=postgres dbname=postgres "
            "connect_timeout=2",
            "-AtXc",
            "SELECT pg_is_in_recovery() "
            "OR current_setting('default_transaction_read_only')::bool",
        ],
        capture_output=True,
        text=True,
    )
    return (
        {"t": True, "f": False}.get(out.stdout.strip()) if out.returncode == 0 else None
    )


def pgbouncers_follow(every_s: float = 0.25) -> None:
    """Keeps each node's PgBouncer in step with the node.

    PgBouncer hands each new client the server parameters it cached from its
    pool's first server connection, in_hot_standby and
    default_transaction_read_only among them (pgbouncer/pgbouncer#859), and
    accepts clients while its node is down. Either way libpq's
    target_session_attrs would keep choosing the wrong node after a
    failover. So a node's PgBouncer is restarted when the node turns
    writable or read-only, stopped while the node does not answer (libpq
    then moves on to the next host) and started when it answers again. Runs
    beside the PgBouncers (`make cluster` starts it), as one process per
    machine would in a deployment."""
    known: dict[str, bool] = {}
    misses = dict.fromkeys((n.name for n in NODES), 0)

    def note(msg: str) -> None:
        print(f"{time.strftime('%H:%M:%S')} {msg}", flush=True)

    while True:
        for node in NODES:
            pool = f"pgbouncer-{node.name}"
            now = read_only(node)
            if now is None:
                misses[node.name] += 1
                # Twice in a row: one slow answer on a loaded machine is not
                # a lost node.
                if misses[node.name] >= 2 and running(pool):
                    note(f"{node.name} does not answer: stopping its PgBouncer")
                    pgbouncer_stop(node)
                continue
            misses[node.name] = 0
            if not running(pool):
                note(f"{node.name} answers: starting its PgBouncer")
                pgbouncer_start(node)
            elif node.name in known and known[node.name] != now:
                role = "read-only" if now else "writable"
                note(f"{node.name} is now {role}: restarting its PgBouncer")
                pgbouncer_stop(node)
                pgbouncer_start(node)
            known[node.name] = now
        time.sleep(every_s)


def pgbouncer_start(node: Node) -> None:
    name = f"pgbouncer-{node.name}"
    if running(name):
        return
    d = node.pgbouncer_dir
    d.mkdir(parents=True, exist_ok=True)
    (d / "pgbouncer.ini").write_text(
        PGBOUNCER_INI.format(
            dbname=DBNAME, node_port=node.port, port=node.pgbouncer_port, dir=d
        )
    )
    (d / "userlist.txt").write_text(
        "".join(f'"{u}" ""\n' for u in ("postgres", OWNER, APP))
    )
    if os.geteuid() == 0:
        shutil.chown(d, "postgres", "postgres")
        for f in d.iterdir():
            shutil.chown(f, "postgres", "postgres")
    spawn(name, as_postgres(["pgbouncer", str(d / "pgbouncer.ini")]))
    wait_for(
        name,
        lambda: (
            subprocess.run(
                ["bash", "-c", f"exec 3<>/dev/tcp/127.0.0.1/{node.pgbouncer_port}"],
                capture_output=True,
            ).returncode
            == 0
        ),
        timeout_s=30,
    )


# --- URLs the application is configured with -----------------------------------


def hosts(*, pooled: bool) -> str:
    return ",".join(
        f"127.0.0.1:{n.pgbouncer_port if pooled else n.port}" for n in NODES
    )


def database_urls(*, pooled: bool = True) -> dict[str, str]:
    """Every node listed in libpq's multi-host form: the app finds the
    primary (target_session_attrs=read-write, common/db/config.py) and a
    standby for reads (prefer-standby) by itself, before and after a
    failover."""
    h = hosts(pooled=pooled)
    return {
        "DATABASE_URL": f"postgis://{APP}@{h}/{DBNAME}",
        "DATABASE_OWNER_URL": f"postgis://{OWNER}@{hosts(pooled=False)}/{DBNAME}",
        "DATABASE_REPLICA_URL": f"postgis://{APP}@{h}/{DBNAME}",
    }


def databases_up() -> Node:
    """Monitor, both nodes, PgBouncers; returns the primary."""
    for d in ("xdg/config", "xdg/data", "xdg/run"):
        (STATE / d).mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        subprocess.run(["chown", "-R", "postgres:postgres", str(STATE)], check=True)
    monitor_start()
    first, second = NODES
    node_start(first)
    wait_for(f"{first.name} to run", lambda: primary_node() is not None, 300)
    primary = primary_node()
    wait_for(f"{primary.name} to answer", lambda: psql(primary.port, "SELECT 1"), 60)
    app_database_prepare(primary)
    node_start(second)
    say("Waiting for the standby to be in sync (primary + secondary)")
    wait_for(
        "a primary and a secondary",
        lambda: (
            sorted(r for r, g in node_states().values() if r == g)
            == ["primary", "secondary"]
        ),
        timeout_s=600,
        every_s=1,
    )
    replication_settings()
    for node in NODES:
        pgbouncer_start(node)
    if not running("pgbouncer-follower"):
        spawn(
            "pgbouncer-follower",
            ["python3", "-m", "scripts.cluster", "follow"],
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
    return primary_node()


def databases_down() -> None:
    stop("pgbouncer-follower")
    for node in NODES:
        stop(f"pgbouncer-{node.name}")
    # Standbys first, so the primary's last writes need no failover.
    for node in reversed(NODES):
        pgaf_stop(node.name, node.pgdata)
    pgaf_stop("monitor", STATE / "monitor")


def cluster_processes() -> list[str]:
    """Any process still running from the cluster folder (pids or data)."""
    names = [p.stem for p in (STATE / "pids").glob("*.pid") if running(p.stem)]
    out = subprocess.run(
        ["pgrep", "-af", str(STATE)], capture_output=True, text=True
    ).stdout
    return names + [line for line in out.splitlines() if line]
