from datetime import date, timedelta

import pytest
from django.utils import timezone

from disruption.models import DisruptionAction
from locations.models import Location
from tests import factories

pytestmark = pytest.mark.django_db


def test_map_is_one_click_from_the_landing_page(client, analyst):
    client.force_login(analyst)
    home = client.get("/").content.decode()
    assert 'id="open-map" href="/map/"' in home
    resp = client.get("/map/")
    assert resp.status_code == 200
    assert b'id="map-config"' in resp.content
    assert b"js/map.js" in resp.content


def test_location_page_shows_what_the_role_allows(
    client, analyst, licensing_officer, intel, location
):
    client.force_login(analyst)
    factories.justify(client)
    page = client.get(f"/locations/{location.pk}/").content.decode()
    assert intel.reference in page
    assert 'id="flag-form"' not in page
    client.force_login(licensing_officer)
    page = client.get(f"/locations/{location.pk}/").content.decode()
    assert intel.reference not in page
    assert 'id="flag-form"' in page


def test_restricted_location_page_hides_the_address(client, analyst, area):
    home = factories.make_location(category="childrens_home", address="7 Secret Lane")
    client.force_login(analyst)
    factories.justify(client)
    page = client.get(f"/locations/{home.pk}/").content.decode()
    assert "7 Secret Lane" not in page
    assert "nearest 500 m" in page


def test_flag_form_says_what_is_wrong(client, licensing_officer, location):
    client.force_login(licensing_officer)
    resp = client.post(
        f"/locations/{location.pk}/flag/",
        {"action": "flag", "reason": "", "version": location.version},
    )
    assert resp.status_code == 400
    page = resp.content.decode()
    assert "Choose a risk level" in page and "needs a review date" in page


def test_flag_form_flags(client, licensing_officer, location):
    client.force_login(licensing_officer)
    resp = client.post(
        f"/locations/{location.pk}/flag/",
        {
            "action": "flag",
            "risk_level": "medium",
            "reason": "Staff report",
            "review_date": (date.today() + timedelta(days=28)).isoformat(),
            "version": location.version,
        },
    )
    assert resp.status_code == 302
    assert Location.objects.get(pk=location.pk).concern_level == "medium"


def test_stale_flag_form_is_refused(client, licensing_officer, location):
    client.force_login(licensing_officer)
    resp = client.post(
        f"/locations/{location.pk}/flag/",
        {"action": "clear", "reason": "x", "version": location.version + 5},
    )
    assert resp.status_code == 409
    assert "changed by someone else" in resp.content.decode()


def test_log_form_checks_the_awareness_visit(client, safety_officer, location):
    client.force_login(safety_officer)
    url = f"/locations/{location.pk}/log/"
    when = (timezone.localtime() - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    resp = client.post(
        url,
        {
            "action_type": "awareness_visit",
            "occurred_at": when,
            "outcome": "staff_trained",
        },
    )
    assert resp.status_code == 400
    assert "how many staff" in resp.content.decode()
    resp = client.post(
        url,
        {
            "action_type": "awareness_visit",
            "occurred_at": when,
            "outcome": "staff_trained",
            "staff_trained": 3,
            "sector": "hotel",
            "checklist": ["cash_payment"],
            "joined_watch_scheme": "true",
        },
    )
    assert resp.status_code == 302
    action = DisruptionAction.objects.get()
    assert action.checklist == ["cash_payment"] and action.joined_watch_scheme is True


def test_analyst_cannot_post_forms(client, analyst, location):
    client.force_login(analyst)
    assert client.post(f"/locations/{location.pk}/flag/", {}).status_code == 403
