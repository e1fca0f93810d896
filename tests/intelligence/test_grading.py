"""intelligence.grading is the one definition of a record's weight: the heat
map and the hot-spot list, written in different SQL, weigh the same records
the same way, and its Q and SQL forms pick the same records."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.contrib.gis.geos import Point
from django.db import connection

from analysis.selectors.hotspots import HotspotSettings, hotspot_location_list
from analysis.selectors.weights import Weighting
from intelligence.grading import (
    HOTSPOT_HALF_LIFE_DAYS,
    countable_sql,
    graded_q,
    low_grade,
    well_graded_q,
    well_graded_sql,
)
from intelligence.models import IntelligenceRecord
from intelligence.selectors import intelligence_count_scope, record_filter
from maps.selectors import CELL_MAX_M, heatmap_bins
from tests import factories

pytestmark = pytest.mark.django_db

UNTIL = date(2026, 3, 1)
# The heat map ages records from the end of its last day.
END = datetime.combine(UNTIL, time(23, 59, 59), tzinfo=UTC)
SINCE = UNTIL - timedelta(days=90)

# (scheme, source, assessment, handling, days old): modern and legacy grades,
# well graded, middling and low, of several ages.
GRADES = [
    ("3x5x2", "1", "A", "P", 3),
    ("3x5x2", "2", "B", "P", 20),
    ("3x5x2", "2", "D", "P", 45),
    ("3x5x2", "1", "C", "P", 80),
    ("3x5x2", "3", "A", "P", 10),  # low: source 3
    ("3x5x2", "2", "E", "P", 10),  # low: assessment E
    ("5x5x5", "B", "2", "1", 7),  # reads as 1A
    ("5x5x5", "C", "4", "1", 30),  # reads as 2D
    ("5x5x5", "D", "1", "1", 5),  # low: unreliable
    ("5x5x5", "A", "5", "1", 5),  # low: suspected false
]


def bng(x: float, y: float) -> Point:
    return Point(x, y, srid=27700)


@pytest.fixture
def graded_records(area):
    # All within 150 m of the premises, and in one heat-map cell.
    factories.make_location(name="Hotel A", point=bng(431000, 281000))
    for i, (scheme, source, assessment, handling, days) in enumerate(GRADES):
        factories.make_record(
            point=bng(431000 + 10 * i, 281000 + 10 * i),
            grading_scheme=scheme,
            source_evaluation=source,
            intelligence_assessment=assessment,
            handling_code=handling,
            occurred_from=END - timedelta(days=days),
        )


def _heat_weight(user, *, include_low_grade: bool) -> float:
    qs = record_filter(
        qs=intelligence_count_scope(user=user, restricted_lookup="hashed"),
        since=SINCE,
        until=UNTIL,
    )
    if not include_low_grade:
        qs = qs.exclude(low_grade())
    bins = heatmap_bins(
        qs=qs,
        user=user,
        cell_m=CELL_MAX_M,
        until=UNTIL,
        half_life_days=HOTSPOT_HALF_LIFE_DAYS,
    )
    assert len(bins["cells"]) == 1
    return bins["cells"][0][2]


def _hotspot_score(*, include_low_grade: bool) -> float:
    settings = HotspotSettings(
        start=datetime.combine(SINCE, time(), tzinfo=UTC),
        end=END,
        weighting=Weighting(
            half_life_days=HOTSPOT_HALF_LIFE_DAYS, include_low_grade=include_low_grade
        ),
    )
    (spot,) = hotspot_location_list(settings=settings, include_restricted=True)
    return spot.score


@pytest.mark.parametrize("include_low_grade", [False, True])
def test_heat_map_and_hot_spots_weigh_the_same_records_the_same(
    graded_records, analyst, include_low_grade
):
    heat = _heat_weight(analyst, include_low_grade=include_low_grade)
    score = _hotspot_score(include_low_grade=include_low_grade)
    assert heat > 0
    # The heat map rounds its cells to 4 decimals.
    assert heat == pytest.approx(score, abs=1e-4)


def test_low_grades_weigh_in_only_when_asked_for(graded_records, analyst):
    assert _heat_weight(analyst, include_low_grade=True) > _heat_weight(
        analyst, include_low_grade=False
    )


def _ids_sql(condition: str) -> set[int]:
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT r.id FROM intelligence_intelligencerecord r WHERE {condition}"
        )
        return {row[0] for row in cur.fetchall()}


def _ids(q) -> set[int]:
    return set(IntelligenceRecord.objects.filter(q).values_list("id", flat=True))


def test_q_and_sql_forms_pick_the_same_records(graded_records):
    assert _ids(graded_q() & ~low_grade()) == _ids_sql(
        countable_sql(include_low_grade=False)
    )
    assert len(_ids(graded_q() & ~low_grade())) == 6
    assert _ids(well_graded_q()) == _ids_sql(well_graded_sql())
    # 1A, 2B and the legacy B2 (1A).
    assert len(_ids(well_graded_q())) == 3
