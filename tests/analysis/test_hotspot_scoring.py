"""Location scores and their explanations on hand-made data with known answers."""

from datetime import timedelta

import pytest

from analysis.selectors.hotspots import HotspotSettings, hotspot_location_list
from analysis.selectors.weights import Weighting
from tests import factories

from .conftest import END, bng

pytestmark = pytest.mark.django_db

HALF = 0.5**0.5  # a record 14 days old, with a 28-day half-life


def test_scores_weights_and_ranking(scene):
    hotel, takeaway, _home = scene
    settings = HotspotSettings(start=END - timedelta(days=28), end=END)
    spots = hotspot_location_list(settings=settings)
    assert [s.name for s in spots] == ["Hotel A", "Takeaway B"]
    top = spots[0]
    # 1A (1 x 1) + 2B (0.6 x 0.8) + 2C missing (0.6 x 0.5), each 14 days old.
    assert top.score == pytest.approx((1.0 + 0.48 + 0.30) * HALF, rel=1e-6)
    assert (top.reports, top.well_graded, top.missing, top.missing_found) == (
        2,
        2,
        1,
        1,
    )
    assert spots[1].score == pytest.approx(1.0, rel=1e-4)
    assert top.explanation == (
        "2 reports in the last 28 days, 2 graded 2B or better; 1 missing episode "
        "(1 found) within 200 m; last disruption 41 days ago (score 1.3)"
    )
    assert spots[1].explanation.endswith("no disruption recorded (score 1.0)")
    assert "Hotel / business awareness visit" in top.done


def test_low_grades_only_when_asked(scene):
    settings = HotspotSettings(
        start=END - timedelta(days=28),
        end=END,
        weighting=Weighting(include_low_grade=True),
    )
    top = hotspot_location_list(settings=settings)[0]
    assert top.reports == 4  # 3A and 2E now count
    assert top.score == pytest.approx((1.0 + 0.48 + 0.30 + 0.2 + 0.6 * 0.1) * HALF)


def test_radius_and_restricted_locations(scene):
    settings = HotspotSettings(start=END - timedelta(days=28), end=END, radius_m=300)
    names = [s.name for s in hotspot_location_list(settings=settings)]
    assert "Children's home C" not in names
    wider = hotspot_location_list(settings=settings, include_restricted=True)
    assert "Children's home C" in [s.name for s in wider]
    assert wider[0].reports == 3  # the 250 m record is now inside


def test_period_excludes_older_records(scene):
    settings = HotspotSettings(start=END - timedelta(days=7), end=END)
    assert [s.name for s in hotspot_location_list(settings=settings)] == ["Takeaway B"]


def test_legacy_grades_count_as_their_3x5x2_equivalent(square_ward):
    factories.make_location(name="Guest house", point=bng(430500, 280500))
    for source, assessment in (("B", "2"), ("D", "1"), ("A", "5")):
        factories.make_record(
            point=bng(430500, 280500),
            grading_scheme="5x5x5",
            source_evaluation=source,
            intelligence_assessment=assessment,
            handling_code="1",
            occurred_from=END - timedelta(days=14),
        )
    settings = HotspotSettings(start=END - timedelta(days=28), end=END)
    spot = hotspot_location_list(settings=settings)[0]
    # B2 reads as 1A (weight 1); D (unreliable) and 5 (suspected false) are out.
    assert (spot.reports, spot.well_graded) == (1, 1)
    assert spot.score == pytest.approx(HALF)
