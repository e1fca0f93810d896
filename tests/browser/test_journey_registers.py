"""The registers in the browser: a tasking officer finds a record by its
vehicle mark and exports the list; a licensing officer adds a premises and
is warned of a likely duplicate; the map and the registers open each other."""

import csv
import io

import pytest

from accounts.models import Agency
from accounts.roles import (
    ANALYST,
    COMMUNITY_SAFETY_OFFICER,
    LICENSING_OFFICER,
    TASKING_OFFICER,
)
from audit.models import AccessLogEntry
from locations.models import Location, Postcode
from tests import factories

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

SESSION_REASON = "Preparing the CSE operational group on taxis"
EXPORT_REASON = "Taxi licensing referral for the operational group"


def test_tasking_officer_finds_a_record_by_vehicle_mark_and_exports(
    sign_in, screenshot, live_server
):
    factories.make_area(name="City Centre")
    hotel = factories.make_location(name="Grand Station Hotel")
    wanted = factories.make_record(
        summary="Grey saloon collecting two girls from the hotel at 2am",
        vehicle_marks=["AB12CDE"],
        handling_code="C",
        handling_conditions="Not to be shared outside the CSE team",
        tags=["vehicle_pickup"],
    )
    wanted.location_links.create(location=hotel, link_type="vehicle_seen")
    other = factories.make_record(
        summary="Party reported in room 12", vehicle_marks=["XY99ZZZ"]
    )
    page = sign_in(
        factories.make_user(TASKING_OFFICER, "tasker"),
        next_url="/intelligence/",
        reason=SESSION_REASON,
    )
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Records"
    ).click()
    page.get_by_role("heading", name="Records register").wait_for()
    table = page.locator("#records-table")
    assert wanted.reference in table.inner_text()
    assert other.reference in table.inner_text()

    page.fill("#id_vehicle", "ab12 cde")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_load_state("networkidle")
    rows = page.locator("#records-table tbody tr")
    assert rows.count() == 1
    assert "AB12CDE" in rows.first.inner_text()
    assert "Not to be shared outside the CSE team" in rows.first.inner_text()
    screenshot("register-records")

    # An export asks for its own reason, beside the button.
    page.fill("#export-justification", EXPORT_REASON)
    with page.expect_download() as download:
        page.get_by_role("button", name="Export CSV").click()
    text = open(download.value.path(), encoding="utf-8").read()
    body = list(csv.reader(io.StringIO(text)))
    assert body[0][0] == "Reference"
    assert [r[0] for r in body[1:]] == [wanted.reference]
    assert "Grey saloon collecting two girls from the hotel at 2am" in body[1]
    assert "Not to be shared outside the CSE team" in body[1]
    exported = AccessLogEntry.objects.filter(action="exported").get()
    assert exported.justification == EXPORT_REASON
    assert exported.record_ids == [wanted.pk]

    # The record's own page: conditions first, grade in words, links.
    page.get_by_role("link", name=wanted.reference).click()
    banner = page.locator("#handling-banner")
    assert "Not to be shared outside the CSE team" in banner.inner_text()
    assert "Known indirectly but corroborated" in page.inner_text("#grade-words")
    page.wait_for_selector("#recmap path.leaflet-interactive")
    screenshot("record-page")
    page.get_by_role("link", name="Grand Station Hotel").click()
    page.get_by_role("heading", name="Grand Station Hotel").wait_for()
    assert page.get_by_role("link", name=wanted.reference).is_visible()
    screenshot("location-page-links")

    # Back to the filtered register, then onto the map.
    page.goto(f"{live_server.url}/intelligence/?vehicle=AB12CDE")
    page.get_by_role("link", name="Show these on the map").click()
    page.locator("#register-selection strong").wait_for()
    assert "1 record from the register" in page.inner_text("#register-selection")
    assert page.locator("path.selection-marker").count() == 1
    page.wait_for_selector("#main[data-ready=true]")
    screenshot("map-register-selection")
    page.click("#selection-list")
    page.get_by_role("heading", name="Records register").wait_for()
    assert page.locator("#records-table tbody tr").count() == 1


def test_licensing_officer_adds_premises_and_is_warned_of_a_duplicate(
    sign_in, screenshot
):
    factories.make_area(name="City Centre")
    Postcode.objects.create(
        postcode="CV12AB", point=factories.geom("POINT(-1.5050 52.4060)")
    )
    held = factories.make_location(
        name="The Station Lodge", fhrs_id="887766", postcode="CV1 2AB"
    )
    page = sign_in(factories.make_user(LICENSING_OFFICER, "lic"), next_url="/")
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Premises"
    ).click()
    page.get_by_role("heading", name="Premises register").wait_for()
    screenshot("register-premises")
    page.get_by_role("link", name="Add premises").click()
    page.fill("#id_name", "Station Lodge Hotel")
    page.select_option("#id_category", "hotel")
    page.fill("#id_address", "2 Station Road, Coventry")
    page.fill("#id_postcode", "cv1 2ab")
    page.press("#id_postcode", "Tab")
    page.get_by_text("Placed at the postcode's centre").wait_for()
    assert page.input_value("#id_lat").startswith("52.406")
    page.fill("#id_fhrs_id", "887766")
    page.get_by_role("button", name="Add premises").click()
    warning = page.locator("#duplicate-warning")
    warning.wait_for()
    assert "The Station Lodge" in warning.inner_text()
    assert Location.objects.count() == 1
    screenshot("premises-duplicate-warning")

    # A different place after all: confirmed, it is saved.
    page.check("#id_not_duplicate")
    page.get_by_role("button", name="Add premises").click()
    page.get_by_role("heading", name="Station Lodge Hotel").wait_for()
    assert page.get_by_text("Station Lodge Hotel added.").is_visible()
    added = Location.objects.exclude(pk=held.pk).get()
    assert added.fhrs_id == "887766" and added.postcode == "CV1 2AB"
    page.get_by_role("link", name="Edit premises").click()
    page.get_by_role("heading", name="Edit Station Lodge Hotel").wait_for()
    screenshot("premises-edit")


def test_safety_officer_sees_follow_ups_and_an_action_page(sign_in, screenshot):
    factories.make_area(name="City Centre")
    hotel = factories.make_location(name="Grand Station Hotel")
    officer = factories.make_user(COMMUNITY_SAFETY_OFFICER, "safe")
    from datetime import date, timedelta

    factories.make_action(
        location=hotel,
        agency=Agency.COMMUNITY_SAFETY,
        officer=officer,
        notes="Trained six night staff on warning signs",
        staff_trained=6,
        follow_up_date=date.today() + timedelta(days=3),
    )
    factories.make_action(location=hotel, agency=Agency.POLICE, notes="Patrol")
    page = sign_in(officer, next_url="/disruption/actions/")
    page.goto(page.url)
    page.get_by_role("link", name="My agency's follow-ups coming due").click()
    rows = page.locator("#actions-table tbody tr")
    assert rows.count() == 1
    assert "Trained six night staff" in rows.first.inner_text()
    screenshot("register-actions")
    rows.first.locator("td a").first.click()
    page.get_by_role("heading", name="Hotel / business awareness visit").wait_for()
    assert page.get_by_role("link", name="Grand Station Hotel").is_visible()
    screenshot("action-page")


def test_analyst_lists_what_a_radius_holds(sign_in, screenshot):
    factories.make_area(name="City Centre")
    factories.make_location(name="Grand Station Hotel")
    record = factories.make_record(summary="Seen near the station")
    page = sign_in(
        factories.make_user(ANALYST, "ana"), next_url="/map/", reason=SESSION_REASON
    )
    page.wait_for_selector("#main[data-ready=true]")
    page.fill("#search-q", "Grand Station")
    page.click("#search button[type=submit]")
    page.get_by_role("button", name="What is here?").click()
    page.locator("#list-these").wait_for()
    page.get_by_role("link", name="List these records").click()
    page.get_by_role("heading", name="Records register").wait_for()
    assert record.reference in page.inner_text("#records-table")
    assert "point=" in page.url and "radius=" in page.url
