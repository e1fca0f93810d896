from pathlib import Path

import pytest

from imports.services.areas import areas_import
from imports.services.postcodes import postcodes_import

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "imports"


@pytest.fixture
def files():
    return FIXTURES


@pytest.fixture
def test_wards(db):
    """Two square wards over Coventry city centre, west and east of -1.51."""
    return areas_import(
        path=FIXTURES / "wards-small.geojson",
        area_type="ward",
        code_field="WD13CD",
        name_field="WD13NM",
    )


@pytest.fixture
def test_postcodes(db):
    return postcodes_import(path=FIXTURES / "postcodes-small.csv")
