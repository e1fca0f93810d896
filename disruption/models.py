from datetime import timedelta

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db.models import F, Q
from django.urls import reverse

from accounts.models import Agency
from history.tracking import tracked
from locations.models import Area, Location
from locations.triggers import PROJECTED_SRID, projected_point_trigger


class ActionType(models.TextChoices):
    LICENSING_INSPECTION = "licensing_inspection", "Licensing inspection"
    AWARENESS_VISIT = "awareness_visit", "Hotel / business awareness visit"
    TEST_PURCHASE = "test_purchase", "Test purchase or test check"
    VEHICLE_CHECK = "vehicle_check", "Taxi / private hire vehicle check"
    PATROL = "patrol", "High-visibility patrol"
    DETACHED_YOUTH_WORK = "detached_youth_work", "Detached youth work"
    CAWN = "cawn", "Child abduction warning notice served"
    HOTEL_INFORMATION_NOTICE = "s116_notice", "Hotel information notice (s.116)"
    CLOSURE_NOTICE = "closure_notice", "Closure notice"
    CLOSURE_ORDER = "closure_order", "Closure order"
    SEXUAL_RISK_ORDER = "sexual_risk_order", "Sexual risk order"
    LICENCE_REVIEW = "licence_review", "Licence review requested"
    COMMUNITY_PROTECTION_NOTICE = "cpn", "Community protection notice"
    CCTV_ANPR_REVIEW = "cctv_anpr_review", "CCTV / ANPR review"
    OWNER_CONTACT = "owner_contact", "Letter or meeting with owner"
    OTHER = "other", "Other"


# Powers that run out: they carry a served date and an end date, and the
# product warns before the end passes.
TIMED_POWERS = frozenset(
    {
        ActionType.CAWN,
        ActionType.HOTEL_INFORMATION_NOTICE,
        ActionType.CLOSURE_NOTICE,
        ActionType.CLOSURE_ORDER,
        ActionType.SEXUAL_RISK_ORDER,
        ActionType.COMMUNITY_PROTECTION_NOTICE,
    }
)


class Outcome(models.TextChoices):
    ADVICE_GIVEN = "advice_given", "Advice given"
    STAFF_TRAINED = "staff_trained", "Staff trained"
    COMPLIANT = "compliant", "Compliant"
    BREACHES_FOUND = "breaches_found", "Breaches found"
    NOTICE_SERVED = "notice_served", "Notice served"
    REFERRAL_MADE = "referral_made", "Referral made"
    ARREST = "arrest", "Arrest"
    NO_ACCESS = "no_access", "No access"
    OTHER = "other", "Other"


class Sector(models.TextChoices):
    """Which awareness-visit checklist of warning signs applies."""

    HOTEL = "hotel", "Hotels and B&Bs"
    TAXI = "taxi", "Taxis and private hire"
    TAKEAWAY = "takeaway", "Takeaways"
    LICENSED = "licensed", "Licensed premises"


class TaskingGroup(models.TextChoices):
    DAILY = "daily_tasking", "Daily local policing tasking"
    CSE_MOG = "cse_mog", "CSE and missing operational group"
    PARTNERSHIP = "partnership", "Community safety partnership tasking"
    LICENSING = "licensing", "Licensing and enforcement group"
    # The safeguarding panels (safeguarding.models.Panel) sit as meetings too.
    MASP = "masp", "Multi-agency screening panel (MASP)"
    MACE = "mace", "Multi-agency child exploitation (MACE)"
    PERPETRATOR = "perpetrator", "Perpetrator case management forum"


@tracked()
class TaskingMeeting(models.Model):
    group = models.CharField(max_length=32, choices=TaskingGroup.choices)
    held_on = models.DateField()
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "held_on"], name="meeting_unique_group_date"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_group_display()} {self.held_on:%d %b %Y}"


class Priority(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    URGENT = "urgent", "Urgent"


class TaskingStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


# A tasking is still to be worked in these; done and cancelled close it.
TASKING_OPEN_STATUSES = (TaskingStatus.OPEN, TaskingStatus.IN_PROGRESS)
TASKING_CLOSED_STATUSES = (TaskingStatus.DONE, TaskingStatus.CANCELLED)


@tracked()
class Tasking(models.Model):
    meeting = models.ForeignKey(
        TaskingMeeting, on_delete=models.PROTECT, related_name="taskings"
    )
    # The target: a location, an area, or a point (a hot-spot grid cell).
    target_location = models.ForeignKey(
        Location,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="taskings",
    )
    target_area = models.ForeignKey(
        Area, on_delete=models.PROTECT, null=True, blank=True, related_name="taskings"
    )
    target_point = models.PointField(srid=4326, null=True, blank=True)
    target_description = models.CharField(max_length=255, blank=True)
    reason = models.TextField()
    priority = models.CharField(max_length=8, choices=Priority.choices)
    owner_agency = models.CharField(max_length=32, choices=Agency.choices)
    owner_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="taskings",
    )
    due_date = models.DateField()
    status = models.CharField(
        max_length=16, choices=TaskingStatus.choices, default=TaskingStatus.OPEN
    )
    # A tasking still open at a meeting is carried into the next one.
    carried_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [
            models.Index(fields=["status", "due_date"], name="tasking_status_due")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(target_location__isnull=False)
                | Q(target_area__isnull=False)
                | Q(target_point__isnull=False),
                name="tasking_has_target",
            ),
            models.CheckConstraint(
                condition=~Q(reason=""), name="tasking_reason_required"
            ),
            models.CheckConstraint(
                # A list, as the migration states it (a tuple would read as
                # a change of the constraint).
                condition=Q(
                    status__in=list(TASKING_CLOSED_STATUSES), closed_at__isnull=False
                )
                | Q(status__in=list(TASKING_OPEN_STATUSES), closed_at__isnull=True),
                name="tasking_closed_at_matches_status",
            ),
        ]

    def __str__(self) -> str:
        target = self.target_location or self.target_area or self.target_description
        return f"{target}: {self.reason[:40]}"


@tracked()
class DisruptionAction(models.Model):
    action_type = models.CharField(max_length=32, choices=ActionType.choices)
    agency = models.CharField(max_length=32, choices=Agency.choices)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="disruption_actions",
    )
    occurred_at = models.DateTimeField(db_index=True)
    # Where: a location, else a point, else an area. A location's point is
    # copied onto the action when it is logged.
    location = models.ForeignKey(
        Location,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="disruption_actions",
    )
    point = models.PointField(srid=4326, null=True, blank=True)
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    point_bng = models.PointField(srid=PROJECTED_SRID, editable=False, null=True)
    area_ids = ArrayField(models.BigIntegerField(), default=list, editable=False)

    outcome = models.CharField(max_length=32, choices=Outcome.choices)
    notes = models.TextField(blank=True)
    staff_trained = models.PositiveIntegerField(null=True, blank=True)
    follow_up_date = models.DateField(null=True, blank=True)
    tasking = models.ForeignKey(
        Tasking,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
    )

    # Awareness visits: the sector's warning-sign checklist, as the keys of
    # the signs covered, and whether the business joined the watch scheme.
    sector = models.CharField(max_length=16, choices=Sector.choices, blank=True)
    checklist = ArrayField(models.CharField(max_length=48), default=list, blank=True)
    joined_watch_scheme = models.BooleanField(null=True, blank=True)

    # Legal clocks for powers that run out.
    served_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True, db_index=True)
    court_hearing_at = models.DateTimeField(null=True, blank=True)
    authorised_by = models.CharField(
        max_length=120,
        blank=True,
        help_text="Name and rank of the authorising officer.",
    )
    authorising_rank = models.CharField(max_length=32, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-occurred_at"]
        permissions = [
            ("view_own_agency_only", "Sees only their own agency's actions"),
        ]
        indexes = [GinIndex(fields=["area_ids"], name="action_area_ids_gin")]
        constraints = [
            models.CheckConstraint(
                condition=Q(location__isnull=False)
                | Q(point__isnull=False)
                | Q(area__isnull=False),
                name="action_has_place",
            ),
            models.CheckConstraint(
                condition=Q(action_type__in=ActionType.values), name="action_type_valid"
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=Outcome.values), name="action_outcome_valid"
            ),
            models.CheckConstraint(
                condition=Q(expires_at__isnull=True)
                | (Q(served_at__isnull=False) & Q(expires_at__gt=F("served_at"))),
                name="action_expiry_after_served",
            ),
            # A s.116 notice lasts at most six months: backstop in the database
            # (184 days covers every six-month span); services apply the exact
            # calendar rule and say why.
            models.CheckConstraint(
                condition=~Q(action_type="s116_notice")
                | (
                    Q(served_at__isnull=False, expires_at__isnull=False)
                    & Q(expires_at__lte=F("served_at") + timedelta(days=184))
                ),
                name="action_s116_at_most_six_months",
            ),
        ]
        triggers = [projected_point_trigger()]

    def get_absolute_url(self) -> str:
        return reverse("disruption:action", args=[self.pk])

    def __str__(self) -> str:
        where = self.location or self.area or "a point"
        return f"{self.get_action_type_display()} at {where} on {self.occurred_at:%d %b %Y}"
