"""Every read of notifications."""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from .models import Notification, NotificationKind, NotificationPreference


def notification_list(*, user: AbstractBaseUser) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).order_by("-created_at", "-id")


def notification_unread(*, user: AbstractBaseUser) -> QuerySet[Notification]:
    return notification_list(user=user).filter(read_at__isnull=True)


def notification_email_kinds(*, user: AbstractBaseUser) -> set[str]:
    """The kinds this user gets by email: every kind unless they said no."""
    refused = set(
        NotificationPreference.objects.filter(user=user, email=False).values_list(
            "kind", flat=True
        )
    )
    return set(NotificationKind.values) - refused


def notification_wants_email(*, user: AbstractBaseUser, kind: str) -> bool:
    return not NotificationPreference.objects.filter(
        user=user, kind=kind, email=False
    ).exists()
