from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now

from .triggers import append_only_triggers


class AccessAction(models.TextChoices):
    OPENED = "opened", "Opened a record"
    LISTED = "listed", "Listed records"
    SEARCHED = "searched", "Searched (counts by kind and grade)"
    EXPORTED = "exported", "Exported"
    DENIED = "denied", "Denied"


class AccessLogEntry(models.Model):
    """One consultation or disclosure of intelligence, or a refused attempt.

    Section 62 of the Data Protection Act 2018: who, when, which records and
    why. Rows are only ever inserted (one per event, whatever the number of
    records); the database refuses UPDATE, DELETE and TRUNCATE.
    """

    # UTC in the database (timestamptz), stamped by the database's clock.
    at = models.DateTimeField(db_default=Now(), db_index=True, editable=False)
    # PROTECT: a user with log entries is deactivated, never deleted, so the
    # log keeps saying who it was.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    username = models.CharField(max_length=150)
    action = models.CharField(max_length=16, choices=AccessAction.choices)
    what = models.CharField(max_length=200)
    route = models.CharField(max_length=2000)
    # No foreign key: a record disposed of under retention review stays named
    # in the log. One array per event keeps logging to one INSERT.
    record_ids = ArrayField(models.BigIntegerField(), default=list, blank=True)
    count = models.PositiveIntegerField(default=0)
    # An aggregate's parameters as it applied them (dates resolved, the data
    # version read): the records it weighed are derived again from these
    # (audit.consults, README "Security").
    params = models.JSONField(
        default=dict, db_default=models.Value({}, models.JSONField()), blank=True
    )
    justification = models.TextField(blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "access log entry"
        verbose_name_plural = "access log"
        indexes = [
            GinIndex(fields=["record_ids"], name="access_log_record_ids_gin"),
            models.Index(fields=["user", "at"], name="access_log_user_at_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=AccessAction.values),
                name="access_log_action_valid",
            ),
            # A consultation always carries the reason given; only a refused
            # attempt may come without one.
            models.CheckConstraint(
                condition=Q(action=AccessAction.DENIED) | ~Q(justification=""),
                name="access_log_justified",
            ),
        ]
        triggers = append_only_triggers()

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.username} {self.action} {self.what}"
