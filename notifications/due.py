"""The periodic look for what is coming due (every 15 minutes, a procrastinate
periodic task): flags and records due for review, legal clocks about to run
out. Each reaches its owner once (keyed), on the page and by email."""

from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone

from accounts.roles import can_read_map
from disruption.legal import legal_clock_list
from disruption.selectors import tasking_list_open
from intelligence.models import IntelligenceRecord
from intelligence.selectors import record_can_review, record_list
from locations.models import ConcernFlag, ConcernLevel, FlagAction, Location

from .models import NotificationKind
from .services import day_end, notification_send

# How far ahead an open tasking's due date warns its owner: a working week
# before the next meeting asks what was done.
TASKING_WARN_DAYS = 3
# How far ahead a review date warns its owner. Legal clocks warn as the clock
# dashboard does (disruption.legal.WARN_DAYS; closure notices always).
REVIEW_WARN_DAYS = 14


def notifications_flags_due(*, today) -> int:
    """Each current flag whose review date is within REVIEW_WARN_DAYS (or
    past) notifies the officer who set it, once per review date."""
    latest = ConcernFlag.objects.filter(location=OuterRef("pk")).order_by(
        "-created_at", "-id"
    )
    places = (
        Location.objects.exclude(concern_level=ConcernLevel.NONE)
        .filter(concern_review_date__lte=today + timedelta(days=REVIEW_WARN_DAYS))
        .annotate(
            flag_id=Subquery(latest.values("id")[:1]),
            flag_action=Subquery(latest.values("action")[:1]),
            owner_id=Subquery(latest.values("created_by")[:1]),
        )
        .filter(flag_action=FlagAction.FLAG)
    )
    owners = _users({p.owner_id for p in places})
    sent = 0
    for place in places:
        owner = owners.get(place.owner_id)
        if owner is None or not can_read_map(owner):
            continue
        day = place.concern_review_date
        sent += bool(
            notification_send(
                user=owner,
                kind=NotificationKind.FLAG_REVIEW,
                key=f"flag:{place.flag_id}:{day.isoformat()}",
                title=f"Flag on {place.name} due for review on {day:%d %b %Y}",
                url=reverse("location-page", args=[place.pk]),
                due_at=day_end(day),
            )
        )
    return sent


def notifications_records_due(*, today) -> int:
    """Each record coming due for its Management of Police Information review
    notifies the user who entered it, when they review records and may still
    see it."""
    horizon = today + timedelta(days=REVIEW_WARN_DAYS)
    owner_ids = set(
        IntelligenceRecord.objects.filter(
            review_date__lte=horizon, created_by__isnull=False
        ).values_list("created_by", flat=True)
    )
    sent = 0
    for owner in _users(owner_ids).values():
        if not record_can_review(user=owner):
            continue
        due = record_list(user=owner).filter(created_by=owner, review_date__lte=horizon)
        for record in due.only("pk", "reference", "review_date"):
            day = record.review_date
            sent += bool(
                notification_send(
                    user=owner,
                    kind=NotificationKind.RECORD_REVIEW,
                    key=f"record:{record.pk}:{day.isoformat()}",
                    title=f"Record {record.reference} due for review on {day:%d %b %Y}",
                    url=reverse("intelligence:review", args=[record.pk]),
                    due_at=day_end(day),
                )
            )
    return sent


def notifications_taskings_due(*, today) -> int:
    """Each open tasking due within TASKING_WARN_DAYS (or overdue) notifies its
    owner, once per due date (a tasking given a new date warns again)."""
    horizon = today + timedelta(days=TASKING_WARN_DAYS)
    due = tasking_list_open().filter(owner_officer__isnull=False, due_date__lte=horizon)
    sent = 0
    for tasking in due:
        officer = tasking.owner_officer
        if not officer.is_active:
            continue
        day = tasking.due_date
        target = (
            tasking.target_location
            or tasking.target_area
            or tasking.target_description
            or "a point"
        )
        when = "overdue since" if day < today else "due on"
        sent += bool(
            notification_send(
                user=officer,
                kind=NotificationKind.TASKING_DUE,
                key=f"tasking-due:{tasking.pk}:{day.isoformat()}",
                title=f"Tasking at {target} {when} {day:%d %b %Y}",
                url=reverse("analysis:tasking", args=[tasking.pk]),
                due_at=day_end(day),
            )
        )
    return sent


def notifications_clocks_due(*, now: datetime) -> int:
    """Each legal clock about to run out notifies the officer who served it,
    once per end time (an extended notice warns again)."""
    sent = 0
    for clock in legal_clock_list(now=now):
        action = clock.action
        officer = action.officer
        if clock.state != "due" or officer is None or not officer.is_active:
            continue
        if not officer.has_perm("disruption.view_disruptionaction"):
            continue
        where = action.location or action.area or "a point"
        url = (
            reverse("location-page", args=[action.location_id])
            if action.location_id
            else reverse("analysis:clocks")
        )
        sent += bool(
            notification_send(
                user=officer,
                kind=NotificationKind.LEGAL_CLOCK,
                key=f"clock:{action.pk}:{clock.ends_at.isoformat()}",
                title=f"{clock.what[:1].upper()}{clock.what[1:]} at {where} "
                f"{clock.left_words} ({clock.ends_at:%d %b %Y %H:%M})",
                url=url,
                due_at=clock.ends_at,
            )
        )
    return sent


def notifications_generate_due(*, now: datetime | None = None) -> dict[str, int]:
    """What the periodic job runs: idempotent, so running it twice (or on two
    workers at once) sends nothing twice."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    return {
        "flags": notifications_flags_due(today=today),
        "records": notifications_records_due(today=today),
        "clocks": notifications_clocks_due(now=now),
        "taskings": notifications_taskings_due(today=today),
    }


def _users(ids: set) -> dict:
    ids.discard(None)
    return {
        u.pk: u for u in get_user_model().objects.filter(pk__in=ids, is_active=True)
    }
