"""A streaming standby of the test cluster, for the router's tests.

pg_basebackup copies the project-local cluster (the one `make setup` starts
and pytest makes its test database in) to `<pg dir>/standby` and starts it as
a hot standby on 127.0.0.1:554NN (NN from the primary's port, so worktrees on
5432x/5433x ports never collide; INTEL_MAP_STANDBY_PORT to choose). It is
kept between runs: a standby that is running and streaming from this primary
is reused, so a run pays for the copy once. `make stop` stops it.
"""

import os
import shutil
import subprocess
import time
from pathlib import Path

import psycopg

PGBIN = Path("/usr/lib/postgresql/15/bin")
REPO = Path(__file__).resolve().parents[2]
APPLICATION_NAME = "intel_map_test_standby"


def primary_pgdir() -> Path | None:
    """The local cluster's folder, as setup.sh recorded it."""
    stamp = REPO / ".stamps" / "pgdir"
    named = os.environ.get("INTEL_MAP_PG_DIR") or (
        stamp.read_text().strip() if stamp.exists() else ""
    )
    pgdir = Path(named) if named else REPO / ".pg"
    return pgdir if (pgdir / "data" / "PG_VERSION").exists() else None


def standby_port(primary_port: int) -> int:
    return int(os.environ.get("INTEL_MAP_STANDBY_PORT", 55400 + primary_port % 100))


def _as_owner(cmd: list[str], check: bool = True, **kwargs):
    # As root, PostgreSQL's programs run as the cluster's owner (setup.sh).
    if os.geteuid() == 0:
        cmd = ["runuser", "-u", "postgres", "--", *cmd]
    return subprocess.run(cmd, check=check, capture_output=True, text=True, **kwargs)


def _node(port: int) -> psycopg.Connection:
    return psycopg.connect(
        host="127.0.0.1", port=port, user="postgres", dbname="postgres", autocommit=True
    )


def _streaming(primary_port: int) -> bool:
    with _node(primary_port) as conn:
        row = conn.execute(
            "SELECT 1 FROM pg_stat_replication "
            "WHERE application_name = %s AND state = 'streaming'",
            [APPLICATION_NAME],
        ).fetchone()
    return row is not None


def standby_ensure(*, primary_port: int, pgdir: Path) -> int:
    """Starts (or reuses) the standby; returns its port."""
    port = standby_port(primary_port)
    data = pgdir / "standby"
    ctl = [str(PGBIN / "pg_ctl"), "-D", str(data)]
    running = (data / "PG_VERSION").exists() and (
        _as_owner([*ctl, "status"], check=False).returncode == 0
    )
    if running and _streaming(primary_port):
        return port
    if running:
        _as_owner([*ctl, "stop", "-m", "immediate"])
    shutil.rmtree(data, ignore_errors=True)
    _as_owner(
        [
            str(PGBIN / "pg_basebackup"),
            "-D",
            str(data),
            "-d",
            f"host=127.0.0.1 port={primary_port} user=postgres "
            f"application_name={APPLICATION_NAME}",
            "--wal-method=stream",
            "--checkpoint=fast",
            "--write-recovery-conf",
        ],
        timeout=300,
    )
    run_dir = pgdir / "standby-run"
    _as_owner(["mkdir", "-p", str(run_dir)])
    # Appended last, so they win over the primary's copied settings.
    conf = (
        f"\nport = {port}\nunix_socket_directories = '{run_dir}'\n"
        "shared_buffers = 128MB\nhot_standby = on\nhot_standby_feedback = on\n"
        # A test that pauses replay must not have its reads cancelled.
        "max_standby_streaming_delay = -1\n"
    )
    _as_owner(["tee", "-a", str(data / "postgresql.conf")], input=conf)
    _as_owner([*ctl, "-l", str(pgdir / "standby.log"), "-w", "start"], timeout=120)
    deadline = time.monotonic() + 30
    while not _streaming(primary_port):
        if time.monotonic() > deadline:
            raise RuntimeError(
                f"the standby on {port} is not streaming: see standby.log"
            )
        time.sleep(0.2)
    return port


def standby_wait_caught_up(*, primary_port: int, port: int, timeout_s: float = 20):
    """Until the standby has replayed everything the primary has written
    (inserted: the test cluster commits without waiting for its WAL flush)."""
    with _node(primary_port) as conn:
        (lsn,) = conn.execute("SELECT pg_current_wal_insert_lsn()").fetchone()
    with _node(port) as conn:
        deadline = time.monotonic() + timeout_s
        while not conn.execute(
            "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn]
        ).fetchone()[0]:
            if time.monotonic() > deadline:
                raise RuntimeError("the standby did not catch up")
            time.sleep(0.05)


def standby_replay(*, port: int, paused: bool) -> None:
    with _node(port) as conn:
        conn.execute(
            "SELECT pg_wal_replay_pause()"
            if paused
            else "SELECT pg_wal_replay_resume()"
        )
