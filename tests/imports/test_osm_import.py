import pytest

from imports.services.fhrs import fhrs_import
from imports.services.osm import osm_category, osm_import
from imports.services.report import ImportFileError
from locations.models import Location

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("tags", "category"),
    [
        ({"amenity": "taxi"}, "taxi_rank"),
        ({"amenity": "fast_food"}, "takeaway"),
        ({"tourism": "hotel"}, "hotel"),
        ({"tourism": "guest_house"}, "bnb"),
        ({"amenity": "nightclub"}, "licensed_premises"),
        ({"amenity": "parking"}, "car_park"),
        ({"leisure": "park"}, "park"),
        ({"amenity": "restaurant"}, None),
        ({"shop": "convenience"}, None),
    ],
)
def test_osm_tags_map_to_categories(tags, category):
    assert osm_category(tags=tags) == category


def test_osm_shops_only_when_asked():
    assert osm_category(tags={"shop": "mall"}, shops=True) == "shopping_centre"
    assert osm_category(tags={"shop": "convenience"}, shops=True) == "other"


def test_osm_import_points_and_polygons(files):
    report = osm_import(path=files / "osm-small.geojson")
    assert (report.read, report.created, report.skipped) == (10, 6, 2)
    reasons = {r.where: r.reason for r in report.rejected}
    assert "LineString" in reasons["feature 7 (way/107)"]
    assert "outside the deployment's area" in reasons["feature 8 (node/108)"]
    car_park = Location.objects.get(source="osm", source_id="way/104")
    assert car_park.category == "car_park"
    assert car_park.footprint is not None and car_park.footprint.contains(
        car_park.point
    )
    rank = Location.objects.get(source_id="node/103")
    assert (rank.name, rank.category) == ("Taxi rank, Hertford Street", "taxi_rank")


def test_osm_matches_fhrs_premises_instead_of_duplicating(files):
    fhrs_import(path=files / "fhrs-small.xml")
    before = Location.objects.count()
    report = osm_import(path=files / "osm-small.geojson")
    # Kebab King by its fhrs:id; "The Allesley Hotel Ltd" by place and name.
    assert report.matched == 2
    assert Location.objects.count() == before + 4
    assert not Location.objects.filter(source_id__in=["node/101", "node/102"]).exists()
    hotel = Location.objects.get(fhrs_id="900002")
    assert hotel.name == "Allesley Hotel"


def test_osm_import_twice_changes_nothing(files):
    fhrs_import(path=files / "fhrs-small.xml")
    osm_import(path=files / "osm-small.geojson")
    versions = dict(Location.objects.values_list("id", "version"))
    again = osm_import(path=files / "osm-small.geojson")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 6)
    assert dict(Location.objects.values_list("id", "version")) == versions
    # And the food hygiene file after it still finds its own premises.
    fhrs_again = fhrs_import(path=files / "fhrs-small.xml")
    assert (fhrs_again.created, fhrs_again.updated) == (0, 0)


def test_osm_broken_json_changes_nothing_and_says_where(files, location):
    before = Location.objects.count()
    with pytest.raises(ImportFileError, match=r"broken JSON at line \d+, column \d+"):
        osm_import(path=files / "osm-broken.geojson")
    assert Location.objects.count() == before
