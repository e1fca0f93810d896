"""A tasking officer opens a hotel's page: asked once why, then sees its
linked intelligence; the visit is in the access log."""

import pytest

from accounts.roles import TASKING_OFFICER
from audit.models import AccessLogEntry
from tests import factories

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_reason_asked_once_then_linked_intelligence_shown(
    sign_in, screenshot, live_server
):
    factories.make_area(name="City Centre")
    hotel = factories.make_location(name="Canal Side Hotel", category="hotel")
    record = factories.make_record(summary="Two girls seen entering room 12")
    record.location_links.create(location=hotel, link_type="occurred_at")
    page = sign_in(factories.make_user(TASKING_OFFICER, "tasker"))

    page.goto(f"{live_server.url}/locations/{hotel.pk}/")
    page.get_by_role("heading", name="Why are you consulting intelligence?").wait_for()
    # An empty reason does not get past the page.
    page.click("#justify-form button[type=submit]")
    page.wait_for_load_state()
    assert "/access/justify/" in page.url
    # Nothing consulted yet but the home page's work queues (empty).
    assert not AccessLogEntry.objects.exclude(what="Home page").exists()
    screenshot("journey-justification-asked")
    page.fill("#id_justification", "Preparing the CSE operational group")
    page.click("#justify-form button[type=submit]")

    page.get_by_role("heading", name="Canal Side Hotel").wait_for()
    assert (
        "Two girls seen entering room 12"
        in page.locator("#linked-records").inner_text()
    )
    screenshot("journey-justification-location")
    # Coming back in the same session does not ask again.
    page.goto(f"{live_server.url}/locations/{hotel.pk}/")
    page.locator("#linked-records").wait_for()

    entries = list(
        AccessLogEntry.objects.filter(what__startswith="Location page").order_by("id")
    )
    assert [(e.username, e.action, e.record_ids) for e in entries] == [
        ("tasker", "listed", [record.pk])
    ] * 2
    assert entries[0].justification == "Preparing the CSE operational group"
