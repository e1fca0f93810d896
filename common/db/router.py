"""Where each query goes.

Writes, and every read outside the map's views, go to the primary
("default"). The views marked `@standby_reads` (the map's layers and
what-is-here, heat maps, hot spots, reports) read the product's data from a
standby ("replica"), unless:

- no standby is configured;
- the user wrote something in the last REPLICA_STICKY_SECONDS (their session
  carries the time, middleware.py): they read their own write;
- the read is inside a transaction on the primary;
- the standby lags more than REPLICA_MAX_LAG_SECONDS or does not answer
  (standby.py); a GET whose standby query fails is answered again from the
  primary.

Sign-in, sessions, permissions, the shared cache, lock-outs and the access
log are never read from a standby: what decides who may see what must be
the primary's latest. Raw SQL in the selectors asks `read_connection()`.
"""

import contextvars
import time
from functools import wraps

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections

from .config import REPLICA
from .standby import replica_configured, standby_mark_down, standby_status

# The product's own data; everything else (auth, sessions, cache, axes, otp,
# audit) stays on the primary.
STANDBY_APPS = frozenset(
    {"locations", "intelligence", "disruption", "analysis", "maps", "history"}
)
STICKY_UNTIL = "intel_map_primary_until"

_standby_reads = contextvars.ContextVar("intel_map_standby_reads", default=False)


def read_alias() -> str:
    """The alias the product's reads use in this request, now."""
    if not _standby_reads.get() or connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return DEFAULT_DB_ALIAS
    return REPLICA if standby_status().usable else DEFAULT_DB_ALIAS


def read_connection():
    """The connection for a selector's raw SQL (instead of django.db.connection)."""
    return connections[read_alias()]


class PrimaryStandbyRouter:
    def db_for_read(self, model, **hints):
        if model._meta.app_label in STANDBY_APPS:
            return read_alias()
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # A standby holds the primary's rows: objects from either are one set.
        return True

    def allow_migrate(self, db, app_label, **hints):
        return db == DEFAULT_DB_ALIAS


def session_sticky(request) -> bool:
    session = getattr(request, "session", None)
    return session is not None and session.get(STICKY_UNTIL, 0) > time.time()


def session_mark_wrote(request) -> None:
    request.session[STICKY_UNTIL] = time.time() + settings.REPLICA_STICKY_SECONDS


def _standby_failed() -> bool:
    conn = connections[REPLICA]
    return conn.connection is None or conn.errors_occurred


def standby_reads(view):
    """The view's reads of the product's data may come from a standby."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        # What the view does is a read, whatever its method (an area query is
        # a POST): it does not start a sticky window.
        request.standby_reads = True
        if not replica_configured() or session_sticky(request):
            return view(request, *args, **kwargs)
        token = _standby_reads.set(True)
        try:
            return view(request, *args, **kwargs)
        except (OperationalError, InterfaceError) as exc:
            if request.method not in ("GET", "HEAD") or not _standby_failed():
                raise
            standby_mark_down(error=str(exc).strip()[:200])
            _standby_reads.set(False)
            return view(request, *args, **kwargs)
        finally:
            _standby_reads.reset(token)

    return wrapped
