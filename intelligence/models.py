import pgtrigger
from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, GistIndex
from django.contrib.postgres.search import SearchVector
from django.db.models import F, Q
from django.db.models.functions import Now
from django.urls import reverse

from accounts.models import Agency
from history.tracking import tracked
from locations.models import Location
from locations.triggers import PROJECTED_SRID, projected_point_trigger


class RecordKind(models.TextChoices):
    INTELLIGENCE = "intelligence", "Intelligence report"
    MISSING = "missing", "Missing episode"
    INCIDENT = "incident", "Incident"


class MissingPoint(models.TextChoices):
    """For a missing episode: which end of the episode the point marks."""

    NONE = "", "Not a missing episode"
    LAST_SEEN = "last_seen", "Last seen"
    FOUND = "found", "Found"


class SourceType(models.TextChoices):
    POLICE = "police", "Police"
    SOCIAL_CARE = "social_care", "Social care"
    EDUCATION = "education", "Education"
    HEALTH = "health", "Health"
    LICENSING = "licensing", "Licensing"
    YOUTH_SERVICE = "youth_service", "Youth service"
    BUSINESS_STAFF = "business_staff", "Hotel or business staff"
    PUBLIC = "public", "Public"
    ANONYMOUS = "anonymous", "Anonymous"


class GradingScheme(models.TextChoices):
    G3X5X2 = "3x5x2", "3x5x2"
    # Older intelligence keeps the grade it was given; new records are 3x5x2.
    G5X5X5 = "5x5x5", "5x5x5 (legacy)"


# 3x5x2: source evaluation, intelligence assessment, handling code.
SOURCE_EVALUATION_3X5X2 = {
    "1": "Reliable",
    "2": "Untested",
    "3": "Not reliable",
}
INTELLIGENCE_ASSESSMENT_3X5X2 = {
    "A": "Known directly to the source",
    "B": "Known indirectly but corroborated",
    "C": "Known indirectly",
    "D": "Not known",
    "E": "Suspected to be false or malicious",
}
HANDLING_CODE_3X5X2 = {
    "P": "Lawful sharing permitted",
    "C": "Lawful sharing permitted with conditions",
}
# 5x5x5 (legacy): source A-E, intelligence 1-5, handling 1-5.
SOURCE_EVALUATION_5X5X5 = {
    "A": "Always reliable",
    "B": "Mostly reliable",
    "C": "Sometimes reliable",
    "D": "Unreliable",
    "E": "Untested source",
}
INTELLIGENCE_ASSESSMENT_5X5X5 = {
    "1": "Known to be true without reservation",
    "2": "Known personally to source but not to officer",
    "3": "Not known personally to source but corroborated",
    "4": "Cannot be judged",
    "5": "Suspected to be false",
}
HANDLING_CODE_5X5X5 = {
    "1": "May be disseminated to other law enforcement agencies",
    "2": "May be disseminated to UK non-prosecuting parties",
    "3": "May be disseminated to non-EU foreign law enforcement agencies",
    "4": "Only disseminated within the originating agency",
    "5": "No further dissemination; refer to the originator",
}


class IndicatorTag(models.TextChoices):
    YOUNG_PERSON_WITH_OLDER_ADULTS = (
        "young_with_older_adults",
        ("Young person with older adults"),
    )
    HOTEL_PARTY = "hotel_party", "Hotel party"
    TAXI_TRANSPORTING = "taxi_transporting", "Taxi transporting young people"
    ALCOHOL_DRUGS_SUPPLIED = "alcohol_drugs", "Alcohol or drugs supplied"
    REPEAT_MISSING = "repeat_missing", "Repeat missing"
    GIFTS_MONEY = "gifts_money", "Gifts, money or phones given"
    OLDER_BOYFRIEND = "older_boyfriend", "Older 'boyfriend'"
    ONLINE_CONTACT = "online_contact", "Online contact arranged meeting"
    MULTIPLE_VISITORS = "multiple_visitors", "Many visitors to one room or address"
    VEHICLE_PICKUP = "vehicle_pickup", "Picked up in a vehicle"
    CASH_PAYMENT = "cash_payment", "Cash payment, no ID"
    SEXUAL_HEALTH = "sexual_health", "Sexual health concern"


class RecordStatus(models.TextChoices):
    """Where a record is in triage. Only a graded record counts anywhere
    (heat maps, hot spots, what-is-here, lists): intelligence.grading."""

    AWAITING = "awaiting", "Awaiting grading"
    GRADED = "graded", "Graded"
    # Not counted: the same report as an earlier record, left as it was...
    DUPLICATE = "duplicate", "Duplicate of an earlier record"
    # ...or with its tags, vehicles, subjects and premises added to that record.
    MERGED = "merged", "Merged into an earlier record"


# Statuses a record holds before (or instead of) a grade: no grade fields.
UNGRADED_STATUSES = [RecordStatus.AWAITING, RecordStatus.DUPLICATE, RecordStatus.MERGED]


class LocationMethod(models.TextChoices):
    """How the submitter said where it happened; sets the point's precision."""

    MAP = "map", "Picked on the map"
    PREMISES = "premises", "A premises in the register"
    POSTCODE = "postcode", "Postcode or address, pin confirmed"


# Legacy 5x5x5 handling codes 2-5 restrict sharing, as 3x5x2's C does.
RESTRICTED_HANDLING = {"3x5x2": ["C"], "5x5x5": ["2", "3", "4", "5"]}


def restricted_handling_q() -> Q:
    """Records (or roll-up rows, which have the same columns) whose handling
    code restricts sharing: shown only to roles cleared for handling code C."""
    restricted = Q()
    for scheme, codes in RESTRICTED_HANDLING.items():
        restricted |= Q(grading_scheme=scheme, handling_code__in=codes)
    return restricted


class IntelligenceRecordQuerySet(models.QuerySet):
    def visible_to(self, user) -> "IntelligenceRecordQuerySet":
        """The records whose content this user may see: need-to-know in one place.

        Roles without record access (licensing, community safety) see none here;
        they get density and counts from the aggregate selectors instead.
        """
        if not user or not user.is_active or not user.is_authenticated:
            return self.none()
        if not user.has_perm("intelligence.view_record_content"):
            return self.none()
        if not user.has_perm("intelligence.view_handling_c"):
            return self.exclude(restricted_handling_q())
        return self


@tracked()
class IntelligenceRecord(models.Model):
    reference = models.CharField(max_length=32, unique=True)
    kind = models.CharField(max_length=16, choices=RecordKind.choices)
    missing_point = models.CharField(
        max_length=16, choices=MissingPoint.choices, blank=True
    )
    # When it happened: a moment, or a window from..to.
    occurred_from = models.DateTimeField(db_index=True)
    occurred_to = models.DateTimeField(null=True, blank=True)
    received_on = models.DateField()
    source_type = models.CharField(max_length=16, choices=SourceType.choices)

    grading_scheme = models.CharField(
        max_length=8, choices=GradingScheme.choices, default=GradingScheme.G3X5X2
    )
    # Blank only while awaiting grading (or as a duplicate): the grade
    # constraint below says so.
    source_evaluation = models.CharField(max_length=1, blank=True)
    intelligence_assessment = models.CharField(max_length=1, blank=True)
    handling_code = models.CharField(max_length=1, blank=True)
    handling_conditions = models.TextField(blank=True)

    summary = models.TextField(blank=True)
    tags = ArrayField(
        models.CharField(max_length=32, choices=IndicatorTag.choices),
        default=list,
        blank=True,
    )
    point = models.PointField(srid=4326)
    precision_m = models.PositiveIntegerField(
        default=10,
        help_text="How far the true position may be from the point, in metres.",
    )
    point_bng = models.PointField(srid=PROJECTED_SRID, editable=False, null=True)
    area_ids = ArrayField(models.BigIntegerField(), default=list, editable=False)
    location_text = models.CharField(max_length=255, blank=True)
    crime_type = models.CharField(max_length=64, blank=True)

    vehicle_marks = ArrayField(
        models.CharField(max_length=16),
        default=list,
        blank=True,
        help_text="Vehicle registration marks, upper case without spaces.",
    )
    subject_refs = ArrayField(
        models.CharField(max_length=32),
        default=list,
        blank=True,
        help_text="Pseudonymous subject references, never names.",
    )
    review_date = models.DateField(db_index=True)

    locations = models.ManyToManyField(
        Location, through="IntelligenceLocationLink", related_name="intelligence"
    )
    source = models.CharField(max_length=16, default="manual")
    source_id = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    # Triage. Records made before submissions existed are graded, and so is
    # every row an import or a bulk load writes without naming a status (a
    # database default, so raw SQL inserts get it too).
    status = models.CharField(
        max_length=16,
        choices=RecordStatus.choices,
        default=RecordStatus.GRADED,
        db_default=RecordStatus.GRADED,
    )
    # What the submitter wrote, kept as written; `summary` is the analyst's
    # sanitised version, which may be shared more widely.
    account = models.TextField(blank=True, default="", db_default="")
    people_text = models.TextField(blank=True, default="", db_default="")
    submitter_is_source = models.BooleanField(null=True, blank=True)
    location_method = models.CharField(
        max_length=16,
        choices=LocationMethod.choices,
        blank=True,
        default="",
        db_default="",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="intelligence_submissions",
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitter_agency = models.CharField(
        max_length=32,
        choices=Agency.choices,
        blank=True,
        default="",
        db_default="",
    )
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    graded_at = models.DateTimeField(null=True, blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="duplicates",
    )

    objects = IntelligenceRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_from"]
        verbose_name = "intelligence record"
        permissions = [
            ("view_record_content", "Can see intelligence record content"),
            ("view_handling_c", "Cleared for handling code C records"),
            ("export_records", "Can export intelligence records"),
            ("submit_record", "Can submit intelligence for grading"),
            ("grade_record", "Can grade, link and merge submitted intelligence"),
        ]
        indexes = [
            GinIndex(fields=["area_ids"], name="intel_area_ids_gin"),
            GinIndex(fields=["tags"], name="intel_tags_gin"),
            # The registers' searches: by vehicle mark (@>), and the
            # summaries' full text (intelligence.filters.SUMMARY_VECTOR).
            GinIndex(fields=["vehicle_marks"], name="intel_vehicle_marks_gin"),
            GinIndex(
                SearchVector("summary", config="english"),
                name="intel_summary_fts_gin",
            ),
            models.Index(fields=["kind", "occurred_from"], name="intel_kind_when_idx"),
            # A map view's box and period in one index (btree_gist): a close
            # view keeps a sixth of the period's records, which the
            # occurred_from btree alone would read all of (maps.selectors).
            GistIndex(fields=["point", "occurred_from"], name="intel_point_when_gist"),
            # The triage queue: the few records awaiting grading, oldest first.
            models.Index(
                fields=["submitted_at"],
                name="intel_awaiting_idx",
                condition=Q(status="awaiting"),
            ),
            # The whole-city heat map's cache key (maps.cache): the latest
            # triage decision, read from this index's end, not a scan.
            models.Index(
                fields=["graded_at"],
                name="intel_graded_at_idx",
                condition=Q(graded_at__isnull=False),
            ),
            models.Index(
                fields=["submitted_by", "-submitted_at"],
                name="intel_submitted_by_idx",
                condition=Q(submitted_by__isnull=False),
            ),
            # visible_to and graded_q by id without the table: a link chart
            # checks each cited record of ~4,000 links this way
            # (people.selectors.link_records_visible).
            models.Index(
                fields=["id"],
                include=["status", "grading_scheme", "handling_code"],
                name="intel_visible_by_id",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=RecordKind.values), name="intel_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=RecordStatus.values),
                name="intel_status_valid",
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        status__in=UNGRADED_STATUSES,
                        grading_scheme="3x5x2",
                        source_evaluation="",
                        intelligence_assessment="",
                        handling_code="",
                    )
                    | Q(
                        grading_scheme="3x5x2",
                        source_evaluation__in=list(SOURCE_EVALUATION_3X5X2),
                        intelligence_assessment__in=list(INTELLIGENCE_ASSESSMENT_3X5X2),
                        handling_code__in=list(HANDLING_CODE_3X5X2),
                    )
                    | Q(
                        grading_scheme="5x5x5",
                        source_evaluation__in=list(SOURCE_EVALUATION_5X5X5),
                        intelligence_assessment__in=list(INTELLIGENCE_ASSESSMENT_5X5X5),
                        handling_code__in=list(HANDLING_CODE_5X5X5),
                    )
                ),
                name="intel_grade_valid_for_scheme",
            ),
            # Handling code C travels with its conditions, always.
            models.CheckConstraint(
                condition=~Q(grading_scheme="3x5x2", handling_code="C")
                | ~Q(handling_conditions=""),
                name="intel_handling_c_has_conditions",
            ),
            models.CheckConstraint(
                condition=Q(occurred_to__isnull=True)
                | Q(occurred_to__gte=F("occurred_from")),
                name="intel_window_ordered",
            ),
            models.CheckConstraint(
                condition=Q(kind="missing", missing_point__in=["last_seen", "found"])
                | (~Q(kind="missing") & Q(missing_point="")),
                name="intel_missing_point_only_for_missing",
            ),
            models.CheckConstraint(
                condition=Q(precision_m__gte=1) & Q(precision_m__lte=50000),
                name="intel_precision_range",
            ),
            models.UniqueConstraint(
                fields=["source", "source_id"],
                condition=~Q(source_id=""),
                name="intel_unique_source_id",
            ),
        ]
        triggers = [
            projected_point_trigger(),
            # Nothing is deleted without a recorded retention decision:
            # intelligence.services.record_review_dispose is the one way out.
            pgtrigger.Protect(
                name="delete_only_by_disposal", operation=pgtrigger.Delete
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("intelligence:record", args=[self.pk])

    @property
    def grade(self) -> str:
        """The grade as written on the record, e.g. '2B P' or legacy 'B2 4'."""
        return grade_text(
            source_evaluation=self.source_evaluation,
            intelligence_assessment=self.intelligence_assessment,
            handling_code=self.handling_code,
        )


def grade_text(
    *, source_evaluation: str, intelligence_assessment: str, handling_code: str
) -> str:
    """IntelligenceRecord.grade from the three columns, for rows read as
    values rather than instances."""
    if not source_evaluation:
        return "not graded"
    return f"{source_evaluation}{intelligence_assessment} {handling_code}"


class LinkType(models.TextChoices):
    OCCURRED_AT = "occurred_at", "Happened at"
    LAST_SEEN_AT = "last_seen_at", "Last seen at"
    FOUND_AT = "found_at", "Found at"
    MENTIONED = "mentioned", "Mentioned in the report"
    VISITED = "visited", "Visited by subject"
    VEHICLE_SEEN = "vehicle_seen", "Vehicle seen at"
    # How a submitter says premises were involved.
    VENUE = "venue", "Venue (where it happened)"
    PICK_UP = "pick_up", "Pick-up point"
    DROP_OFF = "drop_off", "Drop-off point"
    WORKPLACE = "workplace", "Where someone involved works"


@tracked()
class IntelligenceLocationLink(models.Model):
    record = models.ForeignKey(
        IntelligenceRecord, on_delete=models.CASCADE, related_name="location_links"
    )
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, related_name="intelligence_links"
    )
    link_type = models.CharField(max_length=16, choices=LinkType.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["record", "location", "link_type"], name="intel_link_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.record} {self.get_link_type_display()} {self.location}"


class ReviewDecision(models.TextChoices):
    RETAIN = "retain", "Retain"
    DISPOSE = "dispose", "Dispose"


class RecordReview(models.Model):
    """One Management of Police Information review of a record, kept for good.

    Append-only in the database (no UPDATE, no DELETE, whoever asks). A
    disposal's row is the record's tombstone: which record, its kind and
    dates, who disposed of it, why and when, and never its content. So the
    record is held by id, not by a foreign key: the record is gone.
    """

    record_id = models.BigIntegerField(db_index=True)
    reference = models.CharField(max_length=32)
    kind = models.CharField(max_length=16, choices=RecordKind.choices)
    occurred_from = models.DateTimeField()
    occurred_to = models.DateTimeField(null=True, blank=True)
    received_on = models.DateField()
    # The review date this decision answered.
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
        verbose_name = "retention review"
        permissions = [
            ("review_retention", "Can review intelligence records for retention"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason=""), name="review_reason_required"
            ),
            models.CheckConstraint(
                condition=Q(decision="retain", next_review_date__isnull=False)
                | Q(decision="dispose", next_review_date__isnull=True),
                name="review_retain_has_next_date",
            ),
        ]
        triggers = [
            pgtrigger.Protect(
                name="append_only", operation=pgtrigger.Update | pgtrigger.Delete
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.get_decision_display()}"


class SubmissionKey(models.Model):
    """An API client's Idempotency-Key and the answer it was given, so a
    retried POST gets the same answer and never makes a second record.

    Keys are per user: two systems may pick the same key. The body's hash is
    kept so the same key sent with a different body is refused, not
    mistaken for a retry.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField(max_length=255)
    body_sha256 = models.CharField(max_length=64)
    record = models.ForeignKey(
        IntelligenceRecord, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status_code = models.PositiveSmallIntegerField()
    response = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"], name="submission_key_unique_per_user"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.key}"


class DataVersion(models.Model):
    """The version of the data every map, count and score is computed from.

    Database triggers (intelligence.data_version) add one to a shard's
    counter on every statement that writes records, their location links,
    locations (whose category decides where a record may be shown),
    disruption actions or taskings (which area counts and hot spots show),
    in the writer's own transaction: the sum over the shards changes when,
    and only when, such a write commits. It keys the shared heat-map cache
    (so a disposal is gone from it at once) and the aggregates' ETags, and
    is logged with each aggregate consultation. Writers update one of DATA_VERSION_SHARDS rows, chosen by
    transaction id, so concurrent writers (an import, a submission) rarely
    wait on each other's row lock.
    """

    shard = models.PositiveSmallIntegerField(primary_key=True)
    version = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField(db_default=Now())

    class Meta:
        verbose_name = "data version"

    def __str__(self) -> str:
        return f"shard {self.shard}: {self.version}"


# The roll-ups the heat map and area counts read, kept by triggers.
from .rollups import AreaDayCount, CellDayCount, RollupCell  # noqa: E402, F401
