"""Two officers editing the same record: the second save, based on what the
first changed, is refused with a message, and nothing of the first is lost."""

from datetime import date, timedelta

import pytest
from django.test import Client

from common.versions import StaleEdit
from disruption.models import Tasking
from disruption.services import meeting_open, tasking_close, tasking_create
from locations.models import Location
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def tasking(location, tasking_officer):
    meeting, _ = meeting_open(group="cse_mog", held_on=date.today())
    return tasking_create(
        meeting=meeting,
        target_location=location,
        target_description=location.name,
        reason="Check bookings",
        priority="high",
        owner_agency="police",
        owner_officer=tasking_officer,
        due_date=date.today() + timedelta(days=7),
    )


def _admin_form(client: Client, url: str) -> dict:
    """The change form's data as the admin page drew it, ready to post."""
    page = client.get(url)
    assert page.status_code == 200
    data = {}
    for name, value in _fields(page.content.decode()):
        data.setdefault(name, value)
    return data


def _fields(html: str):
    import re
    from html import unescape

    for m in re.finditer(r"<input[^>]*>", html):
        tag = m.group(0)
        name = re.search(r'name="([^"]+)"', tag)
        if not name or 'type="submit"' in tag:
            continue
        if 'type="checkbox"' in tag and "checked" not in tag:
            continue
        value = re.search(r'value="([^"]*)"', tag)
        yield name.group(1), unescape(value.group(1)) if value else ""
    for m in re.finditer(
        r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, flags=re.S
    ):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', m.group(2))
        yield m.group(1), chosen.group(1) if chosen else ""
    for m in re.finditer(
        r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', html, flags=re.S
    ):
        yield m.group(1), unescape(m.group(2)).lstrip("\n")


@pytest.mark.parametrize(
    "make, url, field, first, second",
    [
        (
            lambda: factories.make_location(name="Hotel One"),
            "/admin/locations/location/{}/change/",
            "name",
            "Hotel One (renamed by A)",
            "Hotel One (renamed by B)",
        ),
        (
            lambda: factories.make_record(summary="First summary"),
            "/admin/intelligence/intelligencerecord/{}/change/",
            "summary",
            "Summary corrected by A",
            "Summary corrected by B",
        ),
        (
            lambda: factories.make_action(notes="Visited"),
            "/admin/disruption/disruptionaction/{}/change/",
            "notes",
            "Notes by A",
            "Notes by B",
        ),
    ],
    ids=["location", "intelligence-record", "disruption-action"],
)
def test_the_admin_refuses_the_second_save(
    admin_user, make, url, field, first, second, area
):
    obj = make()
    url = url.format(obj.pk)
    a, b = Client(), Client()
    a.force_login(admin_user)
    b.force_login(admin_user)
    factories.justify(a)
    factories.justify(b)
    form_a, form_b = _admin_form(a, url), _admin_form(b, url)
    assert form_a["seen_version"] == str(obj.version)

    form_a[field] = first
    saved = a.post(url, form_a)
    assert saved.status_code == 302, saved.content.decode()[:3000]

    form_b[field] = second
    refused = b.post(url, form_b)
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "was changed by someone else while you were editing it" in page
    assert second in page  # B's typing is still on the form
    obj.refresh_from_db()
    assert getattr(obj, field) == first
    assert obj.version == 2

    # Saving again without reloading is refused again; after reloading it works.
    assert "changed by someone else" in b.post(url, form_b).content.decode()
    fresh = _admin_form(b, url)
    fresh[field] = second
    assert b.post(url, fresh).status_code == 302
    obj.refresh_from_db()
    assert getattr(obj, field) == second and obj.version == 3


def test_the_tasking_admin_refuses_the_second_save(admin_user, tasking):
    url = f"/admin/disruption/tasking/{tasking.pk}/change/"
    a, b = Client(), Client()
    a.force_login(admin_user)
    b.force_login(admin_user)
    factories.justify(a)
    factories.justify(b)
    form_a, form_b = _admin_form(a, url), _admin_form(b, url)
    form_a["reason"] = "Check bookings and CCTV"
    assert a.post(url, form_a).status_code == 302
    form_b["priority"] = "low"
    assert "changed by someone else" in b.post(url, form_b).content.decode()
    tasking.refresh_from_db()
    assert tasking.reason == "Check bookings and CCTV" and tasking.priority == "high"


def test_a_stale_tasking_cancel_is_refused_with_409(client, tasking_officer, tasking):
    client.force_login(tasking_officer)
    seen = tasking.version
    tasking_close(tasking=tasking, status="done", version=seen)  # officer A
    response = client.post(
        f"/analysis/taskings/{tasking.pk}/close/",
        {"status": "cancelled", "version": seen},
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "changed by someone else" in page and "It is now done." in page
    tasking.refresh_from_db()
    assert tasking.status == "done"


def test_tasking_changes_bump_its_version(tasking):
    from disruption.services import tasking_progress

    assert tasking.version == 1
    tasking_progress(tasking=tasking)
    assert Tasking.objects.get(pk=tasking.pk).version == 2
    with pytest.raises(StaleEdit):
        tasking_close(tasking=tasking, version=1)
    tasking_close(tasking=tasking, version=2)
    assert Tasking.objects.get(pk=tasking.pk).version == 3


def test_the_location_api_answers_409_for_a_stale_flag(
    client, licensing_officer, location
):
    client.force_login(licensing_officer)
    seen = Location.objects.get(pk=location.pk).version
    body = {
        "action": "flag",
        "risk_level": "high",
        "reason": "Seen late at night",
        "review_date": (date.today() + timedelta(days=30)).isoformat(),
        "version": seen,
    }
    url = f"/api/v1/locations/{location.pk}/flags/"
    assert client.post(url, body, content_type="application/json").status_code == 201
    stale = client.post(url, body, content_type="application/json")
    assert stale.status_code == 409
    assert "changed by someone else" in stale.json()["detail"]
    assert location.flags.count() == 1


def test_a_meetings_tasking_rows_refuse_a_stale_save(admin_user, tasking):
    url = f"/admin/disruption/taskingmeeting/{tasking.meeting_id}/change/"
    a, b = Client(), Client()
    a.force_login(admin_user)
    b.force_login(admin_user)
    factories.justify(a)
    factories.justify(b)
    form_a, form_b = _admin_form(a, url), _admin_form(b, url)
    row = next(k for k in form_a if k.endswith("-0-reason"))
    assert form_a[row.replace("reason", "seen_version")] == "1"
    form_a[row] = "Check bookings and CCTV"
    assert a.post(url, form_a).status_code == 302
    tasking.refresh_from_db()
    assert tasking.version == 2

    form_b[row] = "Check bookings only"
    refused = b.post(url, form_b)
    assert refused.status_code == 200
    assert "changed by someone else" in refused.content.decode()
    tasking.refresh_from_db()
    assert tasking.reason == "Check bookings and CCTV"

    # A save that leaves the row alone is not refused.
    untouched = _admin_form(b, url)
    untouched[row] = tasking.reason
    assert b.post(url, untouched).status_code == 302
