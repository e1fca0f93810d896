import pytest

from common.postcodes import postcode_display, postcode_normalise
from imports.services.postcodes import postcodes_import
from imports.services.report import ImportFileError
from locations.models import Postcode

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("typed", ["cv11lf", "CV1 1LF", " cv1  1lf ", "CV1-1LF"])
def test_postcodes_normalise_however_typed(typed):
    assert postcode_normalise(typed) == "CV11LF"
    assert postcode_display(typed) == "CV1 1LF"


def test_postcodes_import_reports_each_rejected_line(files):
    report = postcodes_import(path=files / "postcodes-small.csv")
    assert (report.read, report.created, len(report.rejected)) == (6, 3, 3)
    reasons = {r.where: r.reason for r in report.rejected}
    assert "no coordinates" in reasons["line 5"]
    assert "impossible coordinates" in reasons["line 6"]
    assert "not a postcode" in reasons["line 7"]
    assert Postcode.objects.get(postcode="CV15DZ").point.y == pytest.approx(52.4148)


def test_postcodes_import_twice_changes_nothing(files):
    postcodes_import(path=files / "postcodes-small.csv")
    again = postcodes_import(path=files / "postcodes-small.csv")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)


def test_postcodes_wrong_columns_say_which(files):
    with pytest.raises(ImportFileError, match="line 1: no latitude column"):
        postcodes_import(path=files / "postcodes-wrong-columns.csv")
    assert not Postcode.objects.exists()


def test_postcodes_dry_run_saves_nothing_but_reports(files):
    report = postcodes_import(path=files / "postcodes-small.csv", dry_run=True)
    assert report.created == 3 and report.dry_run
    assert not Postcode.objects.exists()
