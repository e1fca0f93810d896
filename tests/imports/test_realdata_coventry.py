"""Load a real city from ../shared/realdata, as the README tells a user to."""

from collections import Counter

import pytest
from django.contrib.gis.db.models import Extent
from django.db import connection

from imports.services.areas import areas_import
from imports.services.fhrs import fhrs_import
from imports.services.osm import osm_import
from imports.services.police_uk import incidents_import
from imports.services.postcodes import postcodes_import
from intelligence.models import IntelligenceRecord
from locations.models import Area, Location

pytestmark = [pytest.mark.django_db, pytest.mark.realdata]


def _outside_every_ward() -> list[tuple[str, float]]:
    with connection.cursor() as cur:
        cur.execute(
            """
            SELECT l.fhrs_id, (SELECT min(ST_Distance(a.geom_bng, l.point_bng))
                               FROM locations_area a WHERE a.area_type = 'ward')
            FROM locations_location l
            WHERE NOT EXISTS (SELECT 1 FROM locations_area a
                              WHERE a.area_type = 'ward' AND a.id = ANY(l.area_ids))
            """
        )
        return cur.fetchall()


def test_coventry_loads_and_reloads_unchanged(realdata):
    wards = areas_import(
        path=realdata / "coventry-wards-wd13.geojson",
        area_type="ward",
        code_field="WD13CD",
        name_field="WD13NM",
    )
    assert (wards.created, len(wards.rejected)) == (18, 0)
    assert Area.objects.filter(area_type="ward").count() == 18
    assert Area.objects.filter(code="E05001228", name="St Michael's").exists()

    postcodes = postcodes_import(path=realdata / "postcodes-CV-nspl-may2025.csv")
    assert (postcodes.read, postcodes.created, len(postcodes.rejected)) == (
        29185,
        29167,
        18,
    )

    fhrs = fhrs_import(path=realdata / "fhrs-coventry-407.xml")
    assert fhrs.read == 2573
    # 2,108 carry a geocode; 14 of the 465 without one have a known postcode.
    assert fhrs.created == 2122
    assert "14 placed at their postcode's centroid" in fhrs.notes
    assert len(fhrs.rejected) == 451
    assert {r.reason for r in fhrs.rejected} == {"no geocode and no postcode"}
    categories = Counter(Location.objects.values_list("category", flat=True))
    assert categories["takeaway"] == 320
    assert (categories["hotel"], categories["bnb"]) == (29, 2)
    assert categories["licensed_premises"] == 194
    assert Location.objects.filter(fhrs_rating="AwaitingInspection").exists()

    # Every located premises is in a ward but ten, each a fault of the FSA's
    # geocode: five premises just over the city boundary (a shopping park in
    # Binley Woods, a club on Broad Lane), and five with no postcode that the
    # FSA placed in another town (a Coventry school near Chester, a pre-school
    # in Leicester, ...).
    outside = dict(_outside_every_ward())
    near = {"766128", "1109600", "546179", "240705", "1288292"}
    elsewhere = {"1080981", "1196594", "240228", "240294", "240201"}
    assert set(outside) == near | elsewhere
    assert all(outside[i] < 1500 for i in near)
    assert all(outside[i] > 25000 for i in elsewhere)
    assert not Location.objects.filter(fhrs_id__in=elsewhere).exclude(postcode="")

    crimes = incidents_import(
        path=realdata / "police-westmids-2011-02-street-bng.csv", inside_areas=True
    )
    assert crimes.read == 25558
    assert crimes.created == 3316 and crimes.skipped == 25558 - 3316
    assert IntelligenceRecord.objects.filter(kind="incident").count() == 3316

    # Everything a second time: nothing changes.
    for again in (
        fhrs_import(path=realdata / "fhrs-coventry-407.xml"),
        incidents_import(
            path=realdata / "police-westmids-2011-02-street-bng.csv", inside_areas=True
        ),
    ):
        assert (again.created, again.updated) == (0, 0)


def test_coventry_lsoa_shapefile_in_british_national_grid(realdata):
    report = areas_import(
        path=realdata / "coventry-lsoa21-bng.shp",
        area_type="lsoa",
        code_field="LSOA21CD",
        name_field="LSOA21NM",
        srid=27700,
    )
    assert report.created == 195
    box = Area.objects.filter(area_type="lsoa").aggregate(box=Extent("geom"))["box"]
    xmin, ymin, xmax, ymax = box
    assert -1.62 < xmin < xmax < -1.41 and 52.36 < ymin < ymax < 52.47


def test_norwich_osm_matches_fhrs_premises(realdata):
    fhrs = fhrs_import(path=realdata / "fhrs-norwich-232.xml")
    takeaways = osm_import(path=realdata / "osm-norwich-food-fast_food.geojson")
    pubs = osm_import(path=realdata / "osm-norwich-food-pubs.geojson")
    assert fhrs.created == 1428
    assert (takeaways.read, takeaways.created, takeaways.matched) == (202, 59, 143)
    assert (pubs.read, pubs.created, pubs.matched) == (160, 63, 97)
    assert Location.objects.count() == 1428 + 59 + 63
