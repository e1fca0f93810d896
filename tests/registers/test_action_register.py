"""The actions register: scope by agency, filters, follow-ups coming due."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from accounts.models import Agency
from tests import factories

pytestmark = pytest.mark.django_db

URL = reverse("disruption:actions")


@pytest.fixture
def actions(location, licensing_officer, safety_officer):
    today = date.today()
    return {
        "lic": factories.make_action(
            location=location,
            agency=Agency.LICENSING,
            officer=licensing_officer,
            action_type="licensing_inspection",
            outcome="compliant",
            notes="LIC-NOTE",
            follow_up_date=today + timedelta(days=5),
        ),
        "saf": factories.make_action(
            location=location,
            agency=Agency.COMMUNITY_SAFETY,
            officer=safety_officer,
            notes="SAF-NOTE",
            follow_up_date=today - timedelta(days=2),
        ),
        "pol": factories.make_action(
            location=location,
            agency=Agency.POLICE,
            action_type="patrol",
            outcome="advice_given",
            notes="POL-NOTE",
        ),
    }


def _notes(response) -> set[str]:
    text = response.content.decode()
    return {n for n in ("LIC-NOTE", "SAF-NOTE", "POL-NOTE") if n in text}


def test_licensing_sees_its_own_agency_only(page_client, licensing_officer, actions):
    assert _notes(page_client(licensing_officer).get(URL)) == {"LIC-NOTE"}
    other = page_client(licensing_officer).get(actions["pol"].get_absolute_url())
    assert other.status_code == 404


def test_filters(page_client, safety_officer, actions):
    client = page_client(safety_officer)
    assert _notes(client.get(URL)) == {"LIC-NOTE", "SAF-NOTE", "POL-NOTE"}
    assert _notes(client.get(URL, {"action_type": "patrol"})) == {"POL-NOTE"}
    assert _notes(client.get(URL, {"agency": "licensing"})) == {"LIC-NOTE"}
    assert _notes(client.get(URL, {"outcome": "compliant"})) == {"LIC-NOTE"}
    assert _notes(client.get(URL, {"mine": "me"})) == {"SAF-NOTE"}
    assert _notes(client.get(URL, {"mine": "agency"})) == {"SAF-NOTE"}
    assert _notes(client.get(URL, {"follow_up": "overdue"})) == {"SAF-NOTE"}
    assert _notes(client.get(URL, {"follow_up": "soon"})) == {"LIC-NOTE"}
    officer = actions["lic"].officer
    assert _notes(client.get(URL, {"officer": officer.pk})) == {"LIC-NOTE"}


def test_tasking_filter_and_link(page_client, analyst, actions, location):
    tasking = factories.make_tasking(location=location)
    actions["pol"].tasking = tasking
    actions["pol"].save()
    client = page_client(analyst)
    assert _notes(client.get(URL, {"tasking": tasking.pk})) == {"POL-NOTE"}
    page = client.get(actions["pol"].get_absolute_url()).content.decode()
    assert f'href="{reverse("analysis:tasking", args=[tasking.pk])}"' in page
