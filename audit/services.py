"""Writing the access log: one INSERT per event, whatever the number of records."""

import json
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection

from .models import AccessAction, AccessLogEntry

_TABLE = AccessLogEntry._meta.db_table


def _ids_source(record_ids: Iterable[int]) -> tuple[str, list]:
    """SQL giving one row (ids bigint[], n bigint) for the records logged.

    The ids travel as one array literal (Django's per-element preparation of
    an ArrayField costs seconds at 100,000 ids)."""
    literal = "{" + ",".join(str(int(i)) for i in record_ids) + "}"
    return "SELECT a, cardinality(a) FROM (SELECT %s::bigint[]) AS l(a)", [literal]


def access_log_write(
    *,
    user: AbstractBaseUser,
    action: str,
    what: str,
    route: str,
    record_ids: Iterable[int] = (),
    count: int | None = None,
    justification: str = "",
    ip: str | None = None,
    params: dict | None = None,
) -> AccessLogEntry:
    """Log one consultation, disclosure or refused attempt.

    `record_ids` are the ids of the records shown.
    `count` is how many records were disclosed; by default the number of ids.
    `params` are an aggregate's parameters as applied, with the data version
    they were applied to: enough to derive again the records it weighed.

    One INSERT … SELECT, atomic by itself: no transaction or savepoint of its
    own (each would be a round trip more on every logged request). Written
    on the default connection, the primary, inside the caller's transaction
    when there is one.
    """
    entry = AccessLogEntry(
        user=user,
        username=user.get_username(),
        action=AccessAction(action),
        what=what[:200],
        route=route[:2000],
        justification=justification,
        ip=ip or None,
    )
    # Field checks only: a constraint check would cost a query per event;
    # the database holds the constraints anyway.
    entry.clean_fields(exclude=["user", "at", "record_ids", "count"])
    source, source_params = _ids_source(record_ids)
    params_json = json.dumps(params or {}, cls=DjangoJSONEncoder, sort_keys=True)
    sql = f"""
        INSERT INTO {_TABLE} (at, user_id, username, action, what, route,
                              justification, ip, params, record_ids, count)
        SELECT statement_timestamp(), %s, %s, %s, %s, %s, %s, %s::inet,
               %s::jsonb, s.ids, COALESCE(%s::bigint, s.n)
        FROM ({source}) AS s(ids, n)
        RETURNING id, at, count
    """
    params = [
        user.pk,
        entry.username,
        entry.action,
        entry.what,
        entry.route,
        entry.justification,
        entry.ip,
        params_json,
        count,
        *source_params,
    ]
    with connection.cursor() as cur:
        cur.execute(sql, params)
        entry.pk, entry.at, entry.count = cur.fetchone()
    entry.params = json.loads(params_json)
    entry._state.adding = False
    entry._state.db = connection.alias
    # The ids stay in the database: a deferred field, read back if asked for.
    del entry.__dict__["record_ids"]
    return entry
