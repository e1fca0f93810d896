import pytest

from imports.services.areas import areas_import
from imports.services.report import ImportFileError
from locations.models import Area
from tests import factories

pytestmark = pytest.mark.django_db


def test_areas_import_geojson_and_recompute_locations(files):
    west = factories.make_location(point=factories.geom("POINT(-1.52 52.41)"))
    east = factories.make_location(point=factories.geom("POINT(-1.50 52.41)"))
    report = areas_import(
        path=files / "wards-small.geojson",
        area_type="ward",
        code_field="WD13CD",
        name_field="WD13NM",
    )
    assert (report.read, report.created) == (4, 2)
    reasons = {r.where: r.reason for r in report.rejected}
    assert reasons["feature 3 (E05900003)"] == "a Point, not a polygon"
    assert reasons["feature 4"] == "no WD13CD"
    ward = Area.objects.get(code="E05900001")
    assert (ward.name, ward.area_type, ward.geom.geom_type) == (
        "West Test",
        "ward",
        "MultiPolygon",
    )
    west.refresh_from_db()
    east.refresh_from_db()
    assert west.area_ids == [ward.id]
    assert east.area_ids == [Area.objects.get(code="E05900002").id]


def test_areas_import_twice_changes_nothing(files, test_wards):
    again = areas_import(
        path=files / "wards-small.geojson",
        area_type="ward",
        code_field="WD13CD",
        name_field="WD13NM",
    )
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_shapefile_without_prj_needs_srid(files):
    kwargs = {"area_type": "lsoa", "code_field": "WD13CD", "name_field": "WD13NM"}
    with pytest.raises(ImportFileError, match="--srid"):
        areas_import(path=files / "wards-bng.shp", **kwargs)
    report = areas_import(path=files / "wards-bng.shp", srid=27700, **kwargs)
    assert report.created == 2
    # British National Grid in, WGS84 stored: the west ward's corner is back at
    # -1.53, 52.40 to within a metre or so.
    west = Area.objects.get(area_type="lsoa", code="E05900001")
    xmin, ymin, xmax, ymax = west.geom.extent
    assert (xmin, ymin) == pytest.approx((-1.53, 52.40), abs=1e-5)


def test_areas_wrong_field_lists_the_fields(files):
    with pytest.raises(ImportFileError, match="its fields are WD13CD, WD13NM"):
        areas_import(
            path=files / "wards-small.geojson",
            area_type="ward",
            code_field="LAD22CD",
            name_field="WD13NM",
        )
    assert not Area.objects.filter(code__startswith="E059").exists()


def test_areas_dry_run_leaves_area_ids_alone(files):
    loc = factories.make_location(point=factories.geom("POINT(-1.52 52.41)"))
    report = areas_import(
        path=files / "wards-small.geojson",
        area_type="ward",
        code_field="WD13CD",
        name_field="WD13NM",
        dry_run=True,
    )
    assert report.created == 2
    loc.refresh_from_db()
    assert loc.area_ids == [] and not Area.objects.exists()
