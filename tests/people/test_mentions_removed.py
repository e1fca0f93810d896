"""A vehicle mark or subject reference taken off a record takes the
record's mention with it, however the record is written (a service's save,
a queryset update, the admin): the records' update trigger (people.arrays),
and people.services.record_mentions_sync for a sync asked for by name."""

import pytest

from intelligence.models import IntelligenceRecord
from people.models import Link, LinkRecord, Subject, Vehicle
from people.services import record_mentions_sync
from tests import factories

pytestmark = pytest.mark.django_db


def _mentions(record) -> set[str]:
    links = Link.objects.filter(link_type="mentions", record=record)
    return {
        link.vehicle.registration if link.vehicle_id else link.subject.former_ref
        for link in links.select_related("vehicle", "subject")
    }


def test_a_mark_or_reference_taken_off_takes_its_mention(area):
    record = factories.make_record(
        vehicle_marks=["AB12CDE", "xy99 zzz"], subject_refs=["SUBJ-1", "SUBJ-2"]
    )
    other = factories.make_record(vehicle_marks=["AB12CDE"], subject_refs=["SUBJ-1"])
    assert _mentions(record) == {"AB12CDE", "XY99ZZZ", "SUBJ-1", "SUBJ-2"}
    record.vehicle_marks = ["xy99 zzz"]
    record.subject_refs = ["SUBJ-2"]
    record.save()
    assert _mentions(record) == {"XY99ZZZ", "SUBJ-2"}
    # The other record's mentions of the same car and person stay, and so do
    # the car and the profile.
    assert _mentions(other) == {"AB12CDE", "SUBJ-1"}
    assert Vehicle.objects.filter(registration="AB12CDE").exists()
    assert Subject.objects.filter(former_ref="SUBJ-1").exists()


def test_a_queryset_update_is_caught_too(area):
    record = factories.make_record(vehicle_marks=["AB12CDE", "CD34EFG"])
    IntelligenceRecord.objects.filter(pk=record.pk).update(vehicle_marks=["CD34EFG"])
    assert _mentions(record) == {"CD34EFG"}
    # Put back, it is mentioned again.
    IntelligenceRecord.objects.filter(pk=record.pk).update(
        vehicle_marks=["CD34EFG", "AB12CDE"]
    )
    assert _mentions(record) == {"AB12CDE", "CD34EFG"}


def test_a_mention_resting_on_other_records_loses_only_this_citation(area):
    record = factories.make_record(vehicle_marks=["AB12CDE"])
    corroboration = factories.make_record()
    mention = Link.objects.get(link_type="mentions", record=record)
    LinkRecord.objects.create(link=mention, record=corroboration)
    record.vehicle_marks = []
    record.save()
    mention.refresh_from_db()
    assert set(mention.records.all()) == {corroboration}


def test_other_links_citing_the_record_are_left_alone(area):
    """An analyst's link citing the record rests on what the record says,
    not on its list of marks."""
    from people.services import link_create

    record = factories.make_record(vehicle_marks=["AB12CDE"], subject_refs=["S-1"])
    car = Vehicle.objects.get(registration="AB12CDE")
    person = Subject.objects.get(former_ref="S-1")
    drives = link_create(
        link_type="drives", subject=person, other=car, records=[record]
    )
    record.vehicle_marks, record.subject_refs = [], []
    record.save()
    assert _mentions(record) == set()
    assert set(Link.objects.get(pk=drives.pk).records.all()) == {record}


def test_the_sync_service_drops_what_the_record_no_longer_names(area):
    record = factories.make_record(vehicle_marks=["AB12CDE"], subject_refs=["R-9"])
    # The record as a caller holds it, not yet saved: the sync makes the
    # links say what it says.
    record.vehicle_marks, record.subject_refs = ["ZZ11ZZZ"], []
    links = record_mentions_sync(record=record)
    assert {link.vehicle.registration for link in links} == {"ZZ11ZZZ"}
    assert _mentions(record) == {"ZZ11ZZZ"}
