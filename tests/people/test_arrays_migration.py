"""people/migrations/0002: every vehicle mark and subject reference a record
carried becomes a row and a mention link; nothing is lost."""

import pytest
from django.db import connection
from django.db.models import F

from people.arrays import arrays_to_rows
from people.models import Link, LinkRecord, Subject, Vehicle
from people.registration import registration_normalise
from tests import factories

pytestmark = pytest.mark.django_db

MARKS = [
    ["AB12CDE", "ab12 cde"],  # the same car twice, as typed
    ["A123BCD", "ABC123D", "ABC123"],  # prefix, suffix, dateless
    ["NOT A MARK!!", "XY99ZZZ"],  # one no UK format knows
    [],
]
REFS = [["SUBJ-0001"], ["SUBJ-0001", "SUBJ-0002"], [], ["SUBJ-0003"]]


def _pairs(field: str) -> set[tuple[int, str]]:
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT r.id, m FROM intelligence_intelligencerecord r, "
            f"unnest(r.{field}) AS m"
        )
        return set(cur.fetchall())


def test_every_mark_and_reference_becomes_a_row_and_a_mention(db):
    records = [
        factories.make_record(vehicle_marks=marks, subject_refs=refs)
        for marks, refs in zip(MARKS, REFS, strict=True)
    ]
    # A submission awaiting grading and its marks are migrated too.
    factories.make_record(
        status="awaiting",
        source_evaluation="",
        intelligence_assessment="",
        handling_code="",
        vehicle_marks=["KX19ZZT"],
    )
    marks_before = _pairs("vehicle_marks")
    refs_before = _pairs("subject_refs")
    assert len(marks_before) == 8 and len(refs_before) == 4

    with connection.cursor() as cur:
        arrays_to_rows(cur)
        arrays_to_rows(cur)  # again: adds nothing

    for record_id, mark in marks_before:
        kept = registration_normalise(mark)
        assert Link.objects.filter(
            link_type="mentions", record_id=record_id, vehicle__registration=kept
        ).exists(), (record_id, mark)
    for record_id, ref in refs_before:
        assert Link.objects.filter(
            link_type="mentions", record_id=record_id, subject__former_ref=ref
        ).exists(), (record_id, ref)
    # One car is one row: 'AB12CDE' and 'ab12 cde' are the same vehicle.
    normalised = {registration_normalise(m) for _, m in marks_before}
    assert Vehicle.objects.count() == len(normalised) == 7
    assert Subject.objects.count() == 3
    # Mentions per record: one per distinct normalised mark and reference.
    expected = len({(r, registration_normalise(m)) for r, m in marks_before}) + len(
        refs_before
    )
    assert Link.objects.filter(link_type="mentions").count() == expected
    # Each mention rests on its own record.
    assert LinkRecord.objects.count() == expected
    assert not Link.objects.exclude(citations__record_id=F("record_id")).exists()
    formats = dict(Vehicle.objects.values_list("registration", "mark_format"))
    assert formats["AB12CDE"] == "current"
    assert formats["A123BCD"] == "prefix"
    assert formats["ABC123D"] == "suffix"
    assert formats["ABC123"] == "dateless"
    assert formats["NOTAMARK!!"] == "unvalidated"
    # A subject made from a reference keeps it, and the latest review date.
    first = Subject.objects.get(former_ref="SUBJ-0001")
    assert first.kind == "other"
    assert first.review_date == max(r.review_date for r in records[:2])
    assert first.reference.startswith("S-")
