"""PgBouncer beside each node, in transaction mode, and the follower that
keeps each in step with its node's role.
"""

import os
import shutil
import signal
import subprocess
import time

from .nodes import APP, DBNAME, NODES, OWNER, Node
from .process import PGBIN, as_postgres, running, spawn, stop, wait_for

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
