import pytest
from django.db import connection

from locations.models import Area
from tests import factories

pytestmark = pytest.mark.django_db

OUTSIDE_WKT = "POINT(-1.60 52.45)"


def test_location_gets_projected_point_and_area_from_geometry(area):
    loc = factories.make_location()
    loc.refresh_from_db()
    assert loc.area_ids == [area.id]
    # British National Grid, metres: Coventry centre is near E433400 N279100.
    assert loc.point_bng.srid == 27700
    assert 433000 < loc.point_bng.x < 434000
    assert 278500 < loc.point_bng.y < 279600


def test_location_outside_every_area_has_none(area):
    loc = factories.make_location(point=factories.geom(OUTSIDE_WKT))
    loc.refresh_from_db()
    assert loc.area_ids == []


def test_moving_a_location_recomputes_its_areas(area):
    loc = factories.make_location(point=factories.geom(OUTSIDE_WKT))
    loc.point = factories.geom(factories.CENTRE_POINT_WKT)
    loc.save()
    loc.refresh_from_db()
    assert loc.area_ids == [area.id]


def test_location_in_overlapping_areas_gets_each(area):
    lsoa = factories.make_area(
        area_type="lsoa",
        code="E01009999",
        geom=factories.geom(
            "MULTIPOLYGON(((-1.52 52.405, -1.50 52.405, -1.50 52.412, -1.52 52.412,"
            " -1.52 52.405)))"
        ),
    )
    loc = factories.make_location()
    loc.refresh_from_db()
    assert sorted(loc.area_ids) == sorted([area.id, lsoa.id])


def test_bulk_created_rows_get_areas_too(area):
    from locations.models import Location

    Location.objects.bulk_create(
        [
            Location(
                name=f"Bulk {i}",
                category="takeaway",
                point=factories.geom(factories.CENTRE_POINT_WKT),
            )
            for i in range(5)
        ]
    )
    assert Location.objects.filter(area_ids__contains=[area.id]).count() == 5


def test_records_and_actions_get_areas(area):
    rec = factories.make_record()
    act = factories.make_action()
    rec.refresh_from_db()
    act.refresh_from_db()
    assert rec.area_ids == [area.id]
    assert act.area_ids == [area.id]
    assert rec.point_bng is not None and act.point_bng is not None


def test_area_stores_projected_geometry(area):
    area.refresh_from_db()
    assert area.geom_bng.srid == 27700
    # The test ward is about 2.7 km x 2.2 km.
    assert 5_000_000 < area.geom_bng.area < 7_000_000


def test_every_geometry_column_has_a_spatial_index():
    with connection.cursor() as cur:
        cur.execute(
            """
            SELECT f_table_name, f_geometry_column FROM geometry_columns
            WHERE f_table_schema = 'public'
              AND f_table_name NOT LIKE 'pghistory%%'
            """
        )
        columns = cur.fetchall()
        cur.execute(
            "SELECT tablename, indexdef FROM pg_indexes WHERE indexdef ILIKE '%%gist%%'"
        )
        gist = cur.fetchall()
    assert columns, "no geometry columns found"
    for table, column in columns:
        assert any(t == table and f"({column})" in d for t, d in gist), (
            f"{table}.{column} has no GiST index"
        )


def test_area_code_unique_per_type(area):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        Area.objects.create(
            area_type="ward", code=area.code, name="Dup", geom=area.geom
        )
