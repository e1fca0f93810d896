"""Roll-ups of graded records, kept by triggers in the writer's transaction.

The heat map and the area counts read these instead of the records, so their
cost grows with the cells and days on screen, not with the records behind
them (docs/scaling.md). Each roll-up row counts the graded records that share
every column the heat map or the area counts filter and weigh on:

- where: the 100 m British National Grid cell of the record's exact point
  (`CellDayCount`), or each area it lies in (`AreaDayCount`);
- when: the local day it happened (the period filters are whole local days);
- what: kind, grading scheme, source evaluation, intelligence assessment and
  handling code as written on the record, so that the grading rules
  (intelligence.grading: weights, low grade, minimum grade, legacy 5x5x5
  readings) and need-to-know on handling codes are applied to roll-up rows by
  the same Q and SQL as to records, and a change to a weight never leaves a
  roll-up stale;
- and, for the cells, whether the record is linked to a restricted location
  (common.placement: such records are drawn on their 500 m square for roles
  not cleared for exact positions).

A cell row also carries `w`, the sum over its records of
2 ** (hours since the start of the day / half-life), for the heat map's
half-life. A record's age weight at the end of a period T is
0.5 ** ((T - t) / half-life) = 0.5 ** ((T - day start) / half-life) *
2 ** ((t - day start) / half-life): the first factor is applied per day when
the rows are summed, so no row depends on today's date and none goes stale.

The triggers (intelligence/migrations/0011_rollups.py) are statement-level
with transition tables: an import of 100,000 records updates the roll-ups in
one grouped upsert. They run on records (insert, update, delete, truncate),
on record-location links (which decide whether a record is at a restricted
location) and on a location's category. `intelligence_rollup_rebuild()`
recomputes both roll-ups from the records (the migration's backfill, a
truncate; the tests compare it with the rows the triggers kept).

The constants below are those the triggers were written with. A migration
does not follow later edits of the code, so the readers (maps.rollups) use
the roll-ups only while the product's rules still match them
(`rollup_rules_current`), and read the records otherwise.
"""

from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.db import models

from locations.models import RESTRICTED_CATEGORIES

from . import grading
from .models import RESTRICTED_HANDLING

# The finest heat-map cell the roll-up answers: zoom 14's (maps.selectors:
# 25 m at zoom 16, doubling with each zoom out). Closer zooms read records.
ROLLUP_CELL_M = 100
# The half-life `w` is summed for (intelligence.grading.HEATMAP_HALF_LIFE_DAYS
# when the triggers were written): a heat map asked for another half-life
# reads the records.
ROLLUP_HALF_LIFE_DAYS = 60
# Days are local days: period_bounds() cuts periods at local midnight.
ROLLUP_TIME_ZONE = "Europe/London"
ROLLUP_RESTRICTED_CATEGORIES = frozenset(
    {"childrens_home", "school", "residential_concern"}
)


def rollup_rules_current() -> bool:
    """Whether the roll-ups were kept by the rules the product uses now."""
    return (
        settings.TIME_ZONE == ROLLUP_TIME_ZONE
        and frozenset(str(c) for c in RESTRICTED_CATEGORIES)
        == ROLLUP_RESTRICTED_CATEGORIES
    )


# The bucket roll-ups (CellBucketCount, AreaBucketCount) sum rows over runs
# of days and larger cells, so that a row holds many records: time in aligned
# runs of 1, 2, 4 ... 64 local days counted from BUCKET_EPOCH (any period of
# whole days is at most ~2 log2 of them), and cells of 100, 400 and 1,600 m.
BUCKET_EPOCH = date(2000, 1, 3)
BUCKET_DAYS = (1, 2, 4, 8, 16, 32, 64)
BUCKET_CELLS_M = (100, 400, 1600)
# Records at a restricted location are also counted by their 500 m square
# (common.placement.RESTRICTED_SNAP_M), where roles not cleared for exact
# positions see them.
BUCKET_SQUARE_M = 500
# The grading rules summed into the bucket rows (the grade weight, low
# grade, handling code C) as intelligence/migrations/0013_rollup_buckets.py
# wrote them: a change to any of them sends the readers to the day rows.
BUCKET_GRADING = {
    "source_weight": {"1": 1.0, "2": 0.6, "3": 0.2},
    "assessment_weight": {"A": 1.0, "B": 0.8, "C": 0.5, "D": 0.3, "E": 0.1},
    "legacy_source": {"A": "1", "B": "1", "C": "2", "E": "2", "D": "3"},
    "legacy_assessment": {"1": "A", "2": "A", "3": "B", "4": "D", "5": "E"},
    "low_sources": ("3",),
    "low_assessments": ("E",),
    "restricted_handling": {"3x5x2": ["C"], "5x5x5": ["2", "3", "4", "5"]},
}


def bucket_rules_current() -> bool:
    """Whether the bucket roll-ups were kept by the rules used now."""
    return rollup_rules_current() and BUCKET_GRADING == {
        "source_weight": grading.SOURCE_WEIGHT,
        "assessment_weight": grading.ASSESSMENT_WEIGHT,
        "legacy_source": grading.LEGACY_SOURCE_AS_3X5X2,
        "legacy_assessment": grading.LEGACY_ASSESSMENT_AS_3X5X2,
        "low_sources": tuple(grading.LOW_GRADE_SOURCES),
        "low_assessments": tuple(grading.LOW_GRADE_ASSESSMENTS),
        "restricted_handling": RESTRICTED_HANDLING,
    }


def bucket_cover(*, since: date, until: date) -> list[tuple[int, date]]:
    """The aligned buckets (days, first day) that tile the local days
    since..until exactly: at each step the longest bucket that starts there
    and ends inside the period."""
    a = (since - BUCKET_EPOCH).days
    b = (until - BUCKET_EPOCH).days + 1
    cover = []
    while a < b:
        d = next(d for d in reversed(BUCKET_DAYS) if a % d == 0 and a + d <= b)
        cover.append((d, BUCKET_EPOCH + timedelta(days=a)))
        a += d
    return cover


def bucket_base(start: date) -> datetime:
    """The instant a bucket row's `w` is measured from: 00:00 UTC of its
    first day (any fixed instant near the bucket would do)."""
    return datetime(start.year, start.month, start.day, tzinfo=UTC)


def bucket_age_factor(*, start: date, end: datetime, half_life_days: float) -> float:
    """The factor that turns a bucket row's `w` into the sum of its records'
    grade x age weights at `end`: 0.5 ** ((end - base) / half-life), since
    0.5 ** ((end - t) / h) = 0.5 ** ((end - base) / h) * 2 ** ((t - base) / h)."""
    days = (end - bucket_base(start)).total_seconds() / 86400.0
    return 0.5 ** (days / half_life_days)


class _RecordColumns(models.Model):
    """The day and the record columns a roll-up row shares with its records
    (named as on IntelligenceRecord, so that the grading rules' Q and SQL
    apply to both), and how many records it counts."""

    day = models.DateField()
    kind = models.CharField(max_length=16)
    grading_scheme = models.CharField(max_length=8)
    source_evaluation = models.CharField(max_length=1)
    intelligence_assessment = models.CharField(max_length=1)
    handling_code = models.CharField(max_length=1)
    n = models.IntegerField()

    class Meta:
        abstract = True


class CellDayCount(_RecordColumns):
    """Graded records with a point, per 100 m grid cell, local day and the
    columns the heat map filters and weighs on."""

    pk = models.CompositePrimaryKey(
        "day",
        "gy",
        "gx",
        "kind",
        "grading_scheme",
        "source_evaluation",
        "intelligence_assessment",
        "handling_code",
        "at_restricted",
    )
    # The cell: floor(easting / ROLLUP_CELL_M), floor(northing / ROLLUP_CELL_M).
    gx = models.IntegerField()
    gy = models.IntegerField()
    at_restricted = models.BooleanField()
    w = models.FloatField()

    class Meta:
        verbose_name = "heat-map roll-up row"
        indexes = [
            # The triggers delete the rows their changes emptied through this
            # (tiny) index rather than a scan.
            models.Index(
                fields=["day"], name="intel_cellday_empty", condition=models.Q(n=0)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} cell {self.gx},{self.gy}: {self.n}"


class AreaDayCount(_RecordColumns):
    """Graded records per area, local day and the columns the area counts
    filter on. `n_first` counts each record once, in the first of its areas
    (the number of records counted in some area, for the access log)."""

    pk = models.CompositePrimaryKey(
        "day",
        "area_id",
        "kind",
        "grading_scheme",
        "source_evaluation",
        "intelligence_assessment",
        "handling_code",
    )
    # Areas by id, as the records' area_ids hold them (no foreign key: a
    # record's area_ids has none either).
    area_id = models.BigIntegerField()
    n_first = models.IntegerField()

    class Meta:
        verbose_name = "area-count roll-up row"
        indexes = [
            models.Index(
                fields=["day"], name="intel_areaday_empty", condition=models.Q(n=0)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} area {self.area_id}: {self.n}"


class RollupCell(models.Model):
    """A 100 m grid cell that has held a record, with the WGS84 extent of its
    corners: a map's lon/lat box takes a cell's records from the roll-up only
    when the whole cell lies inside it (maps.rollups)."""

    pk = models.CompositePrimaryKey("gx", "gy")
    gx = models.IntegerField()
    gy = models.IntegerField()
    lon_min = models.FloatField()
    lat_min = models.FloatField()
    lon_max = models.FloatField()
    lat_max = models.FloatField()

    class Meta:
        verbose_name = "roll-up grid cell"

    def __str__(self) -> str:
        return f"cell {self.gx},{self.gy}"


class CellBucketCount(models.Model):
    """Graded records with a point per cell (100, 400 or 1,600 m) and run of
    days (BUCKET_DAYS from BUCKET_EPOCH), split only by what the default
    heat map and the roles need: low grade, handling code C, and at a
    restricted location. Records at a restricted location are also counted
    per 500 m square (cell_m = BUCKET_SQUARE_M), for the roles that see
    them there.

    `w` is the sum of grade weight x 2 ** ((t - base) / half-life), base
    being 00:00 UTC of the bucket's first day (bucket_base): values stay
    near each record's grade weight (at most 2.1 times it) whatever the date,
    and any period's end gives the exact age weight by one factor a bucket
    (bucket_age_factor)."""

    pk = models.CompositePrimaryKey(
        "days", "start", "cell_m", "at_restricted", "low", "gy", "gx", "code_c"
    )
    days = models.SmallIntegerField()
    start = models.DateField()
    cell_m = models.SmallIntegerField()
    at_restricted = models.BooleanField()
    gy = models.IntegerField()
    gx = models.IntegerField()
    low = models.BooleanField()
    code_c = models.BooleanField()
    n = models.IntegerField()
    w = models.FloatField()

    class Meta:
        verbose_name = "heat-map bucket roll-up row"
        indexes = [
            models.Index(
                fields=["days"], name="intel_cellbucket_empty", condition=models.Q(n=0)
            ),
            # The 100 m rows by column first: the strips of 100 m cells left
            # and right of a view's 400 m or 1,600 m cells are a range here.
            models.Index(
                fields=["days", "start", "at_restricted", "low", "gx", "gy"],
                name="intel_cellbucket_by_gx",
                condition=models.Q(cell_m=100),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.start} +{self.days}d {self.cell_m} m {self.gx},{self.gy}"


class AreaBucketCount(models.Model):
    """Graded records per area and run of days, split by handling code C;
    `n_first` as AreaDayCount's."""

    pk = models.CompositePrimaryKey("days", "start", "area_id", "code_c")
    days = models.SmallIntegerField()
    start = models.DateField()
    area_id = models.BigIntegerField()
    code_c = models.BooleanField()
    n = models.IntegerField()
    n_first = models.IntegerField()

    class Meta:
        verbose_name = "area-count bucket roll-up row"
        indexes = [
            models.Index(
                fields=["days"], name="intel_areabucket_empty", condition=models.Q(n=0)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.start} +{self.days}d area {self.area_id}: {self.n}"
