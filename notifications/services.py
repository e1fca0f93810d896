"""Every write to notifications: sending one (on the page, and by email when
its user wants it), reading them and choosing which come by email. What
sends them lives with its domain (disruption.services for taskings) or in
notifications.due (the periodic look for what is coming due)."""

from datetime import datetime, time

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from .models import Notification, NotificationKind, NotificationPreference
from .selectors import notification_wants_email


def day_end(day) -> datetime:
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
    queue_email: bool = True,
) -> Notification | None:
    """The notification for this item and due-ness, made once: None if it was
    already sent (the unique constraint decides, also between two workers).
    Its email is queued in the same transaction, so neither is lost; unless
    the caller sends it itself (`queue_email=False`: at once, on commit)."""
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
    if queue_email and user.email and notification_wants_email(user=user, kind=kind):
        from .tasks import notification_email

        notification_email.defer(notification_id=notification.pk)
    return notification


def notification_email_queue(*, notification_id: int) -> None:
    """Queue one notification's email for the worker (sent with retries)."""
    from .tasks import notification_email

    notification_email.defer(notification_id=notification_id)


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
