"""The router's rules against two real databases: the test database on the
primary and a streaming standby of it (conftest.py). Replay on the standby
is paused where a test needs to tell the two apart: a row written then is on
the primary only, so whether an answer holds it says which node served it."""

import time

import psycopg
import pytest
from django.conf import settings
from django.db import connections
from django.test import Client
from django.utils import timezone

from accounts.roles import ADMINISTRATOR
from audit.models import AccessLogEntry
from common.db.config import REPLICA
from common.db.router import STICKY_UNTIL, read_alias
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", REPLICA])

RADIUS = "/api/v1/query/radius/?point=-1.5106,52.4081&radius=500"
REASON = {"X-Justification": "Router test: which node answers"}


def _admin_client():
    user = factories.make_user(ADMINISTRATOR, "admin")
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return user, client


def _records_in_radius(client) -> int:
    response = client.get(RADIUS, headers=REASON)
    assert response.status_code == 200, response.content
    return response.json()["intelligence"]["total"]


def _in_recovery(alias: str) -> bool:
    with connections[alias].cursor() as cur:
        cur.execute("SELECT pg_is_in_recovery()")
        return cur.fetchone()[0]


def test_aliases_reach_the_primary_and_the_standby(nodes):
    assert _in_recovery("default") is False
    assert _in_recovery(REPLICA) is True


@pytest.mark.parametrize(
    ("attrs", "standby"), [("read-write", False), ("prefer-standby", True)]
)
def test_one_host_list_finds_the_primary_or_a_standby(nodes, attrs, standby):
    """The standby is listed first: read-write still lands on the primary."""
    db = connections["default"].settings_dict
    with psycopg.connect(
        host="127.0.0.1,127.0.0.1",
        port=f"{nodes.standby_port},{nodes.primary_port}",
        dbname=db["NAME"],
        user=db["USER"],
        target_session_attrs=attrs,
    ) as conn:
        assert conn.execute("SELECT pg_is_in_recovery()").fetchone()[0] is standby


def test_map_reads_come_from_the_standby_and_the_access_log_goes_to_the_primary(
    nodes,
):
    factories.make_area()
    factories.make_record()
    user, client = _admin_client()
    nodes.pause()
    factories.make_record()  # on the primary only
    assert _records_in_radius(client) == 1
    # The search was logged on the primary (a standby refuses writes), with
    # the id the standby counted.
    entry = AccessLogEntry.objects.using("default").get(user=user)
    assert entry.count == 1
    nodes.resume()
    nodes.caught_up()
    assert _records_in_radius(client) == 2


def test_reads_outside_the_map_stay_on_the_primary(nodes):
    factories.make_record()
    _, client = _admin_client()
    nodes.pause()
    factories.make_record()
    response = client.get("/api/v1/intelligence/", headers=REASON)
    assert response.status_code == 200
    assert response.json()["count"] == 2
    assert read_alias() == "default"  # outside a @standby_reads view


def test_after_a_write_the_user_reads_from_the_primary_until_the_window_ends(
    nodes, settings
):
    settings.REPLICA_STICKY_SECONDS = 30
    factories.make_area()
    location = factories.make_location()
    _, client = _admin_client()
    before = client.get(RADIUS, headers=REASON).json()["disruption"]
    nodes.pause()
    response = client.post(
        "/api/v1/disruptions/",
        {
            "action_type": "licensing_inspection",
            "occurred_at": timezone.now().isoformat(),
            "location": location.pk,
            "outcome": "compliant",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    written = response.json()["id"]
    # Sticky: the user's own write, though the standby has not replayed it.
    after = client.get(RADIUS, headers=REASON).json()["disruption"]
    assert written in [a["id"] for a in after]
    # The window is in the session (the database), for every app server.
    session = client.session
    assert session[STICKY_UNTIL] > time.time()
    session[STICKY_UNTIL] = time.time() - 1
    session.save()
    later = client.get(RADIUS, headers=REASON).json()["disruption"]
    assert [a["id"] for a in later] == [a["id"] for a in before]


def test_a_read_sent_as_post_opens_no_window(nodes):
    factories.make_area()
    _, client = _admin_client()
    response = client.post(
        "/api/v1/query/area/",
        {
            "polygon": {
                "type": "Polygon",
                "coordinates": [
                    [[-1.52, 52.40], [-1.50, 52.40], [-1.50, 52.42], [-1.52, 52.40]]
                ],
            }
        },
        content_type="application/json",
        headers=REASON,
    )
    assert response.status_code == 200, response.content
    assert STICKY_UNTIL not in client.session


def test_a_standby_behind_the_bound_is_skipped_and_healthz_says_so(nodes, settings):
    settings.REPLICA_MAX_LAG_SECONDS = 0.5
    settings.REPLICA_STICKY_SECONDS = 0.5
    factories.make_area()
    factories.make_record()
    _, client = _admin_client()
    nodes.pause()
    factories.make_record()
    time.sleep(1.0)
    health = client.get("/healthz")
    assert health.status_code == 200
    standby = health.json()["standby"]
    assert standby["reachable"] is True and standby["in_recovery"] is True
    assert standby["lag_s"] > 0.5 and standby["used_for_reads"] is False
    # Skipped: the primary answers, with the record the standby lacks.
    assert _records_in_radius(client) == 2


def test_healthz_reports_the_primary_and_a_caught_up_standby(nodes):
    nodes.caught_up()
    body = Client().get("/healthz").json()
    assert body["status"] == "ok" and body["primary"] == {"ok": True}
    # The standby replays the whole cluster, where other test workers write
    # all the time: caught up with this test's writes, it may still be a
    # fraction of a second behind theirs.
    assert 0 <= body["standby"]["lag_s"] < settings.REPLICA_MAX_LAG_SECONDS
    assert body["standby"]["used_for_reads"]


def test_with_the_standby_gone_reads_fall_back_to_the_primary(nodes):
    """prefer-standby settles on the primary when no standby answers."""
    factories.make_area()
    factories.make_record()
    _, client = _admin_client()
    replica = connections.settings[REPLICA]
    saved = dict(replica)
    free_port = nodes.standby_port + 50  # nothing listens there
    replica["PORT"] = f"{free_port},{nodes.primary_port}"
    connections[REPLICA].close()
    try:
        nodes.pause()
        factories.make_record()
        assert _records_in_radius(client) == 2
        assert _in_recovery(REPLICA) is False
    finally:
        connections[REPLICA].close()
        replica.clear()
        replica.update(saved)
