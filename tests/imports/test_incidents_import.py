from datetime import date

import pytest

from imports.services.police_uk import incidents_import
from imports.services.report import ImportFileError
from intelligence.models import IntelligenceRecord

pytestmark = pytest.mark.django_db

TODAY = date(2025, 2, 1)


def test_current_format_becomes_graded_incidents(files):
    report = incidents_import(path=files / "police-current.csv", today=TODAY)
    assert (report.read, report.created) == (6, 4)
    reasons = {r.where: r.reason for r in report.rejected}
    assert "no location" in reasons["line 5"]
    assert "not YYYY-MM" in reasons["line 7"]
    record = IntelligenceRecord.objects.get(source_id__startswith="a1b2c3")
    assert record.kind == "incident"
    assert record.crime_type == "Violence and sexual offences"
    assert record.location_text == "On or near Hertford Street"
    assert record.grade == "1B P"
    assert record.review_date == date(2031, 2, 1)
    assert record.reference.startswith("PUK-")
    assert record.occurred_from.isoformat() == "2024-03-01T00:00:00+00:00"
    assert record.occurred_to.date() == date(2024, 3, 31)
    # Two identical anti-social behaviour rows without a crime id stay two.
    assert (
        IntelligenceRecord.objects.filter(crime_type="Anti-social behaviour").count()
        == 2
    )


def test_early_format_easting_northing(files):
    report = incidents_import(path=files / "police-early-bng.csv", today=TODAY)
    assert report.created == 2
    assert "impossible grid reference" in report.rejected[0].reason
    record = IntelligenceRecord.objects.get(location_text="On or near Hertford Street")
    assert (record.point.x, record.point.y) == pytest.approx(
        (-1.5106, 52.4081), abs=1e-4
    )


def test_incidents_import_twice_changes_nothing(files):
    incidents_import(path=files / "police-current.csv", today=TODAY)
    again = incidents_import(path=files / "police-current.csv", today=date(2025, 3, 1))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)


def test_inside_areas_skips_crimes_elsewhere(files, test_wards):
    report = incidents_import(
        path=files / "police-current.csv", inside_areas=True, today=TODAY
    )
    assert (report.created, report.skipped) == (3, 1)
    assert not IntelligenceRecord.objects.filter(crime_type="Burglary").exists()


def test_wrong_columns_refused_with_reason(files):
    with pytest.raises(
        ImportFileError, match="line 1: not a police.uk crime file, no Crime type"
    ):
        incidents_import(path=files / "police-wrong-columns.csv")


def test_broken_row_leaves_database_as_it_was(files, intel):
    before = IntelligenceRecord.objects.count()
    with pytest.raises(
        ImportFileError, match="line 3: 7 fields where the header has 12"
    ):
        incidents_import(path=files / "police-broken-row.csv")
    assert IntelligenceRecord.objects.count() == before
