"""Notifications: what needs a user, on their home page and by email."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class NotificationKind(models.TextChoices):
    TASKING_ASSIGNED = "tasking_assigned", "A tasking given to me"
    TASKING_DUE = "tasking_due", "A tasking of mine coming due or overdue"
    FLAG_REVIEW = "flag_review", "A premises flag of mine coming due for review"
    RECORD_REVIEW = "record_review", "A record of mine coming due for review"
    LEGAL_CLOCK = "legal_clock", "A legal clock of mine about to run out"
    SAFETY_PLAN_ALERT = (
        "safety_plan_alert",
        "A safety plan of mine met its conditions (always emailed)",
    )


class Notification(models.Model):
    """One thing that needs its user. `key` names the item and its due-ness
    (a tasking, a flag and its review date, a clock and its end), so that the
    same condition never notifies twice, however often the job runs."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(max_length=24, choices=NotificationKind.choices)
    key = models.CharField(max_length=120)
    # Reference numbers, names and dates only: never record content, which
    # an email may carry further than the product's own pages.
    title = models.CharField(max_length=255)
    url = models.CharField(max_length=255)
    due_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "key"], name="notification_once_per_item"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=NotificationKind.values),
                name="notification_kind_valid",
            ),
        ]
        indexes = [
            models.Index(
                fields=["user", "-created_at"],
                name="notification_unread",
                condition=Q(read_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return self.title


class NotificationPreference(models.Model):
    """Whether a user gets one kind of notification by email as well as on
    their home page. No row: yes."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    kind = models.CharField(max_length=24, choices=NotificationKind.choices)
    email = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind"], name="notification_preference_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.kind} by email={self.email}"
