"""A database that is switching over is a 503 with Retry-After, not a 500.

While pg_auto_failover promotes a standby, the old primary refuses
connections or answers read-only; libpq's multi-host list finds the new one
on the next connection. Until then every request that needs the primary
fails, and the client is told to try again shortly rather than that the
server is broken. The connection that failed is closed, so the next request
opens a new one (to the new primary) instead of reusing a read-only one.
"""

from django.db import DatabaseError, InterfaceError, OperationalError, connections

RETRY_AFTER_S = 5
# SQLSTATEs of a node going away or turning standby: connection exceptions
# (08xxx), shutdown and "cannot connect now" (57P01-57P03), and a write sent
# to a node that is now a standby (25006 read_only_sql_transaction).
UNAVAILABLE_SQLSTATES = ("08", "57P01", "57P02", "57P03", "25006")


def database_unavailable(exc: BaseException | None) -> bool:
    if isinstance(exc, (OperationalError, InterfaceError)):
        return True
    if isinstance(exc, DatabaseError):
        sqlstate = getattr(exc.__cause__, "sqlstate", None) or ""
        return sqlstate.startswith(UNAVAILABLE_SQLSTATES)
    return False


def connections_close_failed() -> None:
    for conn in connections.all(initialized_only=True):
        conn.close()
