"""User text is never read as HTML: a place named like an HTML tag shows as
those characters on every page, popup and in the briefing PDF, and nothing
runs."""

import subprocess
from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from accounts.roles import ADMINISTRATOR
from disruption.services import meeting_open, tasking_create
from tests import factories

pytestmark = [pytest.mark.django_db(transaction=True)]

PAYLOAD = "<img src=x onerror=alert(1)>"


@pytest.fixture
def hostile(db):
    factories.make_area(name=f"Ward {PAYLOAD}")
    place = factories.make_location(
        name=f"Hotel {PAYLOAD}",
        address=f"1 {PAYLOAD} Street",
        licence_holder=PAYLOAD,
    )
    for days in (3, 10, 20):
        record = factories.make_record(
            summary=f"Seen {PAYLOAD}",
            occurred_from=timezone.now() - timedelta(days=days),
        )
        record.location_links.create(location=place, link_type="occurred_at")
    factories.make_action(
        action_type="cawn",
        location=place,
        notes=f"Notes {PAYLOAD}",
        occurred_at=timezone.now() - timedelta(days=2),
        served_at=timezone.now() - timedelta(days=2),
        expires_at=timezone.now() + timedelta(days=3),
        outcome="notice_served",
    )
    meeting, _ = meeting_open(group="cse_mog", held_on=date.today())
    tasking = tasking_create(
        meeting=meeting,
        target_location=place,
        target_description=f"Target {PAYLOAD}",
        reason=f"Reason {PAYLOAD}",
        priority="high",
        owner_agency="police",
        due_date=date.today() + timedelta(days=7),
    )
    return place, meeting, tasking


@pytest.mark.browser
def test_every_page_and_popup_shows_it_as_text(page, sign_in, live_server, hostile):
    place, meeting, tasking = hostile
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    sign_in(
        factories.make_user(ADMINISTRATOR, "xss-admin"),
        reason=factories.SESSION_JUSTIFICATION,
    )

    def check(path: str, ready: str, expected: list[str]) -> str:
        page.goto(f"{live_server.url}{path}")
        page.wait_for_selector(ready, timeout=20_000)
        page.wait_for_load_state("networkidle")
        text = page.inner_text("body")
        for words in expected:
            assert words in text, f"{path} does not show {words!r}"
        assert page.locator("img[src=x]").count() == 0, path
        assert dialogs == [], path
        return text

    check("/map/", "#main[data-ready=true]", [])
    page.fill("#search-q", "Hotel")
    page.click("#search button[type=submit]")
    page.get_by_role("link", name="Open location page").wait_for()
    assert f"Hotel {PAYLOAD}" in page.inner_text(".leaflet-popup-content")
    assert page.locator("img[src=x]").count() == 0 and dialogs == []

    check(
        f"/locations/{place.pk}/",
        "#locmap path.leaflet-interactive",
        [
            f"Hotel {PAYLOAD}",
            f"1 {PAYLOAD} Street",
            f"Seen {PAYLOAD}",
            f"Notes {PAYLOAD}",
        ],
    )
    page.hover("#locmap path.leaflet-interactive")
    page.wait_for_selector(".leaflet-tooltip")
    assert page.inner_text(".leaflet-tooltip") == f"Hotel {PAYLOAD}"
    check(
        f"/analysis/meetings/{meeting.pk}/",
        "h1",
        [f"Target {PAYLOAD}"],
    )
    check(
        f"/analysis/taskings/{tasking.pk}/",
        "#tasking-status",
        [f"Target {PAYLOAD}", f"Reason {PAYLOAD}"],
    )
    check("/analysis/hotspots/", "#hotspot-map.leaflet-container", [f"Hotel {PAYLOAD}"])
    check("/analysis/clocks/", "h1", [f"Hotel {PAYLOAD}"])
    check("/admin/locations/location/", "#result_list", [f"Hotel {PAYLOAD}"])
    check("/admin/locations/area/", "#result_list", [f"Ward {PAYLOAD}"])
    check(
        f"/admin/disruption/tasking/{tasking.pk}/change/",
        "#tasking_form",
        [f"Hotel {PAYLOAD}"],
    )


def test_the_briefing_pdf_prints_it_as_text(hostile, tmp_path):
    place, meeting, tasking = hostile
    client = Client()
    client.force_login(factories.make_user(ADMINISTRATOR, "xss-pdf"))
    response = client.get(
        f"/analysis/meetings/{meeting.pk}/briefing.pdf",
        {"justification": "Briefing for the CSE operational group"},
    )
    assert response.status_code == 200
    pdf = tmp_path / "briefing.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert f"Target {PAYLOAD}" in text
    assert f"Reason {PAYLOAD}" in text


def test_a_name_with_dollar_signs_is_not_a_formula(tmp_path, db):
    factories.make_area()
    place = factories.make_location(name="Cash $5 rooms $10 a night")
    meeting, _ = meeting_open(group="cse_mog", held_on=date.today())
    tasking_create(
        meeting=meeting,
        target_location=place,
        target_description=place.name,
        reason="Rooms let for $5 an hour: $x^2$",
        priority="high",
        owner_agency="police",
        due_date=date.today() + timedelta(days=7),
    )
    client = Client()
    client.force_login(factories.make_user(ADMINISTRATOR, "dollar"))
    response = client.get(
        f"/analysis/meetings/{meeting.pk}/briefing.pdf",
        {"justification": "Briefing for the CSE operational group"},
    )
    assert response.status_code == 200
    pdf = tmp_path / "briefing.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "Cash $5 rooms $10 a night" in text
    assert "$x^2$" in text
