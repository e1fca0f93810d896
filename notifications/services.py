"""Every write to notifications: sending one (on the page, and by email when
its user wants it), reading them, choosing which come by email, and the
periodic look for what is coming due."""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone

from accounts.roles import can_read_map
from disruption.legal import legal_clock_list
from disruption.models import Tasking
from intelligence.models import IntelligenceRecord
from intelligence.selectors import record_can_review, record_list
from locations.models import ConcernFlag, ConcernLevel, FlagAction, Location

from .models import Notification, NotificationKind, NotificationPreference
from .selectors import notification_wants_email

# How far ahead a review date warns its owner. Legal clocks warn as the clock
# dashboard does (disruption.legal.WARN_DAYS; closure notices always).
REVIEW_WARN_DAYS = 14


def _day_end(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(23, 59)))


@transaction.atomic
def notification_send(
    *,
    user: AbstractBaseUser,
    kind: str,
    key: str,
    title: str,
    url: str,
    due_at: datetime | None = None,
) -> Notification | None:
    """The notification for this item and due-ness, made once: None if it was
    already sent (the unique constraint decides, also between two workers).
    Its email is queued in the same transaction, so neither is lost."""
    if not user.is_active:
        return None
    try:
        with transaction.atomic():
            notification, created = Notification.objects.get_or_create(
                user=user,
                kind=kind,
                key=key,
                defaults={"title": title[:255], "url": url, "due_at": due_at},
            )
    except IntegrityError:
        return None
    if not created:
        return None
    if user.email and notification_wants_email(user=user, kind=kind):
        from .tasks import notification_email

        notification_email.defer(notification_id=notification.pk)
    return notification


@transaction.atomic
def notification_email_send(*, notification_id: int) -> bool:
    """Send one notification's email through Django's email framework (the
    console backend in the demo). Sent at most once."""
    notification = (
        Notification.objects.select_for_update()
        .select_related("user")
        .filter(pk=notification_id, emailed_at__isnull=True)
        .first()
    )
    if notification is None or not notification.user.email:
        return False
    link = settings.SITE_URL.rstrip("/") + notification.url
    prefs = settings.SITE_URL.rstrip("/") + reverse("notifications:preferences")
    send_mail(
        subject=f"Intel Map: {notification.title}",
        message=(
            f"{notification.title}\n\n{link}\n\n"
            f"Choose which notifications you get by email: {prefs}\n"
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[notification.user.email],
    )
    notification.emailed_at = timezone.now()
    notification.save(update_fields=["emailed_at"])
    return True


def notification_mark_read(*, user: AbstractBaseUser, pk: int) -> int:
    """Only the user's own; 0 if there is no such unread notification."""
    return Notification.objects.filter(user=user, pk=pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def notification_mark_all_read(*, user: AbstractBaseUser) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def notification_preferences_set(
    *, user: AbstractBaseUser, email_kinds: list[str]
) -> None:
    unknown = set(email_kinds) - set(NotificationKind.values)
    if unknown:
        raise ValueError(f"Unknown notification kinds: {sorted(unknown)}")
    for kind in NotificationKind.values:
        NotificationPreference.objects.update_or_create(
            user=user, kind=kind, defaults={"email": kind in email_kinds}
        )


# --- On the event ---------------------------------------------------------------


def notification_tasking_assigned(*, tasking: Tasking) -> Notification | None:
    """A tasking given to an officer reaches them at once. Keyed by the
    officer, so giving it to someone else notifies the new owner."""
    officer = tasking.owner_officer
    if officer is None:
        return None
    target = (
        tasking.target_location or tasking.target_area or tasking.target_description
    )
    return notification_send(
        user=officer,
        kind=NotificationKind.TASKING_ASSIGNED,
        key=f"tasking:{tasking.pk}:{officer.pk}",
        title=(
            f"Tasking for you ({tasking.get_priority_display().lower()} priority): "
            f"{target or 'a point'}, due {tasking.due_date:%d %b %Y}"
        ),
        url=reverse("analysis:tasking", args=[tasking.pk]),
        due_at=_day_end(tasking.due_date),
    )


# --- Coming due: the periodic job -------------------------------------------------


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
                due_at=_day_end(day),
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
                    due_at=_day_end(day),
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
    }


def _users(ids: set) -> dict:
    ids.discard(None)
    return {
        u.pk: u for u in get_user_model().objects.filter(pk__in=ids, is_active=True)
    }
