"""Taxi and private-hire licensing, as its users work with it (issue 17)."""

import pytest

from accounts.roles import ANALYST, LICENSING_OFFICER
from disruption.models import DisruptionAction
from licensing.models import Driver, LicensingPrompt, TaxiCheck
from tests import factories
from tests.conftest import ARTIFACTS
from tests.licensing.conftest import (
    days,
    make_driver,
    make_licence,
    register_csv,
    register_row,
    uk,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

REASON = "Licensing compliance review of the taxi register"


def test_licensing_officer_imports_a_register_and_suspends_a_driver(
    sign_in, screenshot, live_server, tmp_path
):
    rows = [register_row(n) for n in range(1, 7)]
    # Two drivers not compliant: no DBS at all; training lapsed 60 days ago.
    rows[1].update(
        {
            "DBS Issue Date": "",
            "DBS Certificate No": "",
            "DBS Update Service": "No",
            "DBS Last Status Check": "",
        }
    )
    rows[4]["Refresher Due"] = uk(days(-60))
    path = register_csv(rows, tmp_path / "council-taxi-register.csv")
    officer = factories.make_user(LICENSING_OFFICER, "lic-import")
    page = sign_in(officer, next_url="/licensing/import/", reason=REASON)

    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Licensing", exact=True).click()
    page.get_by_role("link", name="Import a register").click()
    page.set_input_files("#id_file", str(path))
    page.click("#preview-button")
    page.locator("#import-report").wait_for()
    assert "Preview: nothing has been written yet" in page.inner_text("#import-report")
    assert Driver.objects.count() == 0
    screenshot("journey-licensing-import-preview")
    page.click("#confirm-import")
    page.get_by_text("Imported council-taxi-register.csv").wait_for()
    assert Driver.objects.count() == 6

    page.click("#show-not-compliant")
    rows_shown = page.locator("#drivers tbody tr")
    assert rows_shown.count() == 2
    # The longest overdue first: no DBS since the licence was issued.
    first = rows_shown.first.inner_text()
    assert "DL/T00002" in first and "no enhanced DBS certificate" in first
    assert "DL/T00005" in rows_shown.nth(1).inner_text()
    screenshot("journey-licensing-not-compliant")

    page.get_by_role("link", name="DL/T00002").click()
    page.select_option("#id_kind", "suspend")
    page.fill("#id_effective_on", days(0).isoformat())
    page.fill("#id_reason", "No enhanced DBS certificate held")
    page.click("#decision-form button[type=submit]")
    page.get_by_text("Licence DL/T00002: suspended").wait_for()
    assert page.inner_text("#driver-status") == "Suspended"
    assert "No enhanced DBS certificate held" in page.inner_text("#decisions")
    assert Driver.objects.get(licence_number="DL/T00002").status == "suspended"
    screenshot("journey-licensing-suspended")


def test_analyst_sees_the_licence_and_the_officer_is_prompted_without_content(
    sign_in, screenshot, live_server, browser
):
    officer = factories.make_user(LICENSING_OFFICER, "lic-holder")
    driver = make_driver(
        name="Karl Example", dbs_issued_on=None, dbs_last_checked_on=None
    )
    licence = make_licence(registration="KX19 TAX", driver=driver, officer=officer)
    record = factories.make_record(
        vehicle_marks=["KX19 TAX"],
        summary="Two girls collected from the park by a silver private-hire car",
    )
    page = sign_in(
        factories.make_user(ANALYST, "analyst-lic"),
        next_url=record.get_absolute_url(),
        reason="Reviewing new intelligence on vehicles",
    )
    page.goto(f"{live_server.url}{record.get_absolute_url()}")
    panel = page.locator("#record-licences")
    panel.wait_for()
    text = panel.inner_text()
    assert licence.plate_number in text
    assert driver.licence_number in text
    assert "Not compliant" in text
    screenshot("journey-licensing-record-panel")

    context = browser.new_context()
    other = context.new_page()
    other.goto(f"{live_server.url}/accounts/login/?next=/")
    other.fill("#id_username", officer.username)
    other.fill("#id_password", factories.TEST_PASSWORD)
    other.click("button[type=submit]")
    other.wait_for_load_state("networkidle")
    prompt = other.locator("#panel-licence-prompts")
    prompt.wait_for()
    words = prompt.inner_text()
    assert "New intelligence concerns a vehicle you license" in words
    assert "contact the police single point of contact" in words
    assert licence.plate_number in words
    body = other.content()
    assert record.reference not in body
    assert "silver private-hire car" not in body
    assert LicensingPrompt.objects.get().seen_at is not None
    other.screenshot(
        path=str(ARTIFACTS / "journey-licensing-prompt.png"), full_page=True
    )
    context.close()


def test_a_taxi_check_is_logged_against_a_driver(sign_in, screenshot, live_server):
    officer = factories.make_user(LICENSING_OFFICER, "lic-check")
    driver = make_driver(name="Check Example")
    licence = make_licence(registration="CH21 ECK", driver=driver)
    factories.make_location(name="Station Taxi Rank", category="taxi_rank")
    page = sign_in(officer, next_url=driver.get_absolute_url(), reason=REASON)
    page.goto(f"{live_server.url}{driver.get_absolute_url()}")
    page.click("#log-check")
    assert page.input_value("#id_driver_licence") == driver.licence_number
    page.fill("#id_plate", licence.plate_number)
    page.select_option("#id_location", label="Station Taxi Rank")
    page.select_option("#id_outcome", "breach")
    page.fill("#id_notes", "Badge not displayed")
    page.click("#check-form button[type=submit]")
    page.get_by_text("Check logged: Breach of licence conditions").wait_for()
    row = page.locator("#checks tbody tr").first.inner_text()
    assert "Station Taxi Rank" in row and "Breach of licence conditions" in row
    check = TaxiCheck.objects.get()
    assert (check.driver, check.vehicle) == (driver, licence)
    action = DisruptionAction.objects.get()
    assert (action.action_type, action.outcome) == ("vehicle_check", "breaches_found")
    screenshot("journey-licensing-taxi-check")
