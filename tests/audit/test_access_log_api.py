"""The intelligence API and the "what is here" queries write the access log:
one entry per answer, with the ids shown and the reason given."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.consults import AGGREGATE_REASON_NOT_ASKED
from audit.models import AccessLogEntry
from tests import factories
from tests.conftest import API_JUSTIFICATION as API_REASON

pytestmark = pytest.mark.django_db

LIST = "/api/v1/intelligence/"
RADIUS = "/api/v1/query/radius/"
AREA = "/api/v1/query/area/"
NEAR = {"point": "-1.5106,52.4081", "radius": 400}
SQUARE = {
    "type": "Polygon",
    "coordinates": [
        [[-1.52, 52.40], [-1.50, 52.40], [-1.50, 52.42], [-1.52, 52.42], [-1.52, 52.40]]
    ],
}


def test_a_listing_logs_the_ids_on_its_page(client_for, analyst, area, log):
    records = [factories.make_record() for _ in range(3)]
    resp = client_for(analyst).get(LIST, {"page_size": 2})
    assert resp.status_code == 200
    shown = [f["id"] for f in resp.json()["features"]]
    [entry] = log()
    assert entry.action == "listed"
    assert entry.username == "analyst"
    assert sorted(entry.record_ids) == sorted(shown)
    assert entry.count == 2 and len({r.pk for r in records} - set(shown)) == 1
    assert entry.justification == API_REASON
    assert entry.route.startswith(LIST) and "page_size=2" in entry.route
    assert entry.ip == "127.0.0.1"


def test_opening_a_record_logs_it(client_for, tasking_officer, area, log):
    record = factories.make_record()
    assert client_for(tasking_officer).get(f"{LIST}{record.pk}/").status_code == 200
    [entry] = log()
    assert (entry.action, entry.record_ids, entry.count) == ("opened", [record.pk], 1)


def test_a_record_the_user_may_not_see_is_logged_as_denied(
    client_for, analyst, licensing_officer, area, log
):
    record = factories.make_record()
    # No record content for licensing: 404, and no reason is asked for.
    client = client_for(licensing_officer, justification=None)
    assert client.get(f"{LIST}{record.pk}/").status_code == 404
    # A listing answers nothing, and is logged as refused too.
    assert client.get(LIST).json()["features"] == []
    # An id that is no record at all: refused the same way.
    assert client_for(analyst).get(f"{LIST}99999999/").status_code == 404
    entries = log()
    assert [(e.username, e.action, e.record_ids, e.count) for e in entries] == [
        ("licensing", "denied", [record.pk], 0),
        ("licensing", "denied", [], 0),
        ("analyst", "denied", [99999999], 0),
    ]
    assert entries[0].justification == ""


def test_no_reason_is_a_428_naming_what_is_missing(client_for, analyst, area, log):
    factories.make_record()
    resp = client_for(analyst, justification=None).get(LIST)
    assert resp.status_code == 428
    body = resp.json()
    assert body["missing"] == "X-Justification"
    assert "X-Justification" in body["detail"]
    assert log() == []


@pytest.mark.parametrize("bad", ["why", "     ", "x" * 501])
def test_an_unusable_reason_is_a_400_naming_the_header(client_for, analyst, bad, log):
    resp = client_for(analyst, justification=bad).get(LIST)
    assert resp.status_code == 400
    assert "X-Justification" in resp.json()
    assert log() == []


def test_the_sessions_reason_serves_the_maps_own_calls(client, analyst, area, log):
    """The map calls the API with the browser's session: once the session
    has a reason, the API accepts it."""
    factories.make_record()
    client.force_login(analyst)
    assert client.get(LIST).status_code == 428
    resp = client.post(
        "/api/v1/justification/",
        {"justification": "Weekly hotel review"},
        content_type="application/json",
    )
    assert resp.status_code == 200
    assert resp.json() == {"justification": "Weekly hotel review"}
    assert client.get(LIST).status_code == 200
    assert client.get(LIST).status_code == 200
    assert [e.justification for e in log()] == ["Weekly hotel review"] * 2
    bad = client.post(
        "/api/v1/justification/", {"justification": ""}, content_type="application/json"
    )
    assert bad.status_code == 400 and "justification" in bad.json()


def test_logging_is_one_insert_whatever_the_number_of_records(
    client_for, analyst, area
):
    client = client_for(analyst)
    client.get(LIST)  # the role's permissions into the shared cache

    def queries_for(n_records: int) -> list[str]:
        for _ in range(n_records):
            factories.make_record()
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(LIST, {"page_size": 500}).status_code == 200
        return [q["sql"] for q in ctx.captured_queries]

    few = queries_for(2)
    many = queries_for(40)
    inserts = [q for q in many if "INSERT INTO audit_accesslogentry" in q]
    assert len(inserts) == 1
    assert len(many) == len(few)
    assert AccessLogEntry.objects.order_by("-id").first().count == 42


def test_what_is_here_logs_the_records_it_counted(client_for, analyst, area, log):
    near = [factories.make_record() for _ in range(2)]
    factories.make_record(point=factories.geom("POINT(-1.45 52.45)"))  # far
    resp = client_for(analyst).get(RADIUS, NEAR)
    assert resp.status_code == 200 and resp.json()["intelligence"]["total"] == 2
    [entry] = log()
    assert entry.action == "searched"
    assert sorted(entry.record_ids) == sorted(r.pk for r in near)
    assert entry.justification == API_REASON
    assert "400 m around" in entry.what


def test_a_what_is_here_export_needs_its_own_reason(client, analyst, area, log):
    record = factories.make_record()
    client.force_login(analyst)
    factories.justify(client, "Session reason")
    assert client.get(RADIUS, NEAR).status_code == 200
    # The session's reason does not cover an export.
    refused = client.get(RADIUS, {**NEAR, "export": "csv"})
    assert refused.status_code == 428
    assert refused.json()["missing"] == "justification"
    resp = client.get(
        RADIUS, {**NEAR, "export": "csv", "justification": "Letter to the licensee"}
    )
    assert resp.status_code == 200 and resp["Content-Type"].startswith("text/csv")
    polygon = client.post(
        f"{AREA}?export=csv",
        {"polygon": SQUARE, "justification": "Ward profile for the board"},
        content_type="application/json",
    )
    assert polygon.status_code == 200
    assert [(e.action, e.justification, e.record_ids) for e in log()] == [
        ("searched", "Session reason", [record.pk]),
        ("exported", "Letter to the licensee", [record.pk]),
        ("exported", "Ward profile for the board", [record.pk]),
    ]


def test_a_role_that_may_not_query_is_logged_as_denied(
    client_for, licensing_officer, log
):
    resp = client_for(licensing_officer, justification=None).get(RADIUS, NEAR)
    assert resp.status_code == 403
    [entry] = log()
    assert entry.action == "denied" and entry.username == "licensing"


def test_density_and_counts_are_logged_without_asking_a_reason(
    client_for, analyst, area, log
):
    # Heat maps and area counts weigh intelligence: consultations (issue 20
    # section 4), logged with what they weighed, though no reason is asked
    # for them. Premises are not intelligence.
    factories.make_record()
    c = client_for(analyst, justification=None)
    heat = c.get("/api/v1/heatmap/", {"bbox": "-1.6,52.3,-1.4,52.5", "zoom": 13})
    assert heat.status_code == 200
    assert c.get("/api/v1/areas/").status_code == 200
    assert c.get("/api/v1/locations/").status_code == 200
    assert [(e.what, e.action, e.count, e.justification) for e in log()] == [
        ("Heat map", "searched", 1, AGGREGATE_REASON_NOT_ASKED),
        ("Area counts", "searched", 1, AGGREGATE_REASON_NOT_ASKED),
    ]


EXPORT = "/api/v1/intelligence/export/"


def test_records_export_is_logged_with_every_id(client_for, analyst, area, log):
    a = factories.make_record(summary="=cmd|' /C calc'!A0")
    b = factories.make_record(kind="missing", missing_point="found")
    factories.make_record(point=factories.geom("POINT(-1.45 52.45)"))  # filtered out
    resp = client_for(analyst, session=True).get(
        EXPORT, {**NEAR, "justification": "Problem profile"}
    )
    assert resp.status_code == 200 and resp["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(resp.content.decode())))
    assert rows[0][:3] == ["id", "reference", "kind"]
    assert sorted(int(r[0]) for r in rows[1:]) == sorted([a.pk, b.pk])
    assert "'=cmd|' /C calc'!A0" in [r[10] for r in rows[1:]]
    [entry] = log()
    assert entry.action == "exported" and entry.justification == "Problem profile"
    assert sorted(entry.record_ids) == sorted([a.pk, b.pk]) and entry.count == 2


def test_records_export_needs_its_own_reason(client, analyst, area, log):
    factories.make_record()
    client.force_login(analyst)
    factories.justify(client, "Session reason")
    refused = client.get(EXPORT)
    assert refused.status_code == 428 and refused.json()["missing"] == "justification"
    assert client.get(EXPORT, {"justification": "For the board"}).status_code == 200
    assert [e.justification for e in log()] == ["For the board"]


def test_records_export_is_for_roles_that_may_export(
    client_for, safety_officer, area, log
):
    factories.make_record()
    resp = client_for(safety_officer).get(EXPORT)
    assert resp.status_code == 403
    [entry] = log()
    assert (entry.action, entry.username) == ("denied", "safety")


def test_records_export_has_a_ceiling(client_for, analyst, area, log, monkeypatch):
    monkeypatch.setattr("intelligence.api.EXPORT_MAX_ROWS", 2)
    for _ in range(3):
        factories.make_record()
    resp = client_for(analyst, session=True).get(EXPORT)
    assert resp.status_code == 400 and "narrow" in resp.json()["export"]
    assert log() == []


@pytest.mark.parametrize("reason", [42, ["a list"], {"an": "object"}])
def test_an_export_reason_that_is_not_text_is_a_400(client_for, analyst, reason, log):
    resp = client_for(analyst, justification=None, session=True).post(
        f"{AREA}?export=csv",
        {"polygon": SQUARE, "justification": reason},
        format="json",
    )
    assert resp.status_code == 400 and "justification" in resp.json()
    assert log() == []
