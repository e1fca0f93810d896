"""An analyst works through the retention reviews due, and a flag shows in the
location's change history."""

from datetime import date, timedelta

import pytest

from accounts.roles import ANALYST, LICENSING_OFFICER
from intelligence.models import IntelligenceRecord, RecordReview
from tests import factories

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_analyst_retains_one_record_and_disposes_of_another(
    sign_in, screenshot, live_server
):
    today = date.today()
    old = factories.make_record(
        reference="INT-2019-0001",
        summary="Older adults collecting young people from the bus station.",
        review_date=today - timedelta(days=120),
    )
    recent = factories.make_record(
        reference="INT-2021-0417", review_date=today - timedelta(days=3)
    )
    page = sign_in(
        factories.make_user(ANALYST, "reviewer"),
        reason=factories.SESSION_JUSTIFICATION,
    )
    nav = page.locator("nav.mainnav")
    # The analyst's Work menu says how much waits inside it.
    work = nav.locator("details.navmenu summary", has_text="Work")
    assert "2" in work.inner_text()
    work.click()
    assert "Reviews due" in nav.inner_text()
    nav.get_by_role("link", name="Reviews due").click()
    rows = page.locator("#review-queue tbody tr")
    assert rows.count() == 2
    assert "INT-2019-0001" in rows.nth(0).inner_text()
    assert "120 days overdue" in rows.nth(0).inner_text()
    screenshot("retention-queue")

    rows.nth(1).get_by_role("link", name="Review").click()
    page.get_by_role("heading", name="Review INT-2021-0417").wait_for()
    page.fill("#id_retain-next_review_date", today.isoformat())
    page.fill("#id_retain-reason", "Linked to an open operation.")
    page.click("#retain-form button[type=submit]")
    assert page.get_by_text("The next review date must be in the future.").is_visible()
    page.fill("#id_retain-next_review_date", (today + timedelta(days=365)).isoformat())
    page.click("#retain-form button[type=submit]")
    assert page.get_by_text("INT-2021-0417 retained").is_visible()
    assert page.locator("#review-queue tbody tr").count() == 1

    page.locator("#review-queue").get_by_role("link", name="Review").click()
    assert "bus station" in page.inner_text(".details")
    screenshot("retention-review")
    page.fill("#id_dispose-reason", "No longer necessary for a policing purpose.")
    page.click("#dispose-form button[type=submit]")
    assert page.get_by_text("Tick to confirm").is_visible()
    page.check("#id_dispose-confirm")
    page.click("#dispose-form button[type=submit]")
    assert page.get_by_text("INT-2019-0001 disposed of").is_visible()
    assert page.get_by_text("No record you may see is due for review.").is_visible()
    assert not IntelligenceRecord.objects.filter(pk=old.pk).exists()
    assert RecordReview.objects.get(record_id=old.pk).decision == "dispose"
    assert IntelligenceRecord.objects.get(pk=recent.pk).review_date > today


def test_a_flag_shows_in_the_change_history(sign_in, screenshot, live_server):
    place = factories.make_location(name="Riverside Hotel")
    officer = factories.make_user(LICENSING_OFFICER, "lic-history")
    page = sign_in(officer, next_url=f"/locations/{place.pk}/")
    page.get_by_role("heading", name="Riverside Hotel").wait_for()
    page.select_option("#id_risk_level", "medium")
    page.fill("#id_reason", "Rooms booked in cash for visitors late at night.")
    page.fill("#id_review_date", (date.today() + timedelta(days=28)).isoformat())
    page.click("#flag-form button[type=submit]")
    history = page.locator("#change-history")
    latest = history.locator("li").first
    assert "changed" in latest.inner_text() and "lic-history" in latest.inner_text()
    row = latest.locator("tr", has_text="Concern level")
    assert "No current concern" in row.inner_text() and "Medium" in row.inner_text()
    screenshot("location-change-history")
