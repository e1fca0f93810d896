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

from django.conf import settings
from django.db import models

from locations.models import RESTRICTED_CATEGORIES

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
