"""Each role lands on what needs it today."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from accounts.roles import ANALYST, LICENSING_OFFICER, PARTNER, TASKING_OFFICER
from disruption.services import disruption_log, meeting_create, tasking_create
from locations.services import location_flag
from tests import factories

pytestmark = pytest.mark.django_db


def _panel(html: str, panel: str) -> str:
    start = html.index(f'id="panel-{panel}"')
    return html[start : html.index("</section>", start)]


def test_an_officer_sees_the_taskings_they_own_that_are_due(client):
    officer = factories.make_user(TASKING_OFFICER, "pc-home")
    other = factories.make_user(TASKING_OFFICER)
    meeting = meeting_create(group="cse_mog", held_on=date.today())
    places = {}
    for name, days, owner in (
        ("Overdue Inn", -2, officer),
        ("Soon Hotel", 3, officer),
        ("Later Lodge", 30, officer),
        ("Someone Else's", 1, other),
    ):
        places[name] = factories.make_location(name=name)
        tasking_create(
            meeting=meeting,
            target_location=places[name],
            reason="Visit",
            priority="high",
            owner_agency="police",
            owner_officer=owner,
            due_date=date.today() + timedelta(days=days),
        )
    client.force_login(officer)
    html = client.get("/").content.decode()
    panel = _panel(html, "taskings")
    assert "Overdue Inn" in panel and "overdue" in panel and "Soon Hotel" in panel
    assert "Later Lodge" not in panel and "Someone Else" not in panel
    assert f'href="/locations/{places["Soon Hotel"].pk}/"' in panel
    # Each tasking given is also a notification.
    assert _panel(html, "notifications").count('class="unread"') == 3
    assert 'id="open-map" href="/map/"' in html


def test_a_licensing_officer_sees_their_flags_due_and_their_clocks(client):
    officer = factories.make_user(LICENSING_OFFICER, "lic-home")
    place = factories.make_location(name="Late Grill", category="takeaway")
    location_flag(
        location=place,
        user=officer,
        action="flag",
        reason="Young people seen late",
        risk_level="high",
        review_date=date.today() + timedelta(days=5),
    )
    now = timezone.now()
    disruption_log(
        action_type="licence_review",
        outcome="other",
        occurred_at=now - timedelta(days=40),
        location=place,
        officer=officer,
        expires_at=now + timedelta(days=2),
    )
    client.force_login(officer)
    html = client.get("/").content.decode()
    assert "Late Grill" in _panel(html, "flags")
    clocks = _panel(html, "clocks")
    assert "licence review hearing due" in clocks and "(yours)" in clocks
    assert f'href="/locations/{place.pk}/"' in clocks
    assert 'id="panel-reviews"' not in html and 'id="panel-taskings"' not in html


def test_an_analyst_sees_the_records_due_for_review(client):
    analyst = factories.make_user(ANALYST)
    due = factories.make_record(review_date=date.today() - timedelta(days=1))
    factories.make_record()
    client.force_login(analyst)
    panel = _panel(client.get("/").content.decode(), "reviews")
    assert due.reference in panel and '<span class="nav-count">1</span>' in panel
    assert f'href="/intelligence/reviews/{due.pk}/"' in panel


def test_a_partner_lands_on_a_home_without_the_map(client):
    client.force_login(factories.make_user(PARTNER))
    factories.make_record(review_date=date.today() - timedelta(days=1))
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="/map/"' not in html and 'id="panel-reviews"' not in html
    assert 'id="panel-notifications"' in html


def test_a_partner_sees_their_submissions_and_an_analyst_the_queue(client):
    partner = factories.make_user(PARTNER)
    record = factories.make_submission(partner)
    client.force_login(partner)
    html = client.get("/").content.decode()
    mine = _panel(html, "submissions")
    assert record.reference in mine and "Awaiting grading" in mine
    assert 'id="panel-triage"' not in html and 'id="submit-information"' in html
    client.force_login(factories.make_user(ANALYST))
    queue = _panel(client.get("/").content.decode(), "triage")
    assert f'href="/intelligence/triage/{record.pk}/"' in queue
    # References and waiting only: what was said stays on the triage page.
    assert "takeaway" not in queue and '<span class="nav-count">1</span>' in queue
