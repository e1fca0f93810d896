"""Locations per area, kept by triggers in the writer's transaction: after
inserts one at a time and in bulk, a concern raised and cleared, a move out
of an area and deletions, the rows equal the count over every location."""

import random

import pytest
from django.contrib.gis.geos import MultiPolygon, Point, Polygon

from locations.models import Location, LocationAreaCount
from tests import factories

pytestmark = pytest.mark.django_db

LON, LAT = -1.5106, 52.4081


def _square(lon: float, lat: float, d: float) -> MultiPolygon:
    return MultiPolygon(
        Polygon.from_bbox((lon - d, lat - d, lon + d, lat + d)), srid=4326
    )


def _point(rng: random.Random) -> Point:
    return Point(
        LON + rng.uniform(-0.03, 0.03), LAT + rng.uniform(-0.02, 0.02), srid=4326
    )


def _counted() -> dict:
    """{area id: (locations, with a concern)} from every location's areas."""
    counts: dict[int, list[int]] = {}
    for area_ids, level in Location.objects.values_list("area_ids", "concern_level"):
        for aid in area_ids:
            c = counts.setdefault(aid, [0, 0])
            c[0] += 1
            c[1] += level != "none"
    return {aid: tuple(c) for aid, c in counts.items()}


def _kept() -> dict:
    return {r.area_id: (r.n, r.n_flagged) for r in LocationAreaCount.objects.all()}


def test_location_counts_per_area_follow_every_write(db):
    rng = random.Random(6)
    factories.make_area(geom=_square(LON, LAT, 0.012))
    factories.make_area(geom=_square(LON - 0.015, LAT + 0.01, 0.015))
    factories.make_area(area_type="npa", geom=_square(LON, LAT, 0.04))
    for _ in range(20):
        factories.make_location(point=_point(rng))
    Location.objects.bulk_create(
        [
            Location(
                name=f"Bulk {i}",
                category="hotel",
                address="1 High Street",
                postcode="CV1 1AA",
                point=_point(rng),
            )
            for i in range(30)
        ]
    )
    assert _kept() == _counted()
    assert sum(n for n, _f in _kept().values()) >= 50
    ids = list(Location.objects.values_list("id", flat=True))
    Location.objects.filter(id__in=rng.sample(ids, 12)).update(concern_level="high")
    assert _kept() == _counted()
    assert any(f for _n, f in _kept().values())
    Location.objects.filter(id__in=rng.sample(ids, 6)).update(concern_level="none")
    for location in Location.objects.filter(id__in=rng.sample(ids, 8)):
        location.point = Point(LON + 1, LAT, srid=4326)  # out of every area
        location.save()
    assert _kept() == _counted()
    Location.objects.filter(id__in=rng.sample(ids, 10)).delete()
    assert _kept() == _counted()
    Location.objects.all().delete()
    assert _kept() == {}
