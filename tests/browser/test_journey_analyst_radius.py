"""An analyst runs a radius query around a hotel and exports it."""

import csv
import io

import pytest

from accounts.roles import ANALYST
from tests import factories

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_analyst_radius_query_around_a_hotel_and_export(sign_in, screenshot):
    factories.make_area(name="City Centre")
    factories.make_location(name="Grand Station Hotel", category="hotel")
    factories.make_location(
        name="Chicken Palace",
        category="takeaway",
        point=factories.geom("POINT(-1.5090 52.4085)"),
    )
    factories.make_location(
        name="Far Away Inn", point=factories.geom("POINT(-1.4700 52.4400)")
    )
    for _ in range(3):
        factories.make_record()
    factories.make_record(kind="missing", missing_point="last_seen")
    page = sign_in(factories.make_user(ANALYST, "ana"))
    page.wait_for_selector("#main[data-ready=true]")

    page.fill("#search-q", "Grand Station")
    page.click("#search button[type=submit]")
    page.locator(".leaflet-marker-icon[title='Grand Station Hotel']").click()
    page.select_option("#radius-m", "400")
    page.get_by_role("button", name="What is here?").click()

    results = page.locator("#results")
    results.get_by_role("heading", name="Within 400 m").wait_for()
    listed = results.locator("#result-locations li")
    assert listed.count() == 2
    assert "Grand Station Hotel" in listed.nth(0).inner_text()
    assert "Chicken Palace" in listed.nth(1).inner_text()
    assert "Far Away Inn" not in results.inner_text()
    assert results.get_by_role("heading", name="Intelligence: 4").is_visible()
    assert page.locator("path.radius-circle").count() == 1
    screenshot("journey-analyst-radius")

    with page.expect_download() as download:
        page.click("#export-csv")
    text = open(download.value.path(), encoding="utf-8").read()
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:2] == ["section", "name"]
    assert [r[1] for r in rows if r[0] == "location"] == [
        "Grand Station Hotel",
        "Chicken Palace",
    ]
