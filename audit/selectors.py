"""Reading the access log: for administrators, by user, record and date."""

from datetime import UTC, date, datetime, time, timedelta

from django.db.models import Q, QuerySet

from .models import AccessLogEntry


def _day_start_utc(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def access_log_search(
    *,
    qs: QuerySet[AccessLogEntry] | None = None,
    user: str | None = None,
    record_id: int | None = None,
    since: date | None = None,
    until: date | None = None,
    action: str | None = None,
) -> QuerySet[AccessLogEntry]:
    """Entries by username (exact, case-insensitive), by a record id among
    those consulted, and by UTC dates from `since` to `until` inclusive."""
    qs = AccessLogEntry.objects.all() if qs is None else qs
    if user:
        qs = qs.filter(Q(username__iexact=user) | Q(user__username__iexact=user))
    if record_id is not None:
        # record_ids @> ARRAY[id]: answered from the GIN index.
        qs = qs.filter(record_ids__contains=[record_id])
    if since is not None:
        qs = qs.filter(at__gte=_day_start_utc(since))
    if until is not None:
        qs = qs.filter(at__lt=_day_start_utc(until + timedelta(days=1)))
    if action:
        qs = qs.filter(action=action)
    return qs


ACCESS_LOG_CSV_HEADER = [
    "at (UTC)",
    "user",
    "action",
    "what",
    "records",
    "count",
    "justification",
    "ip",
    "route",
]


def access_log_csv_rows(*, qs: QuerySet[AccessLogEntry]):
    for e in qs.order_by("at", "id").iterator(chunk_size=2000):
        yield [
            e.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            e.username,
            e.action,
            e.what,
            " ".join(str(i) for i in e.record_ids),
            e.count,
            e.justification,
            e.ip or "",
            e.route,
        ]
