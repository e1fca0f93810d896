"""Taxi and private-hire licensing, and the DBS and training register of
council staff and councillors.

A licensed vehicle is one row of the shared vehicle table (people.Vehicle:
one car, one row), pointed at here, never a second registration column. An
operator's base is a location of the premises register (category private
hire operator base). Compliance (DBS and CSE training) is never stored: it is
computed from the dates held (licensing.compliance), so a register can filter
and count by it in SQL.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from disruption.models import DisruptionAction
from history.tracking import tracked
from locations.models import Location
from people.models import Vehicle


class LicenceType(models.TextChoices):
    HACKNEY = "hackney", "Hackney carriage"
    PRIVATE_HIRE = "private_hire", "Private hire"
    DUAL = "dual", "Dual (hackney and private hire)"


class LicenceStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    SUSPENDED = "suspended", "Suspended"
    REVOKED = "revoked", "Revoked"
    EXPIRED = "expired", "Expired"
    RENEWAL_REFUSED = "renewal_refused", "Renewal refused"


class Compliance(models.TextChoices):
    COMPLIANT = "compliant", "Compliant"
    DUE = "due", "Due within 30 days"
    NOT_COMPLIANT = "not_compliant", "Not compliant"


class ComplianceDates(models.Model):
    """What the compliance engine reads: the enhanced DBS check (with the
    barred lists) and CSE and safeguarding training. The certificate's number
    is held, never its content."""

    dbs_issued_on = models.DateField(null=True, blank=True)
    dbs_certificate_number = models.CharField(max_length=20, blank=True)
    dbs_update_service = models.BooleanField(default=False)
    dbs_last_checked_on = models.DateField(null=True, blank=True)
    training_course = models.CharField(max_length=120, blank=True)
    training_provider = models.CharField(max_length=120, blank=True)
    training_completed_on = models.DateField(null=True, blank=True)
    training_refresher_due = models.DateField(null=True, blank=True)

    class Meta:
        abstract = True
        constraints = [
            # A status check is done through the update service only.
            models.CheckConstraint(
                condition=Q(dbs_last_checked_on__isnull=True)
                | Q(dbs_update_service=True),
                name="%(app_label)s_%(class)s_update_check_subscribed",
            ),
        ]


@tracked()
class Operator(models.Model):
    """A private-hire operator's licence and its base."""

    licence_number = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    base = models.ForeignKey(
        Location,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="operators",
        limit_choices_to={"category": "private_hire_base"},
    )
    status = models.CharField(
        max_length=16, choices=LicenceStatus.choices, default=LicenceStatus.ACTIVE
    )
    expires_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=LicenceStatus.values),
                name="licensing_operator_status_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.licence_number})"


@tracked()
class Driver(ComplianceDates):
    """A licensed hackney carriage or private-hire driver. The name is on the
    council's own register; only licensing officers, analysts and
    administrators see it (licensing.selectors)."""

    licence_number = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    licence_type = models.CharField(max_length=16, choices=LicenceType.choices)
    status = models.CharField(
        max_length=16, choices=LicenceStatus.choices, default=LicenceStatus.ACTIVE
    )
    issued_on = models.DateField()
    expires_on = models.DateField()
    operator = models.ForeignKey(
        Operator,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="drivers",
    )
    conditions = models.TextField(blank=True)
    # The licensing officer who holds this licence: told when new
    # intelligence concerns the driver's vehicle.
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["licence_number"]
        permissions = [
            ("import_licences", "Import a council's licensing register"),
            ("act_on_licence", "Suspend, revoke or refuse to renew a licence"),
            ("view_licence", "See a licence's number, plate and compliance"),
        ]
        constraints = [
            *ComplianceDates.Meta.constraints,
            models.CheckConstraint(
                condition=Q(expires_on__gte=models.F("issued_on")),
                name="licensing_driver_expiry_after_issue",
            ),
            models.CheckConstraint(
                condition=Q(status__in=LicenceStatus.values),
                name="licensing_driver_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(licence_type__in=LicenceType.values),
                name="licensing_driver_type_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.licence_number

    def get_absolute_url(self) -> str:
        return reverse("licensing:driver", args=[self.pk])


@tracked()
class LicensedVehicle(models.Model):
    """A licensed car: its plate, pointing at the one row of its mark."""

    vehicle = models.OneToOneField(
        Vehicle, on_delete=models.PROTECT, related_name="licence"
    )
    plate_number = models.CharField(max_length=20, unique=True)
    licence_type = models.CharField(max_length=16, choices=LicenceType.choices)
    status = models.CharField(
        max_length=16, choices=LicenceStatus.choices, default=LicenceStatus.ACTIVE
    )
    plate_expires_on = models.DateField()
    driver = models.ForeignKey(
        Driver,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="vehicles",
    )
    operator = models.ForeignKey(
        Operator,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="vehicles",
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["plate_number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=LicenceStatus.values),
                name="licensing_vehicle_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(licence_type__in=[LicenceType.HACKNEY, "private_hire"]),
                name="licensing_vehicle_type_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.plate_number

    def get_absolute_url(self) -> str:
        return reverse("licensing:vehicle", args=[self.pk])

    @property
    def operator_shown(self) -> "Operator | None":
        """The vehicle's operator, else its driver's."""
        if self.operator_id:
            return self.operator
        return self.driver.operator if self.driver_id else None


class ActionKind(models.TextChoices):
    SUSPEND = "suspend", "Suspended"
    REVOKE = "revoke", "Revoked"
    REFUSE_RENEWAL = "refuse_renewal", "Renewal refused"
    REINSTATE = "reinstate", "Reinstated"


ACTION_STATUS = {
    ActionKind.SUSPEND: LicenceStatus.SUSPENDED,
    ActionKind.REVOKE: LicenceStatus.REVOKED,
    ActionKind.REFUSE_RENEWAL: LicenceStatus.RENEWAL_REFUSED,
    ActionKind.REINSTATE: LicenceStatus.ACTIVE,
}


class LicenceAction(models.Model):
    """A decision on a driver's licence: what, why, from when, and who."""

    driver = models.ForeignKey(Driver, on_delete=models.PROTECT, related_name="actions")
    kind = models.CharField(max_length=16, choices=ActionKind.choices)
    reason = models.TextField()
    effective_on = models.DateField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-effective_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ActionKind.values),
                name="licensing_action_kind_valid",
            ),
            models.CheckConstraint(
                condition=~Q(reason=""), name="licensing_action_reason_given"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.driver}: {self.get_kind_display()} {self.effective_on}"


class CheckOutcome(models.TextChoices):
    COMPLIANT = "compliant", "Compliant: licence, plate and badge in order"
    BREACH = "breach", "Breach of licence conditions"
    NOT_LICENSED = "not_licensed", "Driving without a valid licence"
    REVOKED_IN_USE = "revoked_in_use", "Revoked or suspended licence in use"
    REFERRED = "referred", "Referred for licence review"


class TaxiCheck(models.Model):
    """A taxi or private-hire vehicle check, logged as a disruption action
    (disruption.services.disruption_log), with the vehicle and driver
    checked and the outcome against the licence. The licence's status when
    checked is kept, so a later check of a revoked licence shows it."""

    action = models.OneToOneField(
        DisruptionAction, on_delete=models.PROTECT, related_name="taxi_check"
    )
    vehicle = models.ForeignKey(
        LicensedVehicle,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="checks",
    )
    driver = models.ForeignKey(
        Driver, on_delete=models.PROTECT, null=True, blank=True, related_name="checks"
    )
    outcome = models.CharField(max_length=16, choices=CheckOutcome.choices)
    status_when_checked = models.CharField(
        max_length=16, choices=LicenceStatus.choices, blank=True
    )

    class Meta:
        ordering = ["-action__occurred_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(vehicle__isnull=False) | Q(driver__isnull=False),
                name="licensing_check_names_vehicle_or_driver",
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=CheckOutcome.values),
                name="licensing_check_outcome_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"Check {self.action_id}: {self.get_outcome_display()}"


class LicensingPrompt(models.Model):
    """New intelligence mentions a vehicle this officer licenses. Written by
    a trigger on the mention links (migration 0002), whatever wrote the
    record; it carries no record content, only that there is some. The row
    is the log: which record, which licence, which officer, when, and when
    the officer saw it."""

    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    licensed_vehicle = models.ForeignKey(
        LicensedVehicle, on_delete=models.CASCADE, related_name="prompts"
    )
    record_id = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    seen_at = models.DateTimeField(null=True, blank=True)
    dismissed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["officer", "licensed_vehicle", "record_id"],
                name="licensing_prompt_once",
            )
        ]

    def __str__(self) -> str:
        return f"Prompt for {self.officer_id}: {self.licensed_vehicle_id}"


class StaffKind(models.TextChoices):
    STAFF = "staff", "Council staff"
    COUNCILLOR = "councillor", "Councillor"


@tracked()
class StaffMember(ComplianceDates):
    """A council employee or elected member on the DBS and training register."""

    reference = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=StaffKind.choices)
    # A directorate for staff, a ward for councillors.
    directorate = models.CharField(max_length=120)
    role = models.CharField(max_length=120, blank=True)
    needs_enhanced_dbs = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["directorate", "name"]
        constraints = [
            *ComplianceDates.Meta.constraints,
            models.CheckConstraint(
                condition=Q(kind__in=StaffKind.values),
                name="licensing_staff_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.reference


class PendingImport(models.Model):
    """A previewed register waiting for its officer to import it. Kept in the
    database, not on one server's disk, so that whichever app server answers
    the confirmation imports the very file that was previewed."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    file_name = models.CharField(max_length=200)
    content = models.BinaryField()
    column_map = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.file_name
