"""`make cluster`'s databases: monitor, nodes, their PgBouncers, up and down."""

import os
import subprocess

from .nodes import (
    NODES,
    STATE,
    Node,
    app_database_prepare,
    monitor_start,
    node_start,
    node_states,
    pgaf_stop,
    primary_node,
    replication_settings,
)
from .pgbouncer import pgbouncer_start
from .process import psql, running, say, spawn, stop, wait_for


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
