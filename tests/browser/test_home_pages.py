"""Each role's home page, its notifications and email choices, the analysis
index and a committee's report, as a user sees them (screenshots in
test-artifacts/)."""

from datetime import date, timedelta

import pytest

from accounts.roles import ANALYST, LICENSING_OFFICER, PARTNER, TASKING_OFFICER
from disruption.services import meeting_create, tasking_create
from locations.models import AreaCommittee
from tests import factories

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_a_tasking_officer_reads_their_home_and_marks_it_read(
    sign_in, screenshot, live_server
):
    officer = factories.make_user(TASKING_OFFICER, "pc-home")
    hotel = factories.make_location(name="Canal Hotel")
    tasking_create(
        meeting=meeting_create(group="cse_mog", held_on=date.today()),
        target_location=hotel,
        reason="Visit the hotel",
        priority="high",
        owner_agency="police",
        owner_officer=officer,
        due_date=date.today() + timedelta(days=2),
    )
    page = sign_in(officer)
    page.wait_for_selector("#panel-taskings")
    assert "Canal Hotel" in page.inner_text("#panel-taskings")
    assert page.locator("#panel-notifications li.unread").count() == 1
    screenshot("home-tasking-officer")
    page.click("#panel-notifications button:has-text('Mark all read')")
    page.wait_for_load_state("networkidle")
    assert page.locator("#panel-notifications li.unread").count() == 0
    page.goto(f"{live_server.url}/notifications/")
    screenshot("notifications")
    page.goto(f"{live_server.url}/notifications/preferences/")
    page.uncheck("input[value=tasking_assigned]")
    page.click("#preferences-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert not page.is_checked("input[value=tasking_assigned]")
    screenshot("notification-preferences")
    page.goto(f"{live_server.url}/")
    page.click("#open-map")
    page.wait_for_selector("#main[data-ready=true]")


def test_analyst_licensing_and_partner_homes(sign_in, screenshot, live_server, page):
    ward = factories.make_area(name="Foleshill")
    committee = AreaCommittee.objects.create(name="North East")
    committee.wards.set([ward])
    factories.make_record(review_date=date.today() - timedelta(days=1))
    sign_in(factories.make_user(ANALYST, "ana-home"))
    page.wait_for_selector("#panel-reviews")
    screenshot("home-analyst")
    page.click("nav.mainnav a:has-text('Analysis')")
    page.wait_for_selector("#analysis-index")
    screenshot("analysis-index")
    page.goto(f"{live_server.url}/analysis/reports/?committee={committee.pk}")
    page.wait_for_selector("#report-scope")
    assert "North East committee" in page.inner_text("#report-scope")
    screenshot("report-committee")
    page.context.clear_cookies()
    sign_in(factories.make_user(LICENSING_OFFICER, "lic-home"))
    page.wait_for_selector("#panel-notifications")
    screenshot("home-licensing-officer")
    page.context.clear_cookies()
    sign_in(factories.make_user(PARTNER, "partner-home"))
    page.wait_for_selector("#panel-submissions")
    assert page.locator("#open-map").count() == 0
    screenshot("home-partner")
