from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.gis.geos import Point

from tests import factories

# A fixed "now" for the hand-made data, so every age weight is known.
END = datetime(2026, 3, 1, tzinfo=UTC)
# A 4 km square ward in British National Grid metres: 16 x 16 cells of 250 m
# (a metre inside the cell edges, as the WGS84 round trip moves them by a hair).
SQUARE_WARD_BNG = (
    "MULTIPOLYGON(((430001 280001, 433999 280001, 433999 283999, "
    "430001 283999, 430001 280001)))"
)


def bng(x: float, y: float) -> Point:
    """A point given in BNG metres; PostGIS transforms it to WGS84 on save."""
    return Point(x, y, srid=27700)


@pytest.fixture
def square_ward(db):
    return factories.make_area(geom=factories.geom(SQUARE_WARD_BNG, srid=27700))


def _rec(x, y, grade="2B", days_ago=14, **kw):
    return factories.make_record(
        point=bng(x, y),
        source_evaluation=grade[0],
        intelligence_assessment=grade[1],
        occurred_from=END - timedelta(days=days_ago),
        **kw,
    )


@pytest.fixture
def scene(square_ward):
    """Three locations and records with known weights around Hotel A."""
    hotel = factories.make_location(name="Hotel A", point=bng(431000, 281000))
    takeaway = factories.make_location(
        name="Takeaway B", category="takeaway", point=bng(431800, 280200)
    )
    home = factories.make_location(
        name="Children's home C", category="childrens_home", point=bng(431010, 281000)
    )
    _rec(431000, 281000, "1A")
    _rec(431000, 281150, "2B")  # 150 m away: inside the 200 m radius
    _rec(431000, 281250, "1A")  # 250 m away: outside
    _rec(431000, 281000, "3A")  # source 3: left out
    _rec(431000, 281000, "2E")  # grade E: left out
    _rec(
        431000,
        281000,
        "2C",
        kind="missing",
        missing_point="found",
        summary="Found at hotel",
    )
    _rec(431800, 280200, "1A", days_ago=1 / 1440)  # a minute old
    factories.make_action(location=hotel, occurred_at=END - timedelta(days=41))
    return hotel, takeaway, home
