"""A licensing officer flags a takeaway."""

from datetime import date, timedelta

import pytest

from accounts.roles import LICENSING_OFFICER
from locations.models import Location
from tests import factories

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_licensing_officer_flags_a_takeaway(sign_in, screenshot, live_server):
    factories.make_area(name="City Centre")
    takeaway = factories.make_location(
        name="Midnight Kebabs", category="takeaway", premises_licence_number="PL/0042"
    )
    page = sign_in(factories.make_user(LICENSING_OFFICER, "lic"), next_url="/map/")
    page.wait_for_selector("#main[data-ready=true]")
    page.fill("#search-q", "Midnight")
    page.click("#search button[type=submit]")
    page.get_by_role("link", name="Open location page").click()
    page.get_by_role("heading", name="Midnight Kebabs").wait_for()
    assert "PL/0042" in page.inner_text(".details")

    # Submitting without a risk level or review date says what is wrong.
    page.fill("#id_reason", "Young people seen behind the counter late at night.")
    page.click("#flag-form button[type=submit]")
    assert page.get_by_text("Choose a risk level for the flag.").is_visible()
    assert page.get_by_text("A flag needs a review date.").is_visible()

    page.select_option("#id_risk_level", "high")
    page.fill("#id_review_date", (date.today() + timedelta(days=28)).isoformat())
    page.click("#flag-form button[type=submit]")
    assert page.get_by_text("Midnight Kebabs flagged.").is_visible()
    history = page.locator("#flag-history li").first
    assert "Flag · High risk" in history.inner_text()
    assert "behind the counter" in history.inner_text()
    assert page.locator(".badge.high").is_visible()
    assert Location.objects.get(pk=takeaway.pk).concern_level == "high"
    screenshot("journey-licensing-flag")
