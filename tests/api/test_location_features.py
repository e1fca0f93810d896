"""Locations built as GeoJSON in SQL answer exactly as the DRF serializer would."""

from datetime import date

import pytest
from django.contrib.gis.geos import Point

from locations.api import LocationSerializer
from locations.selectors import (
    location_features,
    location_list_within,
    location_nearest,
    location_scope,
    location_with_distance,
)
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def mixed_locations(area):
    factories.make_location(
        name="Kebab King",
        category="takeaway",
        concern_level="high",
        concern_review_date=date(2026, 3, 1),
    )
    factories.make_location(
        name="Oak House",
        category="childrens_home",
        address="7 Secret Lane",
        point=factories.geom("POINT(-1.5120 52.4090)"),
    )
    factories.make_location(name="No postcode", postcode="", category="park")


def _coords_rounded(features):
    for f in features:
        if f["geometry"]:
            f["geometry"]["coordinates"] = [
                round(c, 7) for c in f["geometry"]["coordinates"]
            ]
    return features


@pytest.mark.parametrize("role", ["analyst", "admin_user"])
@pytest.mark.parametrize("query", ["list", "within", "nearest"])
def test_sql_features_equal_the_serializer(request, mixed_locations, role, query):
    user = request.getfixturevalue(role)
    point = Point(-1.5106, 52.4081, srid=4326)
    qs = location_scope(user=user)
    if query == "list":
        qs = qs.order_by("name", "id")
    elif query == "within":
        qs = location_with_distance(
            qs=location_list_within(point=point, radius_m=500, qs=qs), point=point
        ).order_by("distance", "id")
    else:
        qs = location_nearest(point=point, k=5, qs=qs)
    expected = LocationSerializer(qs, many=True).data["features"]
    got = location_features(qs=qs)
    assert len(got) == len(expected) >= 2
    assert _coords_rounded(got) == _coords_rounded(
        [dict(f, properties=dict(f["properties"])) for f in expected]
    )


def test_snapped_location_loses_its_address_in_sql_features(analyst, area):
    factories.make_location(name="Oak House", category="childrens_home")
    (feature,) = location_features(qs=location_scope(user=analyst))
    assert feature["properties"]["position_approximate"] is True
    assert feature["properties"]["address"] == ""
    assert feature["properties"]["postcode"] == ""
    assert feature["geometry"]["coordinates"] != pytest.approx(
        [-1.5106, 52.4081], abs=2e-4
    )


def test_empty_queryset_gives_no_features(analyst):
    assert location_features(qs=location_scope(user=analyst).none()) == []
