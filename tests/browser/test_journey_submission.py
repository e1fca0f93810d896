"""A partner submits from a phone and sees the status; an analyst grades
it, links it to a hotel and merges a duplicate; the record then counts in
the heat map."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.roles import ANALYST, PARTNER
from intelligence.models import IntelligenceRecord, RecordStatus
from tests import factories

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

PHONE = {"width": 390, "height": 844}
HOTEL_WKT = "POINT(-1.5106 52.4081)"
BBOX = "bbox=-1.60,52.36,-1.40,52.46"


def _heat_records(page, base: str, zoom: int) -> int:
    answer = page.request.get(f"{base}/api/v1/heatmap/?{BBOX}&zoom={zoom}")
    assert answer.ok, answer.text()
    return answer.json()["records"]


def _no_sideways_scroll(page) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width} px wide on a phone"


def test_partner_submits_analyst_grades_links_and_merges(
    page, sign_in, screenshot, live_server
):
    factories.make_area(name="City Centre")
    hotel = factories.make_location(
        name="Grand Canal Hotel", postcode="CV1 4LY", point=factories.geom(HOTEL_WKT)
    )
    partner = factories.make_user(PARTNER, "hotelwatch", first_name="Hana")
    page.set_viewport_size(PHONE)
    sign_in(partner)
    page.goto(f"{live_server.url}/intelligence/new/")
    page.get_by_role("heading", name="Submit information").wait_for()
    assert "Never name a child" in page.inner_text("#no-child-names")
    _no_sideways_scroll(page)
    screenshot("submit-form-phone")
    when = (timezone.localtime() - timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")
    page.fill(
        "#id_account",
        "Two men booked room 14 for cash; three girls in school uniform went up.",
    )
    page.fill("#id_occurred_from", when)
    page.check("input[name=location_method][value=premises]")
    page.fill("#premises-q", "grand can")
    page.locator("#premises-results button", has_text="Grand Canal Hotel").click()
    chosen = page.locator("#premises-chosen li")
    assert chosen.count() == 1
    chosen.locator("select").select_option("venue")
    page.select_option("#id_source_type", "business_staff")
    page.check("input[name=submitter_is_source][value=yes]")
    page.check("input[name=tags][value=hotel_party]")
    page.fill("#id_vehicle_marks", "ab12 cde")
    page.fill("#id_people_text", "One girl, DOB 03/04/2011, called Amy")
    page.click("#submit-button")

    # Refused with a clear message; nothing typed is lost, the premises stay.
    page.locator("#form-refused").wait_for()
    assert "Remove the date of birth" in page.inner_text("#field-people_text")
    assert "room 14" in page.input_value("#id_account")
    assert page.locator("#premises-chosen li").count() == 1
    assert not IntelligenceRecord.objects.exists()
    _no_sideways_scroll(page)
    screenshot("submit-refused-phone")
    page.fill("#id_people_text", "Girl about 14 with two men in their 40s.")
    page.click("#submit-button")
    page.locator("#submission-status").wait_for()
    assert page.inner_text("#submission-status") == "Awaiting grading"
    _no_sideways_scroll(page)
    screenshot("submission-status-phone")
    page.locator("nav.mainnav").get_by_role("link", name="My submissions").click()
    assert "Awaiting grading" in page.inner_text("#submissions")
    screenshot("my-submissions-phone")
    record = IntelligenceRecord.objects.get()
    assert record.location_links.get().location == hotel

    # A second report of the same car, from someone else, a little later.
    duplicate = factories.make_submission(
        factories.make_user(PARTNER, "taxiwatch"),
        account="Grey car AB12CDE dropped girls at the canal hotel.",
        occurred_from=timezone.now() - timedelta(hours=2),
        source_type="public",
        submitter_is_source=False,
        tags=["vehicle_pickup"],
        vehicle_marks=["AB12CDE"],
        point=factories.geom("POINT(-1.5110 52.4083)"),
    )

    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 900})
    analyst = factories.make_user(ANALYST, "triager")
    sign_in(analyst, reason=factories.SESSION_JUSTIFICATION)
    base = live_server.url
    page.goto(f"{base}/intelligence/new/")
    page.get_by_role("heading", name="Submit information").wait_for()
    screenshot("submit-form-desktop")
    assert _heat_records(page, base, 14) == 0
    assert _heat_records(page, base, 12) == 0  # the cached whole-city view
    page.goto(f"{base}/intelligence/triage/")
    rows = page.locator("#triage-queue tbody tr")
    assert rows.count() == 2
    assert record.reference in rows.nth(0).inner_text()
    screenshot("triage-queue")
    rows.nth(0).get_by_role("link", name="Grade").click()
    page.check("input[name=grade-source_evaluation][value='2']")
    page.check("input[name=grade-intelligence_assessment][value=B]")
    page.check("input[name=grade-handling_code][value=C]")
    page.fill("#id_grade-summary", "Hotel staff: adults with school-age girls, cash.")
    screenshot("triage-record")
    page.click("#grade-button")
    assert "Handling code C needs its conditions" in page.inner_text("#grade-form")
    assert "school-age girls" in page.input_value("#id_grade-summary")
    page.fill("#id_grade-handling_conditions", "Not to be shared outside the CSE team")
    page.click("#grade-button")
    page.get_by_text(f"{record.reference} graded 2B C").wait_for()
    assert page.inner_text("#handling-banner").startswith("Handling code C")

    # The hotel it names is linked already; another within 100 m is offered.
    assert "Grand Canal Hotel: Venue" in page.inner_text("#links")
    factories.make_location(
        name="Canal Basin Car Park",
        category="car_park",
        point=factories.geom("POINT(-1.5112 52.4084)"),
    )
    page.reload()
    page.locator("#links button", has_text="Link Canal Basin Car Park").click()
    page.get_by_text(f"{record.reference} linked to Canal Basin Car Park").wait_for()
    assert record.location_links.count() == 2

    page.goto(f"{base}/intelligence/triage/")
    page.locator("#triage-queue tbody tr").first.get_by_role(
        "link", name="Grade"
    ).click()
    suggestion = page.locator(f"#duplicates li[data-reference='{record.reference}']")
    assert "same vehicle AB12CDE" in suggestion.inner_text()
    screenshot("triage-duplicate")
    suggestion.get_by_role("button", name=f"Merge into {record.reference}").click()
    page.get_by_text(f"{duplicate.reference} merged into {record.reference}").wait_for()
    assert page.get_by_text("Nothing is awaiting grading.").is_visible()
    record.refresh_from_db()
    duplicate.refresh_from_db()
    assert duplicate.status == RecordStatus.MERGED
    assert set(record.tags) == {"hotel_party", "vehicle_pickup"}

    # Graded, it counts, once; the merged duplicate does not.
    assert _heat_records(page, base, 14) == 1
    assert _heat_records(page, base, 12) == 1
