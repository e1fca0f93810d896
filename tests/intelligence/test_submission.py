"""Submitting intelligence: the page and the API share one validation, a
submission awaits grading and counts nowhere until graded, and the
submitter sees only their own."""

import uuid
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from accounts.roles import ANALYST, COMMUNITY_SAFETY_OFFICER, LICENSING_OFFICER, PARTNER
from intelligence.models import IntelligenceRecord, RecordStatus
from intelligence.selectors import intelligence_count_scope, record_list
from locations.models import Postcode
from tests import factories

pytestmark = pytest.mark.django_db


def _when(hours=3):
    return (timezone.localtime() - timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def hotel(area):
    return factories.make_location(name="Station Hotel", postcode="CV1 2AB")


def _body(**extra):
    return {
        "account": "Two men booked a room and three girls went up with them.",
        "occurred_from": _when(),
        "location_method": "map",
        "lon": "-1.5106",
        "lat": "52.4081",
        "source_type": "youth_service",
        "submitter_is_source": "yes",
        "tags": ["hotel_party"],
        "vehicle_marks": "ab12 cde, KX19-ZZT",
        **extra,
    }


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_partner_submits_and_sees_its_status(partner, hotel):
    client = _signed_in(partner)
    assert client.get("/intelligence/new/").status_code == 200
    answer = client.post(
        "/intelligence/new/",
        _body(
            location_method="premises", lon="", lat="", premises=[f"{hotel.pk}:pick_up"]
        ),
    )
    assert answer.status_code == 302
    record = IntelligenceRecord.objects.get(submitted_by=partner)
    assert answer["Location"] == f"/intelligence/submissions/{record.pk}/"
    assert record.status == RecordStatus.AWAITING
    assert record.grade == "not graded"
    assert record.vehicle_marks == ["AB12CDE", "KX19ZZT"]
    assert record.point.equals(hotel.point) and record.precision_m == 10
    assert record.submitter_agency == "youth_services"
    assert record.submitter_is_source is True
    assert [
        (link.location, link.link_type) for link in record.location_links.all()
    ] == [(hotel, "pick_up")]
    page = client.get(answer["Location"]).content.decode()
    assert "Awaiting grading" in page and "three girls" in page
    listing = client.get("/intelligence/submissions/").content.decode()
    assert record.reference in listing


def test_pii_is_refused_and_nothing_is_lost(partner):
    client = _signed_in(partner)
    answer = client.post(
        "/intelligence/new/",
        _body(people_text="Girl DOB 04/05/2011, her phone 07912 345678"),
    )
    assert answer.status_code == 400
    page = answer.content.decode()
    assert "Remove the date of birth" in page and "Remove the phone number" in page
    # What was typed is still in the form.
    assert "Two men booked a room" in page
    assert not IntelligenceRecord.objects.exists()


def test_a_window_a_future_time_and_a_point_abroad_are_refused(partner):
    client = _signed_in(partner)
    future = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    page = client.post(
        "/intelligence/new/",
        _body(when="window", occurred_to="", lon="-43.2", lat="-22.9"),
    ).content.decode()
    assert "Give the end of the window" in page
    assert "outside the UK" in page
    page = client.post("/intelligence/new/", _body(occurred_from=future)).content
    assert "in the future" in page.decode()


def test_a_postcode_places_the_pin_to_be_confirmed(partner, area):
    Postcode.objects.create(
        postcode="CV12AB", point=factories.geom("POINT(-1.51 52.41)")
    )
    client = _signed_in(partner)
    body = _body(location_method="postcode", lon="", lat="", postcode="cv1 2ab")
    answer = client.post("/intelligence/new/", body)
    assert answer.status_code == 400
    assert "Check the pin" in answer.content.decode()
    assert 'value="-1.51"' in answer.content.decode()
    assert (
        client.post("/intelligence/new/", {**body, "pin_confirmed": "on"}).status_code
        == 302
    )
    record = IntelligenceRecord.objects.get()
    assert (round(record.point.x, 3), record.precision_m) == (-1.51, 100)
    unknown = client.post("/intelligence/new/", {**body, "postcode": "ZZ9 9ZZ"})
    assert "not a postcode we know" in unknown.content.decode()
    lookup = client.get("/intelligence/new/postcode/", {"postcode": "CV1 2AB"}).json()
    assert lookup == {"point": [-1.51, 52.41]}


def test_premises_search_leaves_out_protected_places(partner, hotel):
    factories.make_location(
        name="Station Road Children's Home", category="childrens_home"
    )
    factories.make_location(name="Hotel Elsewhere", postcode="CV5 6XY")
    client = _signed_in(partner)

    def names(q):
        return [
            r["name"]
            for r in client.get("/intelligence/new/premises/", {"q": q}).json()[
                "results"
            ]
        ]

    assert names("station") == ["Station Hotel"]
    assert names("hotel") == ["Hotel Elsewhere", "Station Hotel"]
    assert names("CV5 6") == ["Hotel Elsewhere"]
    assert names("st") == []
    admin = _signed_in(factories.make_user("Administrator", "adm"))
    assert "Station Road Children's Home" in str(
        admin.get("/intelligence/new/premises/", {"q": "station"}).json()
    )


@pytest.mark.parametrize("role", [LICENSING_OFFICER, COMMUNITY_SAFETY_OFFICER])
def test_officers_without_record_content_submit_too(role, area):
    user = factories.make_user(role)
    assert _signed_in(user).post("/intelligence/new/", _body()).status_code == 302


def test_a_submitter_sees_only_their_own(partner, area):
    other = factories.make_user(PARTNER, "otherpartner")
    _signed_in(other).post("/intelligence/new/", _body())
    theirs = IntelligenceRecord.objects.get(submitted_by=other)
    client = _signed_in(partner)
    assert client.get(f"/intelligence/submissions/{theirs.pk}/").status_code == 404
    assert (
        theirs.reference
        not in client.get("/intelligence/submissions/").content.decode()
    )


def test_an_awaiting_record_counts_nowhere_until_graded(partner, analyst, area):
    _signed_in(partner).post("/intelligence/new/", _body())
    record = IntelligenceRecord.objects.get()
    safety = factories.make_user(COMMUNITY_SAFETY_OFFICER)
    for user in (analyst, safety):
        assert not intelligence_count_scope(user=user).filter(pk=record.pk).exists()
    assert not record_list(user=analyst).filter(pk=record.pk).exists()
    IntelligenceRecord.objects.filter(pk=record.pk).update(
        status="graded",
        source_evaluation="2",
        intelligence_assessment="B",
        handling_code="P",
    )
    assert intelligence_count_scope(user=safety).filter(pk=record.pk).exists()


# --- The API ------------------------------------------------------------------


def _json_body(**extra):
    body = _body(**extra)
    body.update(
        lon=-1.5106, lat=52.4081, submitter_is_source=False, vehicle_marks=["AB12 CDE"]
    )
    return body


def test_the_api_submits_as_the_form_does(client_for, partner, hotel):
    api = client_for(partner, justification=None)
    answer = api.post(
        "/api/v1/intelligence/",
        _json_body(premises=[{"id": hotel.pk, "how": "venue"}]),
        format="json",
    )
    assert answer.status_code == 201, answer.content
    record = IntelligenceRecord.objects.get(pk=answer.json()["id"])
    assert answer.json()["status"] == "awaiting"
    assert record.submitter_is_source is False
    assert record.location_links.get().location == hotel
    # A partner still reads nothing of the API.
    assert api.get("/api/v1/intelligence/").status_code == 403


def test_the_api_names_the_field(client_for, partner, area):
    api = client_for(partner, justification=None)
    answer = api.post(
        "/api/v1/intelligence/",
        _json_body(account="Her email is girl@example.com", source_type="aliens"),
        format="json",
    )
    assert answer.status_code == 400
    errors = answer.json()
    assert "Remove the email address" in errors["account"][0]
    assert "source_type" in errors
    assert api.post("/api/v1/intelligence/", [1, 2], format="json").status_code == 400


def test_a_retried_post_makes_one_record(client_for, partner, area):
    api = client_for(partner, justification=None)
    key = str(uuid.uuid4())
    first = api.post(
        "/api/v1/intelligence/", _json_body(), format="json", HTTP_IDEMPOTENCY_KEY=key
    )
    again = api.post(
        "/api/v1/intelligence/", _json_body(), format="json", HTTP_IDEMPOTENCY_KEY=key
    )
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert IntelligenceRecord.objects.count() == 1
    changed = api.post(
        "/api/v1/intelligence/",
        _json_body(account="Something else"),
        format="json",
        HTTP_IDEMPOTENCY_KEY=key,
    )
    assert changed.status_code == 422
    assert "different body" in changed.json()["Idempotency-Key"][0]
    # Another user's same key is their own.
    other = client_for(factories.make_user(PARTNER, "p2"), justification=None)
    assert (
        other.post(
            "/api/v1/intelligence/",
            _json_body(),
            format="json",
            HTTP_IDEMPOTENCY_KEY=key,
        ).status_code
        == 201
    )
    assert IntelligenceRecord.objects.count() == 2


def test_a_refused_body_can_be_corrected_under_the_same_key(client_for, partner, area):
    api = client_for(partner, justification=None)
    key = "retry-after-fix"
    bad = api.post(
        "/api/v1/intelligence/",
        _json_body(account=""),
        format="json",
        HTTP_IDEMPOTENCY_KEY=key,
    )
    assert bad.status_code == 400
    good = api.post(
        "/api/v1/intelligence/", _json_body(), format="json", HTTP_IDEMPOTENCY_KEY=key
    )
    assert good.status_code == 201


def test_anyone_without_submit_is_refused(client_for, area):
    assert Client().post("/api/v1/intelligence/", {}).status_code == 403
    analyst = factories.make_user(ANALYST)
    api = client_for(analyst, justification=None)
    # Submitting shows no record: no reason is asked.
    assert (
        api.post("/api/v1/intelligence/", _json_body(), format="json").status_code
        == 201
    )
