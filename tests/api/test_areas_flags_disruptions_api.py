from datetime import date, timedelta

import pytest
from django.utils import timezone

from disruption.models import DisruptionAction
from locations.models import Location
from tests import factories

pytestmark = pytest.mark.django_db


def test_areas_with_counts(client_for, analyst, licensing_officer, area):
    factories.make_location(concern_level="high")
    factories.make_location()
    factories.make_record()
    factories.make_action(occurred_at=timezone.now())
    body = client_for(analyst).get("/api/v1/areas/", {"type": "ward"}).json()
    assert body["type"] == "FeatureCollection"
    props = body["features"][0]["properties"]
    assert body["features"][0]["geometry"]["type"] in ("Polygon", "MultiPolygon")
    assert (props["locations"], props["flagged_locations"]) == (2, 1)
    assert (props["intelligence"], props["disruption"]) == (1, 1)
    hidden = client_for(licensing_officer).get("/api/v1/areas/").json()
    assert hidden["features"][0]["properties"]["intelligence"] == "<3"
    assert hidden["features"][0]["properties"]["intelligence_density"] is None


@pytest.mark.parametrize(
    "params, field",
    [
        ({"type": "county"}, "type"),
        ({"since": "x"}, "since"),
        ({"until": "1/1/26"}, "until"),
    ],
)
def test_areas_bad_input(client_for, analyst, params, field):
    resp = client_for(analyst).get("/api/v1/areas/", params)
    assert resp.status_code == 400
    assert field in resp.json()


def flag_url(location):
    return f"/api/v1/locations/{location.pk}/flags/"


def test_licensing_officer_flags_and_clears(client_for, licensing_officer, location):
    c = client_for(licensing_officer)
    review = (date.today() + timedelta(days=30)).isoformat()
    resp = c.post(
        flag_url(location),
        {
            "action": "flag",
            "risk_level": "high",
            "reason": "Reports",
            "review_date": review,
        },
        format="json",
    )
    assert resp.status_code == 201, resp.content
    assert Location.objects.get(pk=location.pk).concern_level == "high"
    resp = c.post(
        flag_url(location), {"action": "clear", "reason": "Resolved"}, format="json"
    )
    assert resp.status_code == 201
    assert Location.objects.get(pk=location.pk).concern_level == "none"
    history = c.get(flag_url(location)).json()
    assert [f["action"] for f in history] == ["clear", "flag"]


def test_flag_needs_risk_and_review_date(client_for, licensing_officer, location):
    resp = client_for(licensing_officer).post(
        flag_url(location), {"action": "flag", "reason": "x"}, format="json"
    )
    assert resp.status_code == 400
    assert {"risk_level", "review_date"} <= set(resp.json())


def test_stale_flag_is_a_409(client_for, licensing_officer, location):
    resp = client_for(licensing_officer).post(
        flag_url(location),
        {
            "action": "clear",
            "reason": "old page",
            "version": location.version - 1 if location.version > 1 else 99,
        },
        format="json",
    )
    assert resp.status_code == 409


def test_analyst_cannot_flag(client_for, analyst, location):
    resp = client_for(analyst).post(
        flag_url(location), {"action": "clear", "reason": "x"}, format="json"
    )
    assert resp.status_code == 403


def test_log_and_list_disruption(client_for, safety_officer, location):
    c = client_for(safety_officer)
    resp = c.post(
        "/api/v1/disruptions/",
        {
            "action_type": "awareness_visit",
            "occurred_at": timezone.now().isoformat(),
            "location": location.pk,
            "outcome": "staff_trained",
            "staff_trained": 4,
            "sector": "hotel",
            "checklist": ["cash_payment", "no_luggage_or_id"],
        },
        format="json",
    )
    assert resp.status_code == 201, resp.content
    action = DisruptionAction.objects.get()
    assert action.agency == "community_safety" and action.officer == safety_officer
    listed = c.get("/api/v1/disruptions/", {"location": location.pk}).json()
    assert listed["features"][0]["properties"]["staff_trained"] == 4


def test_disruption_validation(client_for, safety_officer, tasking_officer, location):
    c = client_for(safety_officer)
    resp = c.post(
        "/api/v1/disruptions/",
        {
            "action_type": "awareness_visit",
            "occurred_at": "yesterday",
            "location": location.pk,
            "outcome": "trained",
        },
        format="json",
    )
    assert resp.status_code == 400
    assert {"occurred_at", "outcome"} <= set(resp.json())
    resp = c.post(
        "/api/v1/disruptions/",
        {
            "action_type": "awareness_visit",
            "occurred_at": timezone.now().isoformat(),
            "location": location.pk,
            "outcome": "advice_given",
            "sector": "hotel",
            "checklist": ["underage_drinking"],
        },
        format="json",
    )
    assert resp.status_code == 400
    assert "checklist" in resp.json()
    served = timezone.now()
    resp = c.post(
        "/api/v1/disruptions/",
        {
            "action_type": "s116_notice",
            "occurred_at": served.isoformat(),
            "location": location.pk,
            "outcome": "notice_served",
            "served_at": served.isoformat(),
            "expires_at": (served + timedelta(days=300)).isoformat(),
            "authorising_rank": "inspector",
        },
        format="json",
    )
    assert resp.status_code == 400
    assert "expires_at" in resp.json()


def test_licensing_sees_own_agency_actions_only(client_for, licensing_officer, area):
    factories.make_action(agency="licensing", occurred_at=timezone.now())
    factories.make_action(agency="police", occurred_at=timezone.now())
    body = client_for(licensing_officer).get("/api/v1/disruptions/").json()
    assert [f["properties"]["agency"] for f in body["features"]] == ["licensing"]


def test_disruption_bad_filters(client_for, analyst):
    resp = client_for(analyst).get("/api/v1/disruptions/", {"bbox": "x"})
    assert resp.status_code == 400 and "bbox" in resp.json()


def test_schema_and_docs(client_for, analyst):
    c = client_for(analyst)
    schema = c.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    assert b"/api/v1/heatmap/" in schema.content
    assert c.get("/api/v1/docs/").status_code == 200


def test_area_counts_follow_the_record_filters(client_for, analyst, area):
    factories.make_record(kind="missing", missing_point="found")
    factories.make_record(source_evaluation="3", intelligence_assessment="C")
    c = client_for(analyst)

    def count(**params):
        body = c.get("/api/v1/areas/", params).json()
        return body["features"][0]["properties"]["intelligence"]

    assert count() == 2
    assert count(kind="missing") == 1
    assert count(min_grade="2B") == 1
    assert c.get("/api/v1/areas/", {"min_grade": "Z"}).status_code == 400
