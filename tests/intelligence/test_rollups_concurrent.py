"""Two writers at once keep the roll-ups right (issue 18): links made to one
record by two transactions that overlap, and a premises becoming a school
while a record linked to it is edited, leave the roll-up rows equal to a
rebuild from the records."""

import threading
import time

import pytest
from django.db import connection, connections, transaction

from intelligence.models import IntelligenceLocationLink, IntelligenceRecord
from intelligence.rollups import CellBucketCount, CellDayCount
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


def _rows() -> dict:
    day_rows = {
        (r["day"], r["gx"], r["gy"], r["at_restricted"]): r["n"]
        for r in CellDayCount.objects.values("day", "gx", "gy", "at_restricted", "n")
    }
    bucket_rows = {
        (r["days"], r["start"], r["cell_m"], r["gx"], r["gy"], r["at_restricted"]): r[
            "n"
        ]
        for r in CellBucketCount.objects.values(
            "days", "start", "cell_m", "gx", "gy", "at_restricted", "n"
        )
    }
    return {"days": day_rows, "buckets": bucket_rows}


def _rebuilt() -> dict:
    with transaction.atomic():
        with connection.cursor() as cur:
            cur.execute("SELECT intelligence_rollup_rebuild()")
            cur.execute("SELECT intelligence_buckets_rebuild()")
        rows = _rows()
        transaction.set_rollback(True)
    return rows


def _overlapping(first, second) -> None:
    """Run `first` in a transaction that stays open a moment after its write,
    and `second` in another that starts its write meanwhile."""
    written = threading.Event()
    errors = []

    def run(work, *, hold: bool) -> None:
        try:
            with transaction.atomic():
                work()
                if hold:
                    written.set()
                    time.sleep(3)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
            written.set()
        finally:
            connections.close_all()

    a = threading.Thread(target=run, args=(first,), kwargs={"hold": True})
    b = threading.Thread(target=lambda: (written.wait(20), run(second, hold=False)))
    a.start()
    b.start()
    a.join(30)
    b.join(30)
    assert not errors, errors


def test_two_links_at_once_to_one_record(db):
    record = factories.make_record()
    schools = [factories.make_location(category="school") for _ in range(2)]

    def link(location):
        return lambda: IntelligenceLocationLink.objects.create(
            record_id=record.pk, location=location, link_type="occurred_at"
        )

    _overlapping(link(schools[0]), link(schools[1]))
    assert _rows() == _rebuilt()
    assert list(_rows()["days"].values()) == [1]
    assert set(_rows()["buckets"].values()) == {1}


def test_premises_become_a_school_while_its_record_is_edited(db):
    record = factories.make_record()
    hotel = factories.make_location(category="hotel")
    record.location_links.create(location=hotel, link_type="occurred_at")

    def becomes_school():
        hotel.category = "school"
        hotel.save()

    def regraded():
        IntelligenceRecord.objects.filter(pk=record.pk).update(
            intelligence_assessment="C"
        )

    _overlapping(becomes_school, regraded)
    assert _rows() == _rebuilt()
    assert CellDayCount.objects.get().at_restricted
