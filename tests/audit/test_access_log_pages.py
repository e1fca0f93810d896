"""Pages that show record content ask for the session's reason once, then log
each page with the records it shows."""

from datetime import timedelta
from urllib.parse import quote

import pytest
from django.utils import timezone

from audit.consults import AGGREGATE_REASON_NOT_ASKED
from audit.justification import SESSION_KEY
from tests import factories

pytestmark = pytest.mark.django_db

JUSTIFY = "/access/justify/"


def test_location_page_asks_once_per_session_then_logs_each_visit(
    client, analyst, intel, location, log
):
    url = f"/locations/{location.pk}/"
    client.force_login(analyst)
    first = client.get(url)
    assert first.status_code == 302
    assert first["Location"] == f"{JUSTIFY}?next={quote(url, safe='')}"
    assert log() == []

    form = client.get(first["Location"])
    assert b"Why are you consulting intelligence" in form.content
    given = client.post(
        JUSTIFY, {"justification": "  Visit planning:\nhotel watch ", "next": url}
    )
    assert given.status_code == 302 and given["Location"] == url

    for _ in range(2):  # asked once; logged each time
        page = client.get(url)
        assert page.status_code == 200 and intel.reference in page.content.decode()
    entries = log()
    assert [(e.action, e.record_ids) for e in entries] == [("listed", [intel.pk])] * 2
    assert entries[0].justification == "Visit planning: hotel watch"
    assert location.name in entries[0].what


def test_roles_without_record_content_are_never_asked(
    client, licensing_officer, intel, location, log
):
    client.force_login(licensing_officer)
    page = client.get(f"/locations/{location.pk}/")
    assert page.status_code == 200 and intel.reference not in page.content.decode()
    # No reason asked and no record named: the page's one consultation is the
    # count of linked people and vehicles (people/), logged as an aggregate.
    [entry] = log()
    assert entry.what.startswith("Linked people counts")
    assert entry.record_ids == [] and entry.justification == AGGREGATE_REASON_NOT_ASKED


def test_the_reason_lapses_after_a_working_session(client, analyst, location):
    client.force_login(analyst)
    session = client.session
    session[SESSION_KEY] = {
        "text": "Yesterday's shift",
        "at": (timezone.now() - timedelta(hours=13)).isoformat(),
    }
    session.save()
    assert client.get(f"/locations/{location.pk}/").status_code == 302


def test_signing_out_ends_the_reason(client, analyst, location):
    client.force_login(analyst)
    factories.justify(client)
    assert client.get(f"/locations/{location.pk}/").status_code == 200
    client.post("/accounts/logout/")
    client.force_login(analyst)
    assert client.get(f"/locations/{location.pk}/").status_code == 302


@pytest.mark.parametrize(
    "reason, message",
    [("", b"Say why"), ("abc", b"at least 5"), ("x" * 501, b"500 characters")],
)
def test_justification_page_says_what_is_wrong(client, analyst, reason, message):
    client.force_login(analyst)
    resp = client.post(JUSTIFY, {"justification": reason, "next": "/"})
    assert resp.status_code == 400 and message in resp.content
    assert SESSION_KEY not in client.session


def test_justification_page_only_sends_back_inside_the_site(client, analyst):
    client.force_login(analyst)
    resp = client.post(
        JUSTIFY,
        {"justification": "Checking a referral", "next": "https://evil.example/"},
    )
    assert resp["Location"] == "/"


def test_justification_is_never_rendered_as_html(client, analyst):
    client.force_login(analyst)
    client.post(JUSTIFY, {"justification": "<script>alert(1)</script> case 12"})
    page = client.get(JUSTIFY).content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page


def test_admin_record_pages_ask_and_log(client, admin_user, area, log):
    record = factories.make_record()
    other = factories.make_record()
    client.force_login(admin_user)
    listing = "/admin/intelligence/intelligencerecord/"
    assert client.get(listing)["Location"].startswith(JUSTIFY)
    factories.justify(client, "Data quality check")
    assert client.get(listing).status_code == 200
    assert client.get(f"{listing}{record.pk}/change/").status_code == 200
    assert client.get(f"{listing}987654321/change/").status_code == 302
    entries = log()
    assert [(e.action, sorted(e.record_ids)) for e in entries] == [
        ("listed", sorted([record.pk, other.pk])),
        ("opened", [record.pk]),
        ("denied", [987654321]),
    ]
    assert {e.justification for e in entries[:2]} == {"Data quality check"}
