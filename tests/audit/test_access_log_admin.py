"""Administrators, and only they, search the access log and export it; no one
adds, changes or deletes entries through the admin."""

import csv
import io
from datetime import UTC, datetime

import pytest

from accounts.roles import LICENSING_OFFICER
from audit.models import AccessLogEntry
from audit.services import access_log_write
from tests import factories

pytestmark = pytest.mark.django_db

URL = "/admin/audit/accesslogentry/"


def _write(user, ids, reason, at=None):
    if at is not None:
        # A back-dated entry is inserted with its time: the log takes
        # inserts, and nothing, the tests included, may change a row after.
        return AccessLogEntry.objects.create(
            at=at,
            user=user,
            username=user.get_username(),
            action="listed",
            what="Intelligence API: list",
            route="/api/v1/intelligence/",
            record_ids=ids,
            count=len(ids),
            justification=reason,
        )
    return access_log_write(
        user=user,
        action="listed",
        what="Intelligence API: list",
        route="/api/v1/intelligence/",
        record_ids=ids,
        justification=reason,
    )


@pytest.fixture
def entries(analyst, tasking_officer):
    return [
        _write(analyst, [11, 12], "Hotel review", datetime(2026, 3, 1, 9, tzinfo=UTC)),
        _write(
            analyst,
            [13],
            "Missing episode follow-up",
            datetime(2026, 3, 5, 23, tzinfo=UTC),
        ),
        _write(
            tasking_officer, [12], '=HYPERLINK("x")', datetime(2026, 3, 9, tzinfo=UTC)
        ),
    ]


def _listed(client, params=None) -> list[str]:
    resp = client.get(URL, params or {})
    assert resp.status_code == 200
    return sorted(e.justification for e in resp.context["cl"].result_list)


def test_search_by_user_record_and_dates(client, admin_user, entries):
    client.force_login(admin_user)
    assert len(_listed(client)) == 3
    assert _listed(client, {"user": "TASKER"}) == ['=HYPERLINK("x")']
    assert _listed(client, {"record": 12}) == ['=HYPERLINK("x")', "Hotel review"]
    assert _listed(client, {"since": "2026-03-05", "until": "2026-03-05"}) == [
        "Missing episode follow-up"
    ]
    assert _listed(client, {"user": "analyst", "until": "2026-03-04"}) == [
        "Hotel review"
    ]


def test_bad_search_input_is_named_not_a_500(client, admin_user, entries):
    client.force_login(admin_user)
    resp = client.get(URL, {"since": "31/02/2026", "record": "abc"})
    assert resp.status_code == 200
    page = resp.content.decode()
    assert "From (UTC date): Enter a valid date." in page
    assert "Record id: Enter a whole number." in page
    assert list(resp.context["cl"].result_list) == []
    backwards = client.get(URL, {"since": "2026-03-09", "until": "2026-03-01"})
    assert "The end date is before the start date." in backwards.content.decode()


def test_export_is_the_search_as_csv_with_formulas_defused(client, admin_user, entries):
    client.force_login(admin_user)
    page = client.get(URL, {"record": 12}).content.decode()
    assert (
        'id="access-log-export" href="/admin/audit/accesslogentry/export.csv?record=12"'
        in page
    )
    resp = client.get(f"{URL}export.csv", {"record": 12})
    assert resp.status_code == 200 and resp["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(resp.content.decode())))
    assert rows[0][:5] == ["at (UTC)", "user", "action", "what", "records"]
    assert [(r[0], r[1], r[4], r[6]) for r in rows[1:]] == [
        ("2026-03-01T09:00:00Z", "analyst", "11 12", "Hotel review"),
        ("2026-03-09T00:00:00Z", "tasker", "12", '\'=HYPERLINK("x")'),
    ]
    bad = client.get(f"{URL}export.csv", {"since": "yesterday"})
    assert bad.status_code == 400 and b"since" in bad.content


def test_read_only_for_administrators_too(client, admin_user, entries):
    client.force_login(admin_user)
    entry = entries[0]
    assert client.get(f"{URL}add/").status_code == 403
    assert client.get(f"{URL}{entry.pk}/change/").status_code == 200
    changed = client.post(f"{URL}{entry.pk}/change/", {"justification": "rewritten"})
    assert changed.status_code == 403
    assert client.post(f"{URL}{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    entry.refresh_from_db()
    assert entry.justification == "Hotel review"
    assert AccessLogEntry.objects.count() == 3


@pytest.mark.parametrize("role_user", ["analyst", "tasking_officer", "staff"])
def test_no_one_else_sees_the_log(client, request, entries, role_user):
    if role_user == "staff":
        # Even a role given the admin (staff) is not an administrator.
        user = factories.make_user(LICENSING_OFFICER, "staffer")
        user.is_staff = True
        user.save()
    else:
        user = request.getfixturevalue(role_user)
    client.force_login(user)
    for url in (URL, f"{URL}export.csv", f"{URL}{entries[0].pk}/change/"):
        resp = client.get(url)
        assert resp.status_code in (302, 403), url
        assert b"Hotel review" not in resp.content
    if role_user == "staff":
        assert b"Access log" not in client.get("/admin/").content
