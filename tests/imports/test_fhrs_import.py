import pytest

from imports.services.fhrs import fhrs_category, fhrs_import
from imports.services.report import ImportFileError
from locations.models import Location

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("business_type", "name", "category"),
    [
        ("Takeaway/sandwich shop", "Kebab King", "takeaway"),
        ("Hotel/bed & breakfast/guest house", "Allesley Hotel", "hotel"),
        ("Hotel/bed & breakfast/guest house", "Rose Guest House", "bnb"),
        ("Hotel/bed & breakfast/guest house", "Ivy B&B", "bnb"),
        ("Pub/bar/nightclub", "The Old Bull", "licensed_premises"),
        ("Restaurant/Cafe/Canteen", "Corner Cafe", "other"),
    ],
)
def test_fhrs_business_types_map_to_categories(business_type, name, category):
    assert fhrs_category(business_type=business_type, name=name) == category


def test_fhrs_import_creates_premises_and_reports_rejections(files):
    report = fhrs_import(path=files / "fhrs-small.xml")
    assert report.read == 11
    assert report.created == 5
    reasons = {r.where: r.reason for r in report.rejected}
    assert "not in the postcode lookup" in reasons["FHRSID 900006"]
    assert "not in the postcode lookup" in reasons["FHRSID 900007"]
    assert reasons["FHRSID 900008"] == "no geocode and no postcode"
    assert "outside the deployment's area" in reasons["FHRSID 900009"]
    assert "impossible coordinates" in reasons["FHRSID 900010"]
    assert "repeated" in reasons["FHRSID 900001"]
    kebab = Location.objects.get(source="fhrs", source_id="900001")
    assert (kebab.category, kebab.fhrs_id, kebab.fhrs_rating) == (
        "takeaway",
        "900001",
        "3",
    )
    assert kebab.postcode == "CV1 5DZ"
    guest_house = Location.objects.get(fhrs_id="900003")
    assert (guest_house.category, guest_house.fhrs_rating) == (
        "bnb",
        "AwaitingInspection",
    )
    assert guest_house.postcode == "CV1 1LF"


def test_fhrs_without_geocode_placed_from_postcode_lookup(files, test_postcodes):
    report = fhrs_import(path=files / "fhrs-small.xml")
    pizza = Location.objects.get(fhrs_id="900006")
    assert (pizza.point.x, pizza.point.y) == pytest.approx((-1.511, 52.408))
    assert "1 placed at their postcode's centroid" in report.notes
    assert "FHRSID 900006" not in {r.where for r in report.rejected}


def test_fhrs_import_twice_changes_nothing(files):
    fhrs_import(path=files / "fhrs-small.xml")
    versions = dict(Location.objects.values_list("id", "version"))
    again = fhrs_import(path=files / "fhrs-small.xml")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)
    assert dict(Location.objects.values_list("id", "version")) == versions


def test_fhrs_changed_rating_updates_in_place(files, tmp_path):
    fhrs_import(path=files / "fhrs-small.xml")
    changed = tmp_path / "changed.xml"
    changed.write_text(
        (files / "fhrs-small.xml")
        .read_text()
        .replace("<RatingValue>4</RatingValue>", "<RatingValue>1</RatingValue>")
    )
    report = fhrs_import(path=changed)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 4)
    pub = Location.objects.get(fhrs_id="900004")
    assert (pub.fhrs_rating, pub.version) == ("1", 2)


def test_fhrs_types_option_skips_other_categories(files):
    report = fhrs_import(path=files / "fhrs-small.xml", types={"hotel", "bnb"})
    assert report.created == 2
    assert report.skipped == 9
    assert set(Location.objects.values_list("category", flat=True)) == {"hotel", "bnb"}


def test_fhrs_broken_file_changes_nothing_and_says_where(files, location):
    before = Location.objects.count()
    with pytest.raises(
        ImportFileError, match=r"line 10, column \d+, after establishment 1"
    ):
        fhrs_import(path=files / "fhrs-broken.xml")
    assert Location.objects.count() == before


def test_fhrs_other_xml_is_refused(tmp_path):
    other = tmp_path / "other.xml"
    other.write_text("<osm><node id='1'/></osm>")
    with pytest.raises(ImportFileError, match="not an FHRS file"):
        fhrs_import(path=other)


def test_fhrs_dry_run_reports_and_rolls_back(files):
    report = fhrs_import(path=files / "fhrs-small.xml", dry_run=True)
    assert report.created == 5
    assert not Location.objects.filter(source="fhrs").exists()


def test_fhrs_reimport_keeps_an_officers_category(files):
    fhrs_import(path=files / "fhrs-small.xml")
    Location.objects.filter(fhrs_id="900001").update(category="shisha_lounge")
    fhrs_import(path=files / "fhrs-small.xml")
    assert Location.objects.get(fhrs_id="900001").category == "shisha_lounge"
