"""Every CSV export goes through common/exports.py, so a cell a
spreadsheet would run as a formula arrives as text."""

import csv
import io
import subprocess
from datetime import date, timedelta

import pytest

from locations.services import location_flag
from tests import factories
from tests.conftest import REPO

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.example","Click")'


def _rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_no_csv_is_written_outside_the_exports_module():
    found = subprocess.run(
        ["git", "grep", "-l", "-E", r"csv\.(writer|DictWriter)\(", "--", "*.py"],
        cwd=REPO,
        capture_output=True,
        text=True,
    ).stdout.split()
    # The bench writes its own input files (a council's register to import),
    # which are not exports of anything held.
    assert [p for p in found if not p.startswith(("tests/", "scripts/bench/"))] == [
        "common/exports.py"
    ]


def test_what_is_here_export_escapes_formulas(client, analyst, area):
    factories.make_location(name=FORMULA, address="+44 1 High Street")
    client.force_login(analyst)
    rows = _rows(
        client.get(
            "/api/v1/query/radius/",
            {
                "point": "-1.5106,52.4081",
                "radius": 400,
                "export": "csv",
                "justification": "Hotel watch letter to the licensing panel",
            },
        )
    )
    location = next(r for r in rows if r[0] == "location")
    assert location[1] == "'" + FORMULA
    assert location[3] == "'+44 1 High Street"


def test_report_export_escapes_formulas(client, analyst, licensing_officer):
    factories.make_area(name="@SUM(A1:A9)", code="-E05000001")
    place = factories.make_location()
    location_flag(
        location=place,
        user=licensing_officer,
        action="flag",
        reason="Seen late",
        risk_level="high",
        review_date=date.today() + timedelta(days=30),
    )
    client.force_login(analyst)
    rows = _rows(client.get("/analysis/reports/flagged-by-ward.csv"))
    assert ["'-E05000001", "'@SUM(A1:A9)", "1", "0", "0"] in rows
