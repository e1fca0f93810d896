"""Processes of `make cluster`: started in their own session with their
output in `.cluster/logs/`, their pid in `.cluster/pids/`, stopped by that
pid. Standard library only: `make cluster` runs before the virtualenv may
exist. As root, PostgreSQL's programs run as the postgres user, as
scripts/setup.sh and tests/db/standby.py do.
"""

import os
import signal
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STATE = Path(os.environ.get("INTEL_MAP_CLUSTER_DIR", ROOT / ".cluster"))
PGBIN = Path("/usr/lib/postgresql/15/bin")


def say(msg: str) -> None:
    print(f"\033[1m==> {msg}\033[0m", flush=True)


def as_postgres(cmd: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


def pg_env() -> dict:
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
        env=pg_env(),
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
        env=env or pg_env(),
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


def cluster_processes() -> list[str]:
    """Any process still running from the cluster folder (pids or data)."""
    names = [p.stem for p in (STATE / "pids").glob("*.pid") if running(p.stem)]
    out = subprocess.run(
        ["pgrep", "-af", str(STATE)], capture_output=True, text=True
    ).stdout
    return names + [line for line in out.splitlines() if line]
