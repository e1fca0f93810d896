"""Safeguarding journeys: a practitioner screens a young person and the
outcome follows the rule; a missing episode appears in the MASP queue with
its 72-hour clock and the review refers it to CMOG, whose agenda pack
renders; a new record at a safety-plan hotel alerts the police contact."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from accounts.roles import PARTNER, SAFEGUARDING_PRACTITIONER, TASKING_OFFICER
from audit.models import AccessLogEntry
from people.services import link_mention, subject_create
from safeguarding.indicators import default_set_load
from safeguarding.models import Indicator, IndicatorSet, PanelCase, SafetyPlanAlert
from safeguarding.services import panel_meeting_open, safety_plan_create
from tests import factories
from tests.conftest import ARTIFACTS

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

REASON = "CSE team casework: MASP and CMOG"


@pytest.fixture
def young(db):
    # Transactional tests flush what the data migration loaded.
    default_set_load(indicator_set_model=IndicatorSet, indicator_model=Indicator)
    return subject_create(
        kind="young_person",
        review_date=date.today() + timedelta(days=365),
        age_band="13_15",
    )


def test_practitioner_screens_a_young_person_and_the_rule_gives_the_outcome(
    young, sign_in, screenshot, live_server
):
    factories.make_area(name="City Centre")
    practitioner = factories.make_user(SAFEGUARDING_PRACTITIONER, "sw-jones")
    page = sign_in(practitioner, reason=REASON)
    page.locator("nav.mainnav").get_by_role("link", name="Safeguarding").click()
    page.fill("#q", young.reference)
    page.click("form.filters button[type=submit]")
    page.get_by_role("link", name=young.reference).click()
    page.click("#screen-link")
    page.get_by_role("heading", name=f"CSE screening: {young.reference}").wait_for()
    assert "Any one significant indicator" in page.inner_text("#rule-steps")
    row = page.locator("tr[data-code=relationships_older_partner]")
    row.locator("select").first.select_option("present")
    row.locator("input").fill("Older boyfriend picks her up from school")
    page.locator("tr[data-code=money_gifts] select").first.select_option("possible")
    screenshot("safeguarding-screening-form")
    page.click("#screening-form button[type=submit]")

    page.locator("#screening-outcome").wait_for()
    assert page.inner_text("#final-outcome") == "At risk"
    assert page.inner_text("#computed-outcome") == "At risk"
    assert page.inner_text("#rule-applied").startswith(
        "3. Any one significant indicator"
    )
    assert "older or controlling" in page.inner_text("#rule-applied")
    review = date.today() + timedelta(days=91)
    assert page.inner_text("#review-date") == f"{review.day} {review:%b %Y}"
    screenshot("safeguarding-screening-outcome")
    assert AccessLogEntry.objects.filter(
        user=practitioner,
        what__startswith="Safeguarding: screening",
        justification=REASON,
    ).exists()


def test_missing_episode_in_masp_queue_referred_to_cmog_and_agenda_pdf(
    young, sign_in, screenshot, live_server
):
    factories.make_area(name="City Centre")
    home = factories.make_location(name="Elm House", category="childrens_home")
    practitioner = factories.make_user(SAFEGUARDING_PRACTITIONER, "sw-khan")
    found = timezone.now() - timedelta(hours=55)
    episode = factories.make_record(
        reference="MIS-T-000001",
        kind="missing",
        missing_point="found",
        occurred_from=found,
    )
    episode.location_links.create(location=home, link_type="occurred_at")
    link_mention(record=episode, entity=young)
    cmog = panel_meeting_open(panel="cse_mog", held_on=date.today() + timedelta(days=2))

    page = sign_in(practitioner, reason=REASON)
    page.get_by_role("link", name="MASP queue").first.click()
    queue = page.locator("#masp-queue")
    queue.wait_for()
    row = queue.locator("tr", has_text="MIS-T-000001")
    assert young.reference in row.inner_text()
    clock = row.locator(".clock")
    assert clock.get_attribute("data-state") == "due"
    assert "Due within 24 h" in clock.inner_text()
    screenshot("safeguarding-masp-queue")

    row.get_by_role("link", name="MIS-T-000001").click()
    page.select_option("#id_decision", "refer_cmog")
    page.fill("#id_notes", "Found at a hotel; third episode this quarter.")
    page.click("#review-form button[type=submit]")
    assert "Refer to CMOG" in page.inner_text("#masp-decision")
    screenshot("safeguarding-masp-review")
    case = PanelCase.objects.get(subject=young)
    assert (case.panel, case.next_review) == ("cse_mog", cmog.held_on)

    page.locator("#safeguarding-nav").get_by_role("link", name="Panels").click()
    page.locator("#sittings").get_by_role("link", name=f"{cmog.held_on:%a} ").click()
    assert young.reference in page.inner_text("#agenda")
    screenshot("safeguarding-cmog-agenda")
    href = page.locator("#agenda-pdf").get_attribute("href")
    pdf = page.request.get(f"{live_server.url}{href}")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
    # The masp queue is empty again.
    page.goto(f"{live_server.url}/safeguarding/masp/")
    assert "Every episode has been reviewed" in page.inner_text("#masp-queue")


def test_a_new_record_at_a_safety_plan_hotel_alerts_the_police_contact(
    young, sign_in, live_server, browser
):
    factories.make_area(name="City Centre")
    hotel = factories.make_location(name="Grand Canal Hotel", postcode="CV1 4LY")
    police = factories.make_user(TASKING_OFFICER, "ps-ali", email="ali@police.example")
    practitioner = factories.make_user(SAFEGUARDING_PRACTITIONER, "sw-lee")
    safety_plan_create(
        subject=young,
        police_contact=police,
        lead_professional=practitioner,
        starts_on=date.today() - timedelta(days=1),
        ends_on=date.today() + timedelta(days=60),
        user=practitioner,
        locations=[hotel],
    )
    page = sign_in(factories.make_user(PARTNER, "hotelwatch"))
    page.goto(f"{live_server.url}/intelligence/new/")
    when = (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    page.fill("#id_account", "A girl in school uniform went up to room 9 with a man.")
    page.fill("#id_occurred_from", when)
    page.check("input[name=location_method][value=premises]")
    page.fill("#premises-q", "grand can")
    page.locator("#premises-results button", has_text="Grand Canal Hotel").click()
    page.locator("#premises-chosen li select").select_option("venue")
    page.select_option("#id_source_type", "business_staff")
    page.check("input[name=submitter_is_source][value=yes]")
    page.click("#submit-button")
    page.locator("#submission-status").wait_for()
    alert = SafetyPlanAlert.objects.get()

    context = browser.new_context()
    police_page = context.new_page()
    police_page.goto(f"{live_server.url}/accounts/login/")
    police_page.fill("#id_username", police.username)
    police_page.fill("#id_password", factories.TEST_PASSWORD)
    police_page.click("button[type=submit]")
    panel = police_page.locator("#panel-safety-alerts")
    panel.wait_for()
    assert alert.record.reference in panel.inner_text()
    assert "Grand Canal Hotel" in panel.inner_text()
    # The police contact never sees the child's profile.
    assert young.reference not in police_page.content()
    ARTIFACTS.mkdir(exist_ok=True)
    police_page.screenshot(
        path=str(ARTIFACTS / "safeguarding-alert-police-home.png"), full_page=True
    )
    panel.get_by_role("link").first.click()
    police_page.goto(police_page.url)
    if "/access/justify/" in police_page.url:
        police_page.fill("#id_justification", "Safety-plan alert response")
        police_page.click("#justify-form button[type=submit]")
    police_page.click("#ack-form button[type=submit]")
    assert "ps-ali" in police_page.inner_text("#alert-ack")
    assert young.reference not in police_page.content()
    alert.refresh_from_db()
    assert alert.acknowledged_by == police
    context.close()
