from datetime import UTC, datetime

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
