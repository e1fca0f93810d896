"""Screening of young people, missing-episode clocks and reviews, case
panels and safety plans (DESIGN.md, Safeguarding).

Who sees what is accounts.roles (the safeguarding permissions below: the
Safeguarding practitioner and administrators); every read goes through
safeguarding.selectors. The rules are database constraints where they can be
(an override moves one level, a changed outcome carries its reason).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from accounts.models import Agency
from intelligence.models import IntelligenceRecord
from locations.models import Location
from people.models import ScreeningOutcome, Subject, Vehicle


class Domain(models.TextChoices):
    MISSING = "missing", "Missing"
    EDUCATION = "education", "Education"
    RELATIONSHIPS = "relationships", "Relationships"
    PLACES = "places", "Places"
    VEHICLES = "vehicles", "Vehicles"
    MONEY = "money", "Money and gifts"
    ONLINE = "online", "Online contact"
    SUBSTANCES = "substances", "Substances"
    HEALTH = "health", "Health"
    EMOTIONAL = "emotional", "Emotional wellbeing"


class IndicatorSet(models.Model):
    """One version of a partnership's screening tool and its outcome rule.

    The rule (safeguarding.rules) reads its thresholds from here, so a
    screening done on a version is always explained by that version's rule.
    """

    version = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=120)
    current = models.BooleanField(default=False)
    # Significant risk when this many significant indicators are present now.
    significant_threshold = models.PositiveSmallIntegerField(default=3)
    # At risk when this many indicators of any kind are present now.
    any_threshold = models.PositiveSmallIntegerField(default=3)
    # Days to the next screening, by outcome.
    review_days_significant = models.PositiveSmallIntegerField(default=28)
    review_days_at_risk = models.PositiveSmallIntegerField(default=91)
    review_days_none = models.PositiveSmallIntegerField(default=182)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [
            (
                "view_safeguarding_aggregates",
                "Can see safeguarding reports: counts only, small counts suppressed",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["current"],
                condition=Q(current=True),
                name="indicator_set_one_current",
            ),
            models.CheckConstraint(
                condition=Q(significant_threshold__gte=1, any_threshold__gte=1),
                name="indicator_set_thresholds_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.version})"


class Indicator(models.Model):
    indicator_set = models.ForeignKey(
        IndicatorSet, on_delete=models.PROTECT, related_name="indicators"
    )
    code = models.SlugField(max_length=48)
    domain = models.CharField(max_length=16, choices=Domain.choices)
    text = models.CharField(max_length=255)
    # A significant indicator alone gives at least "at risk".
    significant = models.BooleanField(default=False)
    # A disclosure (the child says they were abused) gives significant risk.
    disclosure = models.BooleanField(default=False)
    # Persistent school absence: the absence report reads this one.
    persistent_absence = models.BooleanField(default=False)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["indicator_set", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator_set", "code"], name="indicator_code_unique"
            ),
            models.CheckConstraint(
                condition=Q(domain__in=Domain.values), name="indicator_domain_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.text


# Outcome levels, lowest first: an override may move one step either way.
OUTCOME_LEVELS = [
    ScreeningOutcome.NO_CURRENT_RISK,
    ScreeningOutcome.AT_RISK,
    ScreeningOutcome.SIGNIFICANT_RISK,
]


class Screening(models.Model):
    subject = models.ForeignKey(
        Subject, on_delete=models.PROTECT, related_name="screenings"
    )
    indicator_set = models.ForeignKey(
        IndicatorSet, on_delete=models.PROTECT, related_name="screenings"
    )
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    agency = models.CharField(max_length=32, choices=Agency.choices, blank=True)
    screened_at = models.DateTimeField(auto_now_add=True, db_index=True)
    computed_outcome = models.CharField(max_length=24, choices=ScreeningOutcome.choices)
    # Which step of the rule gave the computed outcome, in words.
    rule_applied = models.TextField()
    outcome = models.CharField(
        "final outcome", max_length=24, choices=ScreeningOutcome.choices
    )
    override_reason = models.TextField(blank=True)
    review_date = models.DateField()

    class Meta:
        ordering = ["-screened_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(computed_outcome__in=ScreeningOutcome.values)
                & Q(outcome__in=ScreeningOutcome.values),
                name="screening_outcomes_valid",
            ),
            # An override moves one level, never from none to significant.
            models.CheckConstraint(
                condition=~Q(
                    computed_outcome=ScreeningOutcome.NO_CURRENT_RISK,
                    outcome=ScreeningOutcome.SIGNIFICANT_RISK,
                )
                & ~Q(
                    computed_outcome=ScreeningOutcome.SIGNIFICANT_RISK,
                    outcome=ScreeningOutcome.NO_CURRENT_RISK,
                ),
                name="screening_override_one_level",
            ),
            models.CheckConstraint(
                condition=Q(outcome=models.F("computed_outcome"), override_reason="")
                | (~Q(outcome=models.F("computed_outcome")) & ~Q(override_reason="")),
                name="screening_override_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Screening {self.pk} of {self.subject_id}"

    @property
    def overridden(self) -> bool:
        return self.outcome != self.computed_outcome


class Presence(models.TextChoices):
    PRESENT = "present", "Present"
    POSSIBLE = "possible", "Possible"
    ABSENT = "absent", "Absent"


class When(models.TextChoices):
    NOW = "now", "Now"
    EARLIER = "earlier", "Earlier"


class ScreeningAnswer(models.Model):
    screening = models.ForeignKey(
        Screening, on_delete=models.CASCADE, related_name="answers"
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT)
    presence = models.CharField(max_length=8, choices=Presence.choices)
    when = models.CharField(max_length=8, choices=When.choices, default=When.NOW)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["indicator__order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["screening", "indicator"], name="screening_answer_once"
            ),
            models.CheckConstraint(
                condition=Q(presence__in=Presence.values) & Q(when__in=When.values),
                name="screening_answer_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id}: {self.presence} ({self.when})"


class ScreeningMention(models.Model):
    """A place or vehicle the screening names: a protective concern there
    (the hot spots weigh the places), and a people link when the screening
    cites a record."""

    screening = models.ForeignKey(
        Screening, on_delete=models.CASCADE, related_name="mentions"
    )
    location = models.ForeignKey(
        Location, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    vehicle = models.ForeignKey(
        Vehicle, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(location__isnull=False, vehicle__isnull=True)
                | Q(location__isnull=True, vehicle__isnull=False),
                name="screening_mention_one_end",
            )
        ]

    def __str__(self) -> str:
        return (
            f"screening {self.screening_id} names {self.location_id or self.vehicle_id}"
        )


# --- Missing episodes ----------------------------------------------------------


class ReturnInterview(models.Model):
    """The return home interview after one missing episode of one child."""

    record = models.ForeignKey(
        IntelligenceRecord, on_delete=models.CASCADE, related_name="+"
    )
    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="+")
    held_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["record", "subject"], name="return_interview_once"
            )
        ]

    def __str__(self) -> str:
        return f"return interview after {self.record_id}"


class MaspDecision(models.TextChoices):
    NO_FURTHER_ACTION = "nfa", "No further action"
    SCREENING_REQUESTED = "screening", "Screening requested"
    REFER_CMOG = "refer_cmog", "Refer to CMOG"
    SAFETY_PLAN_UPDATED = "safety_plan", "Safety plan updated"


class MaspReview(models.Model):
    """The Multi-Agency Screening Panel's decision on one missing episode."""

    record = models.ForeignKey(
        IntelligenceRecord, on_delete=models.CASCADE, related_name="+"
    )
    subject = models.ForeignKey(
        Subject, on_delete=models.CASCADE, related_name="masp_reviews"
    )
    meeting = models.ForeignKey(
        "disruption.TaskingMeeting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decision = models.CharField(max_length=16, choices=MaspDecision.choices)
    notes = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["record", "subject"], name="masp_review_once"
            ),
            models.CheckConstraint(
                condition=Q(decision__in=MaspDecision.values),
                name="masp_decision_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"MASP: {self.get_decision_display()}"


# --- Case panels ---------------------------------------------------------------


class Panel(models.TextChoices):
    """The panels that hold cases; each sits as a disruption.TaskingMeeting
    of the same group."""

    CMOG = "cse_mog", "CSE and missing operational group (CMOG)"
    MACE = "mace", "Multi-agency child exploitation (MACE)"
    PERPETRATOR = "perpetrator", "Perpetrator case management forum"


class RiskLevel(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class PanelCase(models.Model):
    """A young person (CMOG, MACE) or a person of interest (perpetrator
    forum) on a panel's books."""

    panel = models.CharField(max_length=16, choices=Panel.choices)
    subject = models.ForeignKey(
        Subject, on_delete=models.PROTECT, related_name="panel_cases"
    )
    referred_by = models.ForeignKey(
        MaspReview, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    risk_level = models.CharField(
        max_length=8, choices=RiskLevel.choices, default=RiskLevel.MEDIUM
    )
    lead_professional = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    lead_agency = models.CharField(max_length=32, choices=Agency.choices, blank=True)
    # Due for review at the panel's first sitting on or after this date.
    next_review = models.DateField(db_index=True)
    # Triaged and found to need multi-agency intervention (CMOG's figures).
    intervention = models.BooleanField(default=False)
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["next_review", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["panel", "subject"],
                condition=Q(closed_at__isnull=True),
                name="panel_case_one_open",
            ),
            models.CheckConstraint(
                condition=Q(panel__in=Panel.values), name="panel_case_panel_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_panel_display()}: {self.subject}"


class CaseReview(models.Model):
    """What a sitting of the panel decided on a case (kept, one per sitting)."""

    case = models.ForeignKey(
        PanelCase, on_delete=models.CASCADE, related_name="reviews"
    )
    meeting = models.ForeignKey(
        "disruption.TaskingMeeting", on_delete=models.PROTECT, related_name="+"
    )
    risk_level = models.CharField(max_length=8, choices=RiskLevel.choices)
    lead_professional = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    lead_agency = models.CharField(max_length=32, choices=Agency.choices)
    next_review = models.DateField()
    notes = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-reviewed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "meeting"], name="case_review_once_per_sitting"
            ),
            models.CheckConstraint(
                condition=Q(risk_level__in=RiskLevel.values),
                name="case_review_risk_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"review of case {self.case_id} at {self.meeting_id}"


class Intervention(models.TextChoices):
    ACTION = "action", "Multi-agency action"
    CAWN = "cawn", "Child abduction warning notice"
    SRO = "sexual_risk_order", "Sexual risk order"
    INJUNCTION = "injunction", "Inherent-jurisdiction injunction"


class CaseAction(models.Model):
    case = models.ForeignKey(
        PanelCase, on_delete=models.CASCADE, related_name="actions"
    )
    review = models.ForeignKey(
        CaseReview, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    intervention = models.CharField(
        max_length=24, choices=Intervention.choices, default=Intervention.ACTION
    )
    description = models.CharField(max_length=255)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    owner_agency = models.CharField(max_length=32, choices=Agency.choices)
    due_date = models.DateField()
    done_at = models.DateTimeField(null=True, blank=True)
    # A CAWN or SRO served: its action carries the legal clock.
    served = models.ForeignKey(
        "disruption.DisruptionAction",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(intervention__in=Intervention.values),
                name="case_action_intervention_valid",
            )
        ]

    def __str__(self) -> str:
        return self.description


# --- Safety plans --------------------------------------------------------------


class SafetyPlan(models.Model):
    subject = models.ForeignKey(
        Subject, on_delete=models.PROTECT, related_name="safety_plans"
    )
    police_contact = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    lead_professional = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    starts_on = models.DateField()
    ends_on = models.DateField()
    response = models.CharField(max_length=255, default="Immediate police response")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="safety_plan_window_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"Safety plan {self.pk}"


class SafetyPlanTrigger(models.Model):
    plan = models.ForeignKey(
        SafetyPlan, on_delete=models.CASCADE, related_name="triggers"
    )
    location = models.ForeignKey(
        Location, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    vehicle = models.ForeignKey(
        Vehicle, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(location__isnull=False, vehicle__isnull=True)
                | Q(location__isnull=True, vehicle__isnull=False),
                name="safety_plan_trigger_one_end",
            ),
            models.UniqueConstraint(
                fields=["plan", "location", "vehicle"],
                nulls_distinct=False,
                name="safety_plan_trigger_once",
            ),
        ]

    def __str__(self) -> str:
        return f"plan {self.plan_id} trigger"


class SafetyPlanAlert(models.Model):
    """A record that met a plan's conditions, and who acknowledged it:
    kept, with what matched, as the log of the alert."""

    plan = models.ForeignKey(
        SafetyPlan, on_delete=models.CASCADE, related_name="alerts"
    )
    record = models.ForeignKey(
        IntelligenceRecord, on_delete=models.CASCADE, related_name="+"
    )
    matched = models.CharField(max_length=255)
    raised_at = models.DateTimeField(auto_now_add=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "record"], name="alert_once"),
            models.CheckConstraint(
                condition=Q(acknowledged_by__isnull=True, acknowledged_at__isnull=True)
                | Q(acknowledged_by__isnull=False, acknowledged_at__isnull=False),
                name="alert_acknowledged_by_and_when",
            ),
        ]

    def __str__(self) -> str:
        return f"alert {self.pk} on plan {self.plan_id}"
