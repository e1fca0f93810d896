import pgtrigger
from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db.models import Q
from django.db.models.functions import Upper
from django.urls import reverse

from accounts.models import Agency
from common.postcodes import postcode_display
from history.tracking import tracked

from .triggers import PROJECTED_SRID, projected_point_trigger


class AreaType(models.TextChoices):
    WARD = "ward", "Ward"
    NPA = "npa", "Neighbourhood policing area"
    CONSTITUENCY = "constituency", "Constituency"
    LSOA = "lsoa", "LSOA"


@tracked()
class Area(models.Model):
    area_type = models.CharField(max_length=16, choices=AreaType.choices)
    # ONS GSS code, e.g. E05001218 for a ward.
    code = models.CharField(max_length=16)
    name = models.CharField(max_length=200)
    geom = models.MultiPolygonField(srid=4326)
    geom_bng = models.MultiPolygonField(srid=PROJECTED_SRID, editable=False, null=True)

    class Meta:
        ordering = ["area_type", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["area_type", "code"], name="area_unique_type_code"
            ),
            models.CheckConstraint(condition=~Q(code=""), name="area_code_required"),
        ]
        triggers = [
            pgtrigger.Trigger(
                name="set_projected_geom",
                operation=pgtrigger.Insert | pgtrigger.Update,
                when=pgtrigger.Before,
                func=(
                    "NEW.geom_bng := ST_Multi(ST_Transform(NEW.geom, "
                    f"{PROJECTED_SRID})); RETURN NEW;"
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class AreaCommittee(models.Model):
    """A district's area committee: a named group of wards, so that each
    committee gets its own report."""

    name = models.CharField(max_length=120, unique=True)
    wards = models.ManyToManyField(
        Area,
        related_name="committees",
        limit_choices_to={"area_type": AreaType.WARD},
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(name=""), name="area_committee_name_required"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Category(models.TextChoices):
    HOTEL = "hotel", "Hotel"
    BNB = "bnb", "Bed & breakfast / guest house"
    TAKEAWAY = "takeaway", "Takeaway / fast food"
    TAXI_RANK = "taxi_rank", "Taxi rank"
    PRIVATE_HIRE_BASE = "private_hire_base", "Private hire operator base"
    SHISHA_LOUNGE = "shisha_lounge", "Shisha lounge"
    LICENSED_PREMISES = "licensed_premises", "Licensed premises (pub, bar, nightclub)"
    PARK = "park", "Park / open space"
    CAR_PARK = "car_park", "Car park"
    TRANSPORT_HUB = "transport_hub", "Transport hub"
    SHOPPING_CENTRE = "shopping_centre", "Shopping centre"
    VACANT_PROPERTY = "vacant_property", "Vacant / derelict property"
    RESIDENTIAL_CONCERN = "residential_concern", "Residential address of concern"
    CHILDRENS_HOME = "childrens_home", "Children's home / supported accommodation"
    SCHOOL = "school", "School"
    OTHER = "other", "Other"


# Never shown at their exact position to roles not cleared for them: protective
# locations, and residential addresses (which may be a victim's home).
RESTRICTED_CATEGORIES = frozenset(
    {Category.CHILDRENS_HOME, Category.SCHOOL, Category.RESIDENTIAL_CONCERN}
)


class ConcernLevel(models.TextChoices):
    NONE = "none", "No current concern"
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class Source(models.TextChoices):
    MANUAL = "manual", "Entered by hand"
    FHRS = "fhrs", "Food hygiene rating scheme"
    OSM = "osm", "OpenStreetMap"
    POLICE_UK = "police_uk", "police.uk"
    DEMO = "demo", "Demo city generator"
    OTHER_IMPORT = "import", "Other import"


@tracked()
class Location(models.Model):
    name = models.CharField(max_length=255)
    category = models.CharField(max_length=32, choices=Category.choices)
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=10, blank=True, db_index=True)
    uprn = models.BigIntegerField(
        null=True, blank=True, unique=True, verbose_name="UPRN"
    )
    point = models.PointField(srid=4326)
    footprint = models.MultiPolygonField(srid=4326, null=True, blank=True)
    point_bng = models.PointField(srid=PROJECTED_SRID, editable=False, null=True)
    area_ids = ArrayField(models.BigIntegerField(), default=list, editable=False)

    premises_licence_number = models.CharField(max_length=64, blank=True)
    licence_holder = models.CharField(max_length=255, blank=True)
    fhrs_id = models.CharField(
        max_length=32, blank=True, db_index=True, verbose_name="FHRS id"
    )
    fhrs_rating = models.CharField(max_length=32, blank=True)

    # The current concern, kept in step with the latest ConcernFlag by
    # location_flag(); the full history is the ConcernFlag rows.
    concern_level = models.CharField(
        max_length=8, choices=ConcernLevel.choices, default=ConcernLevel.NONE
    )
    concern_review_date = models.DateField(null=True, blank=True)

    source = models.CharField(max_length=16, choices=Source.choices, default="manual")
    source_id = models.CharField(max_length=64, blank=True)
    # Bumped on every change, so a second officer's stale edit is refused.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        permissions = [
            ("view_restricted_exact", "Can see restricted locations' exact position"),
            ("run_analysis", "Can run radius, area and hot-spot queries"),
        ]
        indexes = [
            GinIndex(fields=["area_ids"], name="location_area_ids_gin"),
            models.Index(fields=["category"], name="location_category_idx"),
            # The submission form's premises typeahead: name (or postcode)
            # contains what is typed, as Django's icontains writes it.
            GinIndex(
                OpClass(Upper("name"), name="gin_trgm_ops"),
                name="location_name_trgm",
            ),
            GinIndex(
                OpClass(Upper("postcode"), name="gin_trgm_ops"),
                name="location_postcode_trgm",
            ),
            models.Index(
                fields=["concern_level"],
                name="location_flagged_idx",
                condition=~Q(concern_level="none"),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_id"],
                condition=~Q(source_id=""),
                name="location_unique_source_id",
            ),
            models.CheckConstraint(
                condition=~Q(name=""), name="location_name_required"
            ),
            models.CheckConstraint(
                condition=Q(category__in=Category.values),
                name="location_category_valid",
            ),
            models.CheckConstraint(
                condition=Q(concern_level__in=ConcernLevel.values),
                name="location_concern_level_valid",
            ),
            models.CheckConstraint(
                condition=Q(uprn__isnull=True) | Q(uprn__gt=0),
                name="location_uprn_positive",
            ),
        ]
        triggers = [projected_point_trigger()]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("location-page", args=[self.pk])

    @property
    def is_restricted(self) -> bool:
        return self.category in RESTRICTED_CATEGORIES


class FlagAction(models.TextChoices):
    FLAG = "flag", "Flag"
    CLEAR = "clear", "Clear"


class RiskLevel(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


@tracked()
class ConcernFlag(models.Model):
    """One entry in a location's concern history: flagged or cleared."""

    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, related_name="flags"
    )
    action = models.CharField(max_length=8, choices=FlagAction.choices)
    risk_level = models.CharField(max_length=8, choices=RiskLevel.choices, blank=True)
    reason = models.TextField()
    review_date = models.DateField(null=True, blank=True)
    agency = models.CharField(max_length=32, choices=Agency.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason=""), name="flag_reason_required"
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        action="flag",
                        risk_level__in=RiskLevel.values,
                        review_date__isnull=False,
                    )
                    | Q(action="clear", risk_level="")
                ),
                name="flag_has_risk_and_review_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.location} ({self.risk_level or '-'})"


class Postcode(models.Model):
    """A postcode centroid, used to place records that have a postcode but no point.

    Reference data reloaded whole from the ONS file, not anyone's record: no
    change history (it would double every reload of a few hundred thousand
    rows for nothing an auditor asks about).
    """

    # Upper case without spaces, so lookups ignore how the postcode was typed.
    postcode = models.CharField(max_length=8, primary_key=True)
    point = models.PointField(srid=4326)

    class Meta:
        # Made by the imports app, whose table it keeps (a state-only move).
        db_table = "imports_postcode"
        ordering = ["postcode"]

    def __str__(self) -> str:
        return postcode_display(self.postcode)


class LocationAreaCount(models.Model):
    """Locations per area, and those with a concern: kept by statement-level
    triggers in the writer's transaction (migration 0006), so that area
    counts read a row an area instead of every location's areas."""

    area_id = models.BigIntegerField(primary_key=True)
    n = models.IntegerField()
    n_flagged = models.IntegerField()

    class Meta:
        verbose_name = "locations-per-area roll-up row"

    def __str__(self) -> str:
        return f"area {self.area_id}: {self.n}"
