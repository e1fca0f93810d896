"""An analyst's day in the people workspace: a person of interest added,
linked to a hotel citing a record, and the link seen on the hotel's page
and in the link chart; then a stale edit refused with nothing lost."""

import pytest

from accounts.roles import ANALYST
from people.models import Link, Subject
from people.services import subject_update
from tests import factories

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

SESSION_REASON = "CSE operational group: hotel network profile"


def test_analyst_adds_a_person_links_them_to_a_hotel_and_sees_it(
    sign_in, screenshot, live_server
):
    factories.make_area(name="City Centre")
    hotel = factories.make_location(name="Grand Station Hotel", category="hotel")
    party = factories.make_record(reference="IR-2026-000201")
    party.location_links.create(location=hotel, link_type="occurred_at")
    page = sign_in(
        factories.make_user(ANALYST, "ana"),
        next_url="/people/subjects/",
        reason=SESSION_REASON,
    )
    page.goto(f"{live_server.url}/people/subjects/")
    page.click("#add-subject")
    page.select_option("#id_kind", "person_of_interest")
    page.select_option("#id_age_band", "35_44")
    page.select_option("#id_sex", "male")
    # A phone number is refused as the intake form refuses it.
    page.fill("#id_descriptors", "Grey coat, mobile 07700 900123")
    page.select_option("#id_agency", "police")
    page.fill("#id_system_ref", "PNC 26/1234")
    page.click("#subject-form button[type=submit]")
    page.locator(".field-error", has_text="Remove the phone number").wait_for()
    page.fill("#id_descriptors", "Older man, grey coat, collects from the rank")
    screenshot("people-subject-form")
    page.click("#subject-form button[type=submit]")
    page.locator("#subject-profile").wait_for()
    subject = Subject.objects.get(system_ref="PNC 26/1234")
    assert subject.kind == "person_of_interest"
    assert page.locator("h1").inner_text().startswith(subject.reference)

    # From the subject's page: a link to the hotel, resting on the record.
    page.click("#add-link")
    assert page.locator("#id_subject").input_value() == subject.reference
    page.select_option("#id_link_type", "frequents")
    page.fill("#id_place", "Grand Station")
    page.fill("#id_records", "IR-2026-000201")
    screenshot("people-link-form")
    page.click("#link-form button[type=submit]")
    page.locator("#entity-links").wait_for()
    assert "Grand Station Hotel" in page.locator("#entity-links").inner_text()
    link = Link.objects.get(link_type="frequents", subject=subject)
    assert list(link.records.all()) == [party]

    # On the hotel's page, among the people linked there ...
    page.goto(f"{live_server.url}/locations/{hotel.pk}/")
    assert subject.reference in page.locator("#linked-subjects").inner_text()
    screenshot("people-hotel-linked")
    # ... and in the chart centred on the hotel.
    page.click("#open-link-chart")
    page.wait_for_selector("#chart[data-ready=true]")
    nodes = page.locator("#node-list button[data-node]").all_inner_texts()
    assert subject.reference in nodes and "Grand Station Hotel" in nodes
    screenshot("people-chart-after-link")

    # A colleague saves the profile meanwhile: this analyst's edit is
    # refused, their words kept in the form.
    page.goto(f"{live_server.url}/people/subjects/{subject.pk}/edit/")
    subject_update(subject=subject, version=1, descriptors="Colleague's words")
    page.fill("#id_descriptors", "My words, not to be lost")
    page.click("#subject-form button[type=submit]")
    page.locator("#form-errors", has_text="changed by someone else").wait_for()
    assert page.locator("#id_descriptors").input_value() == "My words, not to be lost"
    assert "Colleague's words" in page.locator("#saved-now").inner_text()
    screenshot("people-stale-edit")
