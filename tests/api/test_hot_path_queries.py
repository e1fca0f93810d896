"""The map's hot paths (nearest, locations within a radius, what-is-here)
send a fixed, small number of statements through a signed-in session, one
INSERT for the access log among them, whatever the number of rows.

Each count is exact: a statement more (an N+1, a permission or session
lookup repeated, a transaction around the log's INSERT) fails it."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.roles import ANALYST, LICENSING_OFFICER
from audit.models import AccessLogEntry
from tests import factories

pytestmark = pytest.mark.django_db

POINT = "-1.5106,52.4081"
NEAREST = f"/api/v1/locations/nearest/?point={POINT}&k=10"
WITHIN = f"/api/v1/locations/?point={POINT}&radius=500"
WHAT_IS_HERE = f"/api/v1/query/radius/?point={POINT}&radius=500"

# The session, the user with its permission names, then the view's own.
SIGNED_IN = 2
EXPECTED = {
    NEAREST: SIGNED_IN + 1,
    WITHIN: SIGNED_IN + 1,
    # Locations; counts, logged ids and the newest records from one reading;
    # those records; their links; disruption; the log's one INSERT.
    WHAT_IS_HERE: SIGNED_IN + 6,
}


def signed_in(user) -> Client:
    """A browser's session, as the map has: sign-in, reason given."""
    client = Client()
    client.force_login(user)
    return factories.justify(client)


def rows_at(location, n: int) -> None:
    for i in range(n):
        record = factories.make_record(
            occurred_from=timezone.now() - timezone.timedelta(days=5 + i)
        )
        record.location_links.create(location=location, link_type="occurred_at")
    factories.make_action(location=location, occurred_at=timezone.now())


def statements(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return [q["sql"] for q in captured.captured_queries]


@pytest.mark.parametrize("url", list(EXPECTED))
def test_hot_path_statement_count_is_fixed(analyst, area, url):
    client = signed_in(analyst)
    rows_at(factories.make_location(), 1)
    client.get(url)
    few = statements(client, url)
    for _ in range(5):
        rows_at(factories.make_location(), 3)
    many = statements(client, url)
    assert len(few) == len(many) == EXPECTED[url], "\n".join(many)
    # No statement for the permission cache or a savepoint around the log.
    assert not [q for q in many if "intel_map_cache" in q or "SAVEPOINT" in q]


def test_what_is_here_logs_in_one_insert_with_every_record_counted(analyst, area):
    client = signed_in(analyst)
    location = factories.make_location()
    rows_at(location, 4)
    before = AccessLogEntry.objects.count()
    sent = statements(client, WHAT_IS_HERE)
    inserts = [q for q in sent if "INSERT" in q]
    assert len(inserts) == 1 and "audit_accesslogentry" in inserts[0]
    assert AccessLogEntry.objects.count() == before + 1
    entry = AccessLogEntry.objects.latest("id")
    body = client.get(WHAT_IS_HERE).json()
    listed = {r["id"] for r in body["records"]}
    assert entry.count == 4 and set(entry.record_ids) == listed
    assert entry.justification == factories.SESSION_JUSTIFICATION


def test_a_role_change_applies_to_the_next_request(analyst, area):
    client = signed_in(analyst)
    assert client.get(WHAT_IS_HERE).status_code == 200
    analyst.groups.set([Group.objects.get(name=LICENSING_OFFICER)])
    # The licensing role may not run radius queries (accounts/roles.py).
    assert client.get(WHAT_IS_HERE).status_code == 403
    analyst.groups.set([Group.objects.get(name=ANALYST)])
    assert client.get(WHAT_IS_HERE).status_code == 200
