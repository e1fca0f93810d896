"""Is the standby fit to serve reads? Asked of the standby itself, at most
once a second per process (REPLICA_CHECK_SECONDS).

The answer is a fact about this process's own connection, kept in memory
only to avoid asking on every request; nothing another app server needs.
Replication lag is the age of the newest transaction the standby has
replayed, when it has received more than it has replayed (0 when it is up
to date, however long ago the primary last wrote). A standby further behind
than REPLICA_MAX_LAG_SECONDS, or one that does not answer, is skipped: reads
go to the primary.
"""

import threading
import time
from dataclasses import asdict, dataclass

from django.conf import settings
from django.db import DatabaseError, connections

from .config import REPLICA

LAG_SQL = """
SELECT pg_is_in_recovery(),
       CASE
         WHEN NOT pg_is_in_recovery() THEN 0
         WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn()
           THEN 0
         ELSE COALESCE(
           date_part('epoch', clock_timestamp() - pg_last_xact_replay_timestamp()), 0)
       END
"""


@dataclass(frozen=True)
class StandbyStatus:
    configured: bool
    reachable: bool = False
    # False when every standby is down and libpq's prefer-standby settled on
    # the primary: reads are then the primary's, and lag is 0.
    in_recovery: bool | None = None
    lag_s: float | None = None
    max_lag_s: float = 0.0
    error: str = ""
    checked_at: float = 0.0

    @property
    def usable(self) -> bool:
        return (
            self.configured
            and self.reachable
            and self.lag_s is not None
            and self.lag_s <= self.max_lag_s
        )

    def as_dict(self) -> dict:
        data = asdict(self)
        data.pop("checked_at")
        data["lag_s"] = None if self.lag_s is None else round(self.lag_s, 3)
        data["used_for_reads"] = self.usable
        return data


_lock = threading.Lock()
_last: StandbyStatus | None = None


def replica_configured() -> bool:
    return REPLICA in connections.settings


def standby_status_reset() -> None:
    global _last
    with _lock:
        _last = None


def standby_mark_down(*, error: str) -> None:
    """A query on the standby failed: skip it until the next check."""
    global _last
    connections[REPLICA].close()
    with _lock:
        _last = StandbyStatus(
            configured=True,
            error=error,
            max_lag_s=settings.REPLICA_MAX_LAG_SECONDS,
            checked_at=time.monotonic(),
        )


def standby_status(*, fresh: bool = False) -> StandbyStatus:
    global _last
    if not replica_configured():
        return StandbyStatus(configured=False)
    with _lock:
        last = _last
    now = time.monotonic()
    if (
        not fresh
        and last is not None
        and now - last.checked_at < settings.REPLICA_CHECK_SECONDS
    ):
        return last
    status = _probe(now)
    with _lock:
        _last = status
    return status


def _probe(now: float) -> StandbyStatus:
    max_lag = settings.REPLICA_MAX_LAG_SECONDS
    conn = connections[REPLICA]
    try:
        with conn.cursor() as cur:
            cur.execute(LAG_SQL)
            in_recovery, lag = cur.fetchone()
    except DatabaseError as exc:
        conn.close()
        return StandbyStatus(
            configured=True,
            max_lag_s=max_lag,
            error=str(exc).strip().splitlines()[0][:200],
            checked_at=now,
        )
    return StandbyStatus(
        configured=True,
        reachable=True,
        in_recovery=in_recovery,
        lag_s=float(lag),
        max_lag_s=max_lag,
        checked_at=now,
    )
