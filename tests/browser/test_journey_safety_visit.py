"""A community safety officer logs an awareness visit at a hotel."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.roles import COMMUNITY_SAFETY_OFFICER
from disruption.models import DisruptionAction
from tests import factories

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_safety_officer_logs_awareness_visit_at_hotel(sign_in, screenshot, live_server):
    factories.make_area(name="City Centre")
    hotel = factories.make_location(name="Canal Side Hotel", category="hotel")
    page = sign_in(factories.make_user(COMMUNITY_SAFETY_OFFICER, "cso"))
    page.goto(f"{live_server.url}/locations/{hotel.pk}/")
    page.get_by_role("heading", name="Log a disruption visit").wait_for()

    assert page.locator("#id_action_type").input_value() == "awareness_visit"
    assert page.locator("#id_sector").input_value() == "hotel"
    hotel_signs = page.locator(".checklist[data-sector=hotel]")
    assert hotel_signs.is_visible()
    assert not page.locator(".checklist[data-sector=taxi]").is_visible()

    when = timezone.localtime() - timedelta(hours=3)
    page.fill("#id_occurred_at", when.strftime("%Y-%m-%dT%H:%M"))
    page.select_option("#id_outcome", "staff_trained")
    page.fill("#id_staff_trained", "6")
    hotel_signs.get_by_label("Cash payment").check()
    hotel_signs.get_by_label("No luggage or ID").check()
    page.select_option("#id_joined_watch_scheme", "true")
    page.fill("#id_notes", "Night manager and reception staff trained.")
    page.click("#log-form button[type=submit]")

    assert page.get_by_text("Visit logged.").is_visible()
    entry = page.locator("#disruption-history li").first
    assert "Hotel / business awareness visit" in entry.inner_text()
    assert "6 staff trained; joined the watch scheme" in entry.inner_text()
    action = DisruptionAction.objects.get()
    assert sorted(action.checklist) == ["cash_payment", "no_luggage_or_id"]
    assert action.agency == "community_safety"
    screenshot("journey-safety-visit")
