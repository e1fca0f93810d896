"""Writing the access log: one INSERT per event, whatever the number of records."""

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from .models import AccessAction, AccessLogEntry


@transaction.atomic
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
) -> AccessLogEntry:
    """Log one consultation, disclosure or refused attempt.

    `count` is how many records were disclosed; by default the number of ids.
    """
    ids = [int(i) for i in record_ids]
    entry = AccessLogEntry(
        user=user,
        username=user.get_username(),
        action=AccessAction(action),
        what=what[:200],
        route=route[:2000],
        record_ids=ids,
        count=len(ids) if count is None else count,
        justification=justification,
        ip=ip or None,
    )
    # Field checks only: a constraint check would cost a query per event;
    # the database holds the constraints anyway.
    entry.clean_fields(exclude=["user", "at"])
    entry.save(force_insert=True)
    return entry
