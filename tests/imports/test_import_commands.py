from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from intelligence.models import IntelligenceRecord
from locations.models import Area, Location

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_commands_load_a_small_city(files):
    out = run(
        "import_areas", str(files / "wards-small.geojson"), "--type", "ward",
        "--code-field", "WD13CD", "--name-field", "WD13NM",
    )  # fmt: skip
    assert "created 2" in out and "rejected feature 3 (E05900003)" in out
    assert "created 3" in run("import_postcodes", str(files / "postcodes-small.csv"))
    out = run(
        "import_fhrs", str(files / "fhrs-small.xml"), "--types", "takeaway,hotel,bnb"
    )
    assert "created 4" in out and "rejected FHRSID 900007" in out
    assert "1 placed at their postcode's centroid" in out
    out = run("import_osm", str(files / "osm-small.geojson"))
    assert "matched to existing 2" in out
    out = run("import_incidents", str(files / "police-early-bng.csv"), "--inside-areas")
    assert "created 2" in out
    assert Location.objects.exclude(area_ids=[]).count() == Location.objects.count()
    assert IntelligenceRecord.objects.filter(source="police_uk").count() == 2
    assert Area.objects.count() == 2


def test_dry_run_command_reports_and_saves_nothing(files):
    out = run("import_fhrs", str(files / "fhrs-small.xml"), "--dry-run")
    assert "dry run: nothing was saved" in out and "created 5" in out
    assert not Location.objects.exists()


def test_broken_file_is_a_command_error(files):
    with pytest.raises(
        CommandError, match="broken XML at line 10.*Nothing was imported"
    ):
        run("import_fhrs", str(files / "fhrs-broken.xml"))


def test_unknown_type_refused():
    with pytest.raises(CommandError, match="unknown --types pizzeria"):
        run("import_fhrs", "whatever.xml", "--types", "pizzeria")


def test_imported_locations_history_names_the_command_and_file(files, analyst):
    from locations.selectors import location_change_history, location_scope

    run("import_fhrs", str(files / "fhrs-small.xml"))
    place = location_scope(user=analyst).filter(source="fhrs").first()
    created = location_change_history(location=place)[-1]
    assert created.action == "created"
    assert created.who == "Command import_fhrs (fhrs-small.xml)"
    assert ("Name", "—", place.name) in [
        (c.field, c.old, c.new) for c in created.changes
    ]
