"""Orders served on people carry their clocks onto the subject and stay at
the location; records written from now on get their mention links at once."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from people.models import Link, Subject, SubjectOrder, Vehicle
from people.orders import orders_to_subjects
from people.selectors import subject_order_clocks
from tests import factories

pytestmark = pytest.mark.django_db


def _served(location, kind="cawn", days=30):
    now = timezone.now()
    return factories.make_action(
        location=location,
        action_type=kind,
        outcome="notice_served",
        agency="police",
        point=location.point,
        occurred_at=now - timedelta(days=days),
        served_at=now - timedelta(days=days),
        expires_at=now + timedelta(days=10),
    )


def test_every_served_order_gets_the_person_it_was_served_on(location, analyst):
    cawn = _served(location)
    sro = _served(location, kind="sexual_risk_order", days=800)
    visit = factories.make_action(location=location)
    with connection.cursor() as cur:
        orders_to_subjects(cur)
        orders_to_subjects(cur)  # again: nothing new
    assert SubjectOrder.objects.count() == 2
    assert not SubjectOrder.objects.filter(action=visit).exists()
    subject = SubjectOrder.objects.get(action=cawn).subject
    assert subject.kind == "person_of_interest"
    assert SubjectOrder.objects.get(action=sro).subject != subject
    clocks = subject_order_clocks(subject=subject)
    assert [c.action.pk for c in clocks] == [cawn.pk]
    assert clocks[0].state == "due"
    # Still at the location where it was served.
    cawn.refresh_from_db()
    assert cawn.location_id == location.pk
    assert subject.review_date > timezone.localdate()


def test_subject_page_shows_its_orders(client, analyst, location):
    cawn = _served(location)
    with connection.cursor() as cur:
        orders_to_subjects(cur)
    subject = SubjectOrder.objects.get(action=cawn).subject
    client.force_login(analyst)
    factories.justify(client)
    page = client.get(f"/people/subjects/{subject.pk}/")
    assert page.status_code == 200
    assert "Child abduction warning notice" in page.content.decode()
    assert location.name in page.content.decode()


def test_a_new_record_gets_its_mentions_at_once(db):
    record = factories.make_record(
        vehicle_marks=["AB12CDE", "??"], subject_refs=["REF-NEW-1"]
    )
    car = Vehicle.objects.get(registration="AB12CDE")
    assert Link.objects.filter(record=record, vehicle=car).exists()
    assert Vehicle.objects.get(registration="??").mark_format == "unvalidated"
    person = Subject.objects.get(former_ref="REF-NEW-1")
    assert Link.objects.filter(record=record, subject=person).exists()
    assert (
        list(
            Link.objects.filter(record=record).values_list(
                "citations__record", flat=True
            )
        )
        == [record.pk] * 3
    )
    # A second record naming the same car and person: the same rows.
    again = factories.make_record(
        vehicle_marks=["ab12 cde"], subject_refs=["REF-NEW-1"]
    )
    assert Vehicle.objects.filter(registration="AB12CDE").count() == 1
    assert Subject.objects.filter(former_ref="REF-NEW-1").count() == 1
    assert Link.objects.filter(record=again).count() == 2
    # A merge in triage adds marks by updating the record.
    again.vehicle_marks = [*again.vehicle_marks, "XY34ZZZ"]
    again.save()
    assert Link.objects.filter(record=again, vehicle__registration="XY34ZZZ").exists()
