"""An analyst runs a radius query around a hotel and exports it."""

import csv
import io

import pytest

from accounts.roles import ANALYST
from audit.models import AccessLogEntry
from tests import factories

SESSION_REASON = "Preparing the CSE operational group on hotels"


def give_session_reason(page):
    """The first search of a session asks why, once, in the results panel."""
    form = page.locator("#session-justification-form")
    form.wait_for()
    page.fill("#session-justification", SESSION_REASON)
    form.get_by_role("button", name="Continue").click()


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
    page = sign_in(factories.make_user(ANALYST, "ana"), next_url="/map/")
    page.wait_for_selector("#main[data-ready=true]")

    page.fill("#search-q", "Grand Station")
    page.click("#search button[type=submit]")
    # The search opens the hotel's popup.
    page.select_option("#radius-m", "400")
    page.get_by_role("button", name="What is here?").click()
    give_session_reason(page)

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

    # An export asks for its own reason, whatever the session's.
    page.click("#export-csv")
    assert "reason for this export" in results.locator(".error").inner_text()
    page.fill("#export-justification", "Hotel watch letter to the licensing panel")
    with page.expect_download() as download:
        page.click("#export-csv")
    text = open(download.value.path(), encoding="utf-8").read()
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:2] == ["section", "name"]
    assert [r[1] for r in rows if r[0] == "location"] == [
        "Grand Station Hotel",
        "Chicken Palace",
    ]
    # The searches (the map's heat map and area counts are logged too).
    log = list(
        AccessLogEntry.objects.filter(what__startswith="What is here").order_by("id")
    )
    assert [(e.action, e.justification, e.count) for e in log] == [
        ("searched", SESSION_REASON, 4),
        ("exported", "Hotel watch letter to the licensing panel", 4),
    ]


def test_analyst_draws_an_area_and_sees_what_is_inside(sign_in, screenshot):
    factories.make_area(name="City Centre")
    factories.make_location(name="Grand Station Hotel", category="hotel")
    factories.make_location(
        name="Far Away Inn", point=factories.geom("POINT(-1.4700 52.4400)")
    )
    factories.make_record()
    page = sign_in(factories.make_user(ANALYST, "ana"), next_url="/map/")
    page.wait_for_selector("#main[data-ready=true]")
    page.click("#polygon-tool")
    box = page.locator("#main").bounding_box()
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    corners = [(-120, -90), (120, -90), (120, 90), (-120, 90), (-120, -90)]
    for dx, dy in corners:
        page.mouse.click(cx + dx, cy + dy)
        page.wait_for_timeout(100)
    give_session_reason(page)
    results = page.locator("#results")
    results.get_by_role("heading", name="Inside the drawn area").wait_for()
    assert results.locator("#result-locations li").all_inner_texts() == [
        "Grand Station Hotel Hotel"
    ]
    assert results.get_by_role("heading", name="Intelligence: 1").is_visible()
    screenshot("journey-analyst-polygon")
