"""Triage: grading, linking and merging, their history, and two analysts at
once."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from accounts.roles import PARTNER, TASKING_OFFICER
from intelligence.models import (
    IntelligenceRecord,
    IntelligenceRecordEvent,
    RecordStatus,
)
from intelligence.selectors import intelligence_count_scope
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def hotel(area):
    return factories.make_location(name="Canal Hotel")


def _submit(user, *, hours=5, marks=("AB12CDE",), premises=(), point=None):
    return factories.make_submission(
        user,
        account="Three girls in school uniform went to room 12 with two men.",
        occurred_from=timezone.now() - timedelta(hours=hours),
        source_type="business_staff",
        tags=["hotel_party"],
        vehicle_marks=list(marks),
        premises=list(premises),
        point=point or factories.geom("POINT(-1.5105 52.4080)"),
    )


def _analyst_client(analyst) -> Client:
    client = Client()
    client.force_login(analyst)
    factories.justify(client)
    return client


def _grade(record, **extra):
    return {
        "grade-source_evaluation": "2",
        "grade-intelligence_assessment": "B",
        "grade-handling_code": "P",
        "grade-handling_conditions": "",
        "grade-summary": "Hotel staff report a party with young people in a room.",
        "grade-lon": "-1.5110",
        "grade-lat": "52.4082",
        "grade-precision_m": "15",
        "grade-version": str(record.version),
        **extra,
    }


def test_the_queue_is_oldest_first_with_waiting_time(partner, analyst, area):
    newer = _submit(partner, hours=1)
    older = _submit(partner, hours=2)
    IntelligenceRecord.objects.filter(pk=older.pk).update(
        submitted_at=timezone.now() - timedelta(days=2)
    )
    page = _analyst_client(analyst).get("/intelligence/triage/").content.decode()
    assert page.index(older.reference) < page.index(newer.reference)
    assert "2\xa0days" in page


def test_grading_makes_it_count_and_keeps_history(partner, analyst, hotel):
    record = _submit(partner)
    client = _analyst_client(analyst)
    page = client.get(f"/intelligence/triage/{record.pk}/").content.decode()
    # Premises within 100 m are suggested for linking.
    assert "Link Canal Hotel" in page
    answer = client.post(f"/intelligence/triage/{record.pk}/", _grade(record))
    assert answer.status_code == 302
    record.refresh_from_db()
    assert (record.status, record.grade, record.graded_by) == (
        "graded",
        "2B P",
        analyst,
    )
    assert (round(record.point.x, 4), record.precision_m) == (-1.511, 15)
    assert intelligence_count_scope(user=analyst).filter(pk=record.pk).exists()
    linked = client.post(
        f"/intelligence/triage/{record.pk}/link/",
        {"location": hotel.pk, "link_type": "occurred_at"},
    )
    assert linked.status_code == 302
    assert record.location_links.get().location == hotel
    events = IntelligenceRecordEvent.objects.filter(pgh_obj_id=record.pk)
    assert list(events.values_list("status", flat=True).order_by("pgh_id")) == [
        "awaiting",
        "graded",
    ]
    history = client.get(f"/intelligence/triage/{record.pk}/").content.decode()
    assert "Awaiting grading" in history and "Canal Hotel" in history


def test_handling_c_needs_conditions_and_the_summary_no_pii(partner, analyst, area):
    record = _submit(partner)
    client = _analyst_client(analyst)
    answer = client.post(
        f"/intelligence/triage/{record.pk}/",
        _grade(
            record, **{"grade-handling_code": "C", "grade-summary": "Call 07912 345678"}
        ),
    )
    assert answer.status_code == 400
    page = answer.content.decode()
    assert "Handling code C needs its conditions" in page
    assert "Remove the phone number" in page
    assert IntelligenceRecord.objects.get(pk=record.pk).status == "awaiting"


def test_the_second_analyst_gets_a_conflict_and_keeps_their_text(
    partner, analyst, area
):
    record = _submit(partner)
    first = _analyst_client(analyst)
    second = _analyst_client(factories.make_user("Analyst", "analyst2"))
    seen = _grade(record)
    assert first.post(f"/intelligence/triage/{record.pk}/", seen).status_code == 302
    mine = {**seen, "grade-summary": "My own careful wording of the report."}
    answer = second.post(f"/intelligence/triage/{record.pk}/", mine)
    assert answer.status_code == 409
    page = answer.content.decode()
    assert "changed by someone else" in page
    assert "My own careful wording of the report." in page
    record.refresh_from_db()
    assert record.summary == seen["grade-summary"]


def test_a_duplicate_is_suggested_and_merged(partner, analyst, hotel):
    first = _submit(partner, premises=[(hotel, "venue")], hours=30)
    client = _analyst_client(analyst)
    client.post(f"/intelligence/triage/{first.pk}/", _grade(first))
    second = _submit(
        factories.make_user(PARTNER), marks=("AB12CDE", "XY34ZZZ"), hours=2
    )
    IntelligenceRecord.objects.filter(pk=second.pk).update(tags=["vehicle_pickup"])
    second.refresh_from_db()
    page = client.get(f"/intelligence/triage/{second.pk}/").content.decode()
    assert f"Merge into {first.reference}" in page and "same vehicle AB12CDE" in page
    answer = client.post(
        f"/intelligence/triage/{second.pk}/duplicate/",
        {"of": first.pk, "action": "merge", "version": second.version},
    )
    assert answer.status_code == 302
    second.refresh_from_db()
    first.refresh_from_db()
    assert (second.status, second.duplicate_of) == (RecordStatus.MERGED, first)
    assert first.vehicle_marks == ["AB12CDE", "XY34ZZZ"]
    assert set(first.tags) == {"hotel_party", "vehicle_pickup"}
    counted = intelligence_count_scope(user=analyst)
    assert counted.filter(pk=first.pk).exists()
    assert not counted.filter(pk=second.pk).exists()
    # Once decided, a second decision is refused.
    again = client.post(
        f"/intelligence/triage/{second.pk}/duplicate/",
        {"of": first.pk, "action": "duplicate", "version": second.version},
    )
    assert again.status_code == 409


def test_only_graders_open_triage(partner, area):
    record = _submit(partner)
    tasker = Client()
    tasker.force_login(factories.make_user(TASKING_OFFICER))
    factories.justify(tasker)
    assert tasker.get("/intelligence/triage/").status_code == 403
    assert tasker.get(f"/intelligence/triage/{record.pk}/").status_code == 403
    mine = Client()
    mine.force_login(partner)
    assert mine.get(f"/intelligence/triage/{record.pk}/").status_code == 403
