"""The database half of `make cluster`: a pg_auto_failover monitor and two
PostgreSQL 15 + PostGIS nodes (primary and synchronous hot standby) on
loopback, all state under `.cluster/`; the URLs the app reaches them by.
"""

import os
import signal
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .process import (
    PGBIN,
    STATE,
    alive,
    as_postgres,
    pg_env,
    psql,
    run,
    running,
    say,
    spawn,
    stop,
    wait_for,
)

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
    env = pg_env()
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
