"""People and vehicles, and the typed links that tie them to places and records.

A subject is a pseudonymous profile: a reference such as S-2026-000042 and
never a name; the real identity stays in the owning agency's system, recorded
here only as agency + system reference. Every link cites the intelligence
records it rests on (LinkRecord) and is never more visible than the
strictest of them (people.selectors).
"""

import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import SearchVector
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.urls import reverse

from accounts.models import Agency
from audit.models import AccessLogEntry
from audit.triggers import append_only_triggers
from history.tracking import tracked
from intelligence.models import IntelligenceRecord, ReviewDecision
from intelligence.validators import free_text_check
from locations.models import Location

from .nodes import SPAN, TYPE_CODES
from .registration import MarkFormat

REFERENCE_PATTERN = r"^S-[0-9]{4}-[0-9]{6}$"
# people.services.subject_reference_next draws the number part from this.
REFERENCE_SEQUENCE = "people_subject_reference_seq"


class SubjectKind(models.TextChoices):
    YOUNG_PERSON = "young_person", "Young person at risk"
    PERSON_OF_INTEREST = "person_of_interest", "Person of interest"
    ASSOCIATE = "associate", "Associate"
    OTHER = "other", "Witness or other"


class AgeBand(models.TextChoices):
    """An age band, never a date of birth."""

    UNDER_13 = "under_13", "Under 13"
    AGE_13_15 = "13_15", "13-15"
    AGE_16_17 = "16_17", "16-17"
    AGE_18_24 = "18_24", "18-24"
    AGE_25_34 = "25_34", "25-34"
    AGE_35_44 = "35_44", "35-44"
    AGE_45_54 = "45_54", "45-54"
    AGE_55_PLUS = "55_plus", "55 and over"
    UNKNOWN = "unknown", "Not known"


CHILD_AGE_BANDS = [AgeBand.UNDER_13, AgeBand.AGE_13_15, AgeBand.AGE_16_17]


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    OTHER = "other", "Other"
    UNKNOWN = "unknown", "Not known"


class Forum(models.TextChoices):
    """The multi-agency forum managing a young person."""

    NONE = "none", "None"
    CMOG = "cmog", "CSE and missing operational group (CMOG)"
    MACE = "mace", "Multi-agency child exploitation (MACE)"
    MASP = "masp", "Multi-agency screening panel (MASP)"


class ScreeningOutcome(models.TextChoices):
    """The latest CSE screening's outcome (the screening tool itself is the
    safeguarding app's)."""

    NO_CURRENT_RISK = "no_current_risk", "No current risk"
    AT_RISK = "at_risk", "At risk"
    SIGNIFICANT_RISK = "significant_risk", "Significant risk"


@tracked()
class Subject(models.Model):
    reference = models.CharField(max_length=16, unique=True, editable=False)
    kind = models.CharField(max_length=24, choices=SubjectKind.choices)
    age_band = models.CharField(
        max_length=16, choices=AgeBand.choices, default=AgeBand.UNKNOWN
    )
    sex = models.CharField(max_length=8, choices=Sex.choices, default=Sex.UNKNOWN)
    descriptors = models.TextField(
        blank=True,
        validators=[free_text_check],
        help_text="How to recognise them: build, clothing, habits. Never a name, "
        "date of birth, phone number or email address.",
    )
    # Who holds the real identity, and under which reference in their system.
    agency = models.CharField(max_length=32, choices=Agency.choices, blank=True)
    system_ref = models.CharField("system reference", max_length=64, blank=True)
    # The pseudonymous reference records carried before profiles existed
    # (IntelligenceRecord.subject_refs), kept as written.
    former_ref = models.CharField(max_length=32, blank=True)
    # Management of Police Information review, as for a record.
    review_date = models.DateField(db_index=True)
    # Young people only.
    forum = models.CharField(max_length=8, choices=Forum.choices, blank=True)
    # NULL: never screened (the safeguarding app's screenings will set it).
    screening_outcome = models.CharField(  # noqa: DJ001
        max_length=24, choices=ScreeningOutcome.choices, null=True, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic locking (common.versions): an edit based on an old version
    # is refused.
    version = models.PositiveIntegerField(default=1, db_default=1)

    class Meta:
        ordering = ["reference"]
        permissions = [
            ("view_young_person", "Can see young people's profiles and links"),
        ]
        indexes = [
            # Search by part of a reference (S-2026-0000...).
            GinIndex(
                OpClass(F("reference"), name="gin_trgm_ops"),
                name="subject_reference_trgm",
            ),
            GinIndex(
                SearchVector("descriptors", config="english"),
                name="subject_descriptors_fts",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(reference__regex=REFERENCE_PATTERN),
                name="subject_reference_format",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=SubjectKind.values), name="subject_kind_valid"
            ),
            # Forum and screening belong to young people only, and a young
            # person always has a forum (none is one).
            models.CheckConstraint(
                condition=Q(kind=SubjectKind.YOUNG_PERSON, forum__in=Forum.values)
                | (
                    ~Q(kind=SubjectKind.YOUNG_PERSON)
                    & Q(forum="", screening_outcome__isnull=True)
                ),
                name="subject_forum_young_people_only",
            ),
            models.UniqueConstraint(
                fields=["former_ref"],
                condition=~Q(former_ref=""),
                name="subject_unique_former_ref",
            ),
            models.UniqueConstraint(
                fields=["agency", "system_ref"],
                condition=~Q(system_ref=""),
                name="subject_unique_system_ref",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("people:subject", args=[self.pk])

    @property
    def is_young_person(self) -> bool:
        return self.kind == SubjectKind.YOUNG_PERSON


class PlateKind(models.TextChoices):
    NONE = "", "Not licensed"
    HACKNEY = "hackney", "Hackney carriage"
    PRIVATE_HIRE = "private_hire", "Private hire"


@tracked()
class Vehicle(models.Model):
    """One car is one row: its normalised mark is unique."""

    registration = models.CharField(max_length=16, unique=True)
    mark_format = models.CharField(max_length=12, choices=MarkFormat.choices)
    make = models.CharField(max_length=40, blank=True)
    model = models.CharField(max_length=40, blank=True)
    colour = models.CharField(max_length=30, blank=True)
    plate_kind = models.CharField(
        max_length=16, choices=PlateKind.choices, blank=True, default=""
    )
    plate_number = models.CharField(max_length=20, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, db_default=1)

    class Meta:
        ordering = ["registration"]
        constraints = [
            models.CheckConstraint(
                condition=Q(registration__regex=r"^[A-Z0-9]+$")
                | Q(mark_format=MarkFormat.UNVALIDATED),
                name="vehicle_registration_normalised",
            ),
            models.CheckConstraint(
                condition=Q(plate_kind="", plate_number="")
                | (~Q(plate_kind="") & ~Q(plate_number="")),
                name="vehicle_plate_kind_and_number",
            ),
        ]

    def __str__(self) -> str:
        return self.registration

    def get_absolute_url(self) -> str:
        return reverse("people:vehicle", args=[self.pk])


class LinkType(models.TextChoices):
    RESIDES = "resides", "Resides at"
    FREQUENTS = "frequents", "Frequents"
    WORKS_AT = "works_at", "Works at"
    SEEN_AT = "seen_at", "Seen at"
    DRIVES = "drives", "Drives"
    OWNS = "owns", "Owns"
    SEEN_IN = "seen_in", "Seen in"
    ASSOCIATE = "associate", "Associate of"
    MENTIONS = "mentions", "Mentioned in"


SUBJECT_LOCATION_TYPES = [
    LinkType.RESIDES,
    LinkType.FREQUENTS,
    LinkType.WORKS_AT,
    LinkType.SEEN_AT,
]
SUBJECT_VEHICLE_TYPES = [LinkType.DRIVES, LinkType.OWNS, LinkType.SEEN_IN]


def _key(column: str, node_type: str):
    return F(column) + Value(TYPE_CODES[node_type] * SPAN)


class Link(models.Model):
    """One typed link between two entities, resting on the records it cites.

    subject-location (resides, frequents, works_at, seen_at), subject-vehicle
    (drives, owns, seen_in), subject-subject (associate, lower id first), and
    record-subject or record-vehicle (mentions; a record's locations are its
    IntelligenceLocationLinks, read as mentions by the graph).
    """

    link_type = models.CharField(max_length=16, choices=LinkType.choices)
    subject = models.ForeignKey(
        Subject, on_delete=models.CASCADE, null=True, blank=True, related_name="links"
    )
    other_subject = models.ForeignKey(
        Subject,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="associate_links",
    )
    vehicle = models.ForeignKey(
        Vehicle, on_delete=models.CASCADE, null=True, blank=True, related_name="links"
    )
    location = models.ForeignKey(
        Location,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="people_links",
    )
    # The mentioning record (mentions only).
    record = models.ForeignKey(
        IntelligenceRecord,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="people_mentions",
    )
    records = models.ManyToManyField(
        IntelligenceRecord, through="LinkRecord", related_name="people_link_citations"
    )
    # The two ends as graph keys (people.nodes), kept by the database.
    a_node = models.GeneratedField(
        expression=Case(
            When(record__isnull=False, then=_key("record_id", "record")),
            default=_key("subject_id", "subject"),
        ),
        output_field=models.BigIntegerField(),
        db_persist=True,
    )
    b_node = models.GeneratedField(
        expression=Case(
            When(location__isnull=False, then=_key("location_id", "location")),
            When(vehicle__isnull=False, then=_key("vehicle_id", "vehicle")),
            When(other_subject__isnull=False, then=_key("other_subject_id", "subject")),
            default=_key("subject_id", "subject"),
        ),
        output_field=models.BigIntegerField(),
        db_persist=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["a_node", "link_type"], name="link_a_node_idx"),
            models.Index(fields=["b_node", "link_type"], name="link_b_node_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        link_type__in=SUBJECT_LOCATION_TYPES,
                        subject__isnull=False,
                        location__isnull=False,
                        other_subject__isnull=True,
                        vehicle__isnull=True,
                        record__isnull=True,
                    )
                    | Q(
                        link_type__in=SUBJECT_VEHICLE_TYPES,
                        subject__isnull=False,
                        vehicle__isnull=False,
                        other_subject__isnull=True,
                        location__isnull=True,
                        record__isnull=True,
                    )
                    | Q(
                        link_type=LinkType.ASSOCIATE,
                        subject__isnull=False,
                        other_subject__isnull=False,
                        subject__lt=F("other_subject"),
                        vehicle__isnull=True,
                        location__isnull=True,
                        record__isnull=True,
                    )
                    | (
                        Q(
                            link_type=LinkType.MENTIONS,
                            record__isnull=False,
                            other_subject__isnull=True,
                            location__isnull=True,
                        )
                        & (
                            Q(subject__isnull=False, vehicle__isnull=True)
                            | Q(subject__isnull=True, vehicle__isnull=False)
                        )
                    )
                ),
                name="link_ends_match_type",
            ),
            models.UniqueConstraint(
                fields=[
                    "link_type",
                    "subject",
                    "other_subject",
                    "vehicle",
                    "location",
                    "record",
                ],
                nulls_distinct=False,
                name="link_unique_ends",
            ),
        ]

    def __str__(self) -> str:
        return f"link {self.pk}: {self.get_link_type_display()}"


class LinkRecord(models.Model):
    """A record a link rests on. When a link's last record goes (a MoPI
    disposal), the link goes with it: the trigger below, so no path can
    leave a link resting on nothing."""

    link = models.ForeignKey(Link, on_delete=models.CASCADE, related_name="citations")
    record = models.ForeignKey(
        IntelligenceRecord, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["link", "record"], name="link_record_unique"
            )
        ]
        indexes = [
            models.Index(fields=["record", "link"], name="link_record_by_record"),
        ]
        triggers = [
            pgtrigger.Trigger(
                name="link_goes_with_last_record",
                operation=pgtrigger.Delete,
                when=pgtrigger.After,
                level=pgtrigger.Statement,
                referencing=pgtrigger.Referencing(old="gone"),
                func="""
                    DELETE FROM people_link l
                    WHERE l.id IN (SELECT DISTINCT link_id FROM gone)
                      AND NOT EXISTS (
                        SELECT 1 FROM people_linkrecord lr WHERE lr.link_id = l.id
                      );
                    RETURN NULL;
                """,
            )
        ]

    def __str__(self) -> str:
        return f"link {self.link_id} rests on record {self.record_id}"


class LinkRemoval(models.Model):
    """A link someone removed, kept: what it joined, the records it rested
    on, who removed it, when and why. The ends are kept as ids, not keys:
    the row outlives them (a subject's disposal removes its rows, as it
    removes its history: people_history_dispose). Append-only."""

    link_id = models.BigIntegerField()
    link_type = models.CharField(max_length=16, choices=LinkType.choices)
    subject_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    other_subject_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    vehicle_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    location_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    record_ids = ArrayField(models.BigIntegerField(), default=list)
    reason = models.TextField()
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    removed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-removed_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason=""), name="link_removal_reason_required"
            ),
        ]
        triggers = [
            pgtrigger.Protect(
                name="append_only", operation=pgtrigger.Update | pgtrigger.Delete
            )
        ]

    def __str__(self) -> str:
        return f"link {self.link_id} removed"


class SubjectConsultation(models.Model):
    """The subjects and vehicles one consultation showed, beside its access
    log entry (which names the records): s.62 asks for every subject shown.
    Append-only, as the access log is."""

    # No constraint in the database: the log is append-only and never loses
    # a row, and a foreign key onto it would change how its own refusals
    # read (a TRUNCATE refused for the key rather than as append-only).
    entry = models.OneToOneField(
        AccessLogEntry,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    subject_ids = ArrayField(models.BigIntegerField(), default=list, blank=True)
    vehicle_ids = ArrayField(models.BigIntegerField(), default=list, blank=True)

    class Meta:
        indexes = [
            GinIndex(fields=["subject_ids"], name="consultation_subject_ids_gin"),
            GinIndex(fields=["vehicle_ids"], name="consultation_vehicle_ids_gin"),
        ]
        triggers = append_only_triggers()

    def __str__(self) -> str:
        return f"access log {self.entry_id}: {len(self.subject_ids)} subjects"


# Orders served on a person: their legal clocks (disruption.legal) are the
# action's served and end dates, and the action stays at the location where
# it was served.
ORDER_TYPES = ["cawn", "sexual_risk_order"]


class SubjectOrder(models.Model):
    """A child abduction warning notice or sexual risk order served on a
    person of interest: the disruption action that records it, carried by
    the subject it was served on."""

    subject = models.ForeignKey(
        Subject, on_delete=models.PROTECT, related_name="orders"
    )
    action = models.OneToOneField(
        "disruption.DisruptionAction",
        on_delete=models.PROTECT,
        related_name="served_on",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-action__served_at", "-id"]

    def __str__(self) -> str:
        return f"{self.action.get_action_type_display()} on {self.subject}"


class SubjectReview(models.Model):
    """One Management of Police Information review of a subject, kept for
    good, as a record's is (intelligence.RecordReview): a disposal's row is
    the profile's tombstone, its reference and dates, never its content."""

    subject_id = models.BigIntegerField(db_index=True)
    reference = models.CharField(max_length=16)
    kind = models.CharField(max_length=24, choices=SubjectKind.choices)
    review_due = models.DateField()
    decision = models.CharField(max_length=8, choices=ReviewDecision.choices)
    next_review_date = models.DateField(null=True, blank=True)
    reason = models.TextField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-reviewed_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason=""), name="subject_review_reason_required"
            ),
            models.CheckConstraint(
                condition=Q(decision="retain", next_review_date__isnull=False)
                | Q(decision="dispose", next_review_date__isnull=True),
                name="subject_review_retain_has_next_date",
            ),
        ]
        triggers = [
            pgtrigger.Protect(
                name="append_only", operation=pgtrigger.Update | pgtrigger.Delete
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.get_decision_display()}"
