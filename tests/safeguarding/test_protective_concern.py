"""A place named in a CSE screening weighs in the hot spots as a
protective-concern location: its score is raised by the stated factor and
the explanation says why; a screening outside the period does not count."""

from datetime import timedelta

import pytest
from django.utils import timezone

from analysis.selectors.hotspots import HotspotSettings, hotspot_location_list
from safeguarding.concern import PROTECTIVE_CONCERN_FACTOR
from safeguarding.models import Screening
from safeguarding.services import AnswerInput, screening_record
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_hotels(cast):
    a = factories.make_location(
        name="Hotel A", point=factories.geom("POINT(-1.5106 52.4081)")
    )
    b = factories.make_location(
        name="Hotel B", point=factories.geom("POINT(-1.4906 52.4081)")
    )
    when = timezone.now() - timedelta(days=3)
    for hotel in (a, b):
        factories.make_record(occurred_from=when, point=hotel.point)
    return a, b


def _screen(cast, place):
    return screening_record(
        subject=cast.young,
        indicator_set=cast.tool,
        user=cast.practitioner,
        answers=[
            AnswerInput(indicator=i, presence="absent", when="now")
            for i in cast.tool.indicators.all()
        ],
        locations=[place],
    )


def _settings():
    end = timezone.now() + timedelta(hours=1)
    return HotspotSettings(start=end - timedelta(days=28), end=end)


def test_a_named_place_ranks_up_and_says_why(cast, two_hotels):
    a, b = two_hotels
    before = {s.name: s.score for s in hotspot_location_list(settings=_settings())}
    assert before["Hotel A"] == pytest.approx(before["Hotel B"])
    _screen(cast, b)
    spots = [
        s
        for s in hotspot_location_list(settings=_settings())
        if s.name in ("Hotel A", "Hotel B")
    ]
    assert [s.name for s in spots] == ["Hotel B", "Hotel A"]
    assert spots[0].score == pytest.approx(
        before["Hotel B"] * PROTECTIVE_CONCERN_FACTOR
    )
    assert spots[0].screenings == 1
    assert "named in 1 CSE screening: a protective concern" in spots[0].explanation
    assert "CSE screening" not in spots[1].explanation


def test_a_screening_before_the_period_does_not_count(cast, two_hotels):
    _, b = two_hotels
    screening = _screen(cast, b)
    Screening.objects.filter(pk=screening.pk).update(
        screened_at=timezone.now() - timedelta(days=60)
    )
    spot = next(
        s for s in hotspot_location_list(settings=_settings()) if s.name == "Hotel B"
    )
    assert spot.screenings == 0
