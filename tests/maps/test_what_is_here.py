"""maps.selectors.what_is_here: the same answer the radius and area API give,
read without a request, so other pages can ask it."""

from datetime import date, timedelta

import pytest
from django.contrib.gis.geos import Point, Polygon
from django.utils import timezone

from maps.selectors import what_is_here
from tests import factories

pytestmark = pytest.mark.django_db

PERIOD = {"since": date.today() - timedelta(days=90), "until": date.today()}
HOTEL = Point(-1.5106, 52.4081, srid=4326)


@pytest.fixture
def scene(area):
    hotel = factories.make_location(name="Grand Hotel", point=HOTEL)
    factories.make_location(
        name="Far Takeaway", category="takeaway", point=Point(-1.45, 52.45, srid=4326)
    )
    factories.make_record(point=HOTEL)
    factories.make_action(location=hotel, occurred_at=timezone.now())
    return hotel


def test_a_radius_lists_what_is_within_it_nearest_first(scene, analyst):
    here = what_is_here(
        user=analyst,
        where={"point": HOTEL, "radius_m": 400},
        period=PERIOD,
        with_ids=True,
    )
    names = [f["properties"]["name"] for f in here.locations["features"]]
    assert names == ["Grand Hotel"]
    assert here.intelligence["total"] == 1
    assert len(here.record_ids) == 1
    assert [a["location"] for a in here.disruption] == ["Grand Hotel"]


def test_an_area_counts_without_ids_unless_asked(scene, analyst):
    square = Polygon.from_bbox((-1.52, 52.40, -1.50, 52.42))
    square.srid = 4326
    here = what_is_here(user=analyst, where={"polygon": square}, period=PERIOD)
    assert here.intelligence["total"] == 1
    assert here.record_ids is None
