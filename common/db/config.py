"""DATABASES entries for a primary and a standby named in libpq's multi-host
form, so that a failover needs no reconfiguration.

`DATABASE_URL=postgis://u@node1:5432,node2:5432/intelmap` lists every node;
libpq tries them in turn and keeps the first that matches
`target_session_attrs`: `read-write` for the primary (whichever node that is
now), `prefer-standby` for reads (a standby if one answers, else the primary).
"""

from django.core.exceptions import ImproperlyConfigured

REPLICA = "replica"
# A node that does not answer is given up quickly, so the next one is tried.
CONNECT_TIMEOUT_S = 3


def _with_session_attrs(db: dict, attrs: str) -> dict:
    options = dict(db.get("OPTIONS", {}))
    if "," in str(db.get("HOST", "")):
        options.setdefault("target_session_attrs", attrs)
    options.setdefault("connect_timeout", CONNECT_TIMEOUT_S)
    return {**db, "OPTIONS": options}


def primary_database(default: dict) -> dict:
    """The primary: with several hosts, the one that accepts writes."""
    return _with_session_attrs(default, "read-write")


def replica_database(*, default: dict, replica: dict) -> dict:
    """The standby for reads: the primary's settings (engine, connection
    age, session options) with the replica URL's hosts, name and user."""
    named = {k: v for k, v in replica.items() if v not in ("", None)}
    # Not the primary's target_session_attrs (read-write when DATABASE_URL
    # lists several nodes): the standby's own is set below.
    inherited = {
        k: v
        for k, v in default.get("OPTIONS", {}).items()
        if k != "target_session_attrs"
    }
    options = {**inherited, **replica.get("OPTIONS", {})}
    test = {**default.get("TEST", {}), "MIRROR": "default"}
    db = {**default, **named, "OPTIONS": options, "TEST": test}
    return _with_session_attrs(db, "prefer-standby")


def standby_windows_check(*, sticky_s: float, max_lag_s: float) -> None:
    """A user's own write is on the standby once the sticky window has passed
    only if the standby is never further behind than that window."""
    if sticky_s < max_lag_s:
        raise ImproperlyConfigured(
            f"REPLICA_STICKY_SECONDS ({sticky_s:g}) must be at least "
            f"REPLICA_MAX_LAG_SECONDS ({max_lag_s:g}): a user reading from a "
            "standby after the sticky window must find their own writes there."
        )
