import pytest

from imports.services.dedupe import (
    NewPlace,
    matches_postgis,
    matches_rtree,
    names_similar,
)
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("a", "b", "similar"),
    [
        ("Allesley Hotel", "The Allesley Hotel Ltd", True),
        ("Coach and Horses", "Coach & Horses", True),
        ("King's Arms", "The Kings Arms", True),
        ("The Glasshouse", "The Glass House", True),
        ("Hotel", "Allesley Hotel", False),
        ("Kebab King", "Pizza Palace", False),
        ("", "Anything", False),
    ],
)
def test_names_similar(a, b, similar):
    assert names_similar(a, b) is similar


@pytest.mark.parametrize("matcher", [matches_postgis, matches_rtree])
def test_matchers_find_the_near_similar_location_only(matcher):
    hotel = factories.make_location(
        name="Allesley Hotel",
        category="hotel",
        point=factories.geom("POINT(-1.52 52.41)"),
    )
    factories.make_location(
        name="Allesley Hotel",
        category="hotel",
        point=factories.geom("POINT(-1.50 52.41)"),
    )
    places = [
        NewPlace(-1.52010, 52.41010, "The Allesley Hotel Ltd", "hotel"),  # ~13 m away
        NewPlace(-1.52010, 52.41010, "Pizza Palace", "takeaway"),  # other name
        NewPlace(-1.5250, 52.4100, "Allesley Hotel", "hotel"),  # ~340 m away
        NewPlace(-1.52005, 52.41005, "Allesley Hotel Car Park", "car_park"),
    ]
    assert matcher(places=places, exclude_source="osm") == {0: hotel.id}
