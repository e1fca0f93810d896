"""Triage writes: grade a submission, link it to premises, mark it as a
duplicate of an earlier record or merge it into one. Each change is kept in
the record's history (pghistory triggers, with the signed-in user).

Grading and marking check the version the analyst read: a second analyst
deciding the same record at the same time is refused (StaleEdit) and their
page keeps what they typed."""

from django.contrib.auth.models import AbstractBaseUser
from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from common.versions import StaleEdit, version_check
from intelligence.models import (
    GradingScheme,
    IntelligenceLocationLink,
    IntelligenceRecord,
    RecordStatus,
)
from intelligence.signals import record_written
from locations.models import Location


def _locked_awaiting(*, record: IntelligenceRecord, version: int | None, doing: str):
    version_check(
        model=IntelligenceRecord, pk=record.pk, seen=version, what="record", doing=doing
    )
    current = IntelligenceRecord.objects.get(pk=record.pk)
    if current.status != RecordStatus.AWAITING:
        raise StaleEdit(
            f"This record is already {current.get_status_display().lower()}: "
            "nothing was saved. Reload it to see the decision."
        )
    return current


@transaction.atomic
def record_grade(
    *,
    record: IntelligenceRecord,
    user: AbstractBaseUser,
    version: int | None,
    source_evaluation: str,
    intelligence_assessment: str,
    handling_code: str,
    handling_conditions: str,
    summary: str,
    point: Point,
    precision_m: int,
) -> IntelligenceRecord:
    """Grade a submission 3x5x2 with its sanitised summary and its point
    confirmed or corrected; from now on it counts."""
    current = _locked_awaiting(record=record, version=version, doing="grading")
    current.grading_scheme = GradingScheme.G3X5X2
    current.source_evaluation = source_evaluation
    current.intelligence_assessment = intelligence_assessment
    current.handling_code = handling_code
    current.handling_conditions = handling_conditions if handling_code == "C" else ""
    current.summary = summary
    current.point = point
    current.precision_m = precision_m
    current.status = RecordStatus.GRADED
    current.graded_by = user
    current.graded_at = timezone.now()
    current.version += 1
    current.full_clean()
    current.save()
    record_written.send(sender=IntelligenceRecord, record=current)
    return current


@transaction.atomic
def record_link_add(
    *, record: IntelligenceRecord, location: Location, link_type: str
) -> IntelligenceLocationLink:
    link = IntelligenceLocationLink(
        record=record, location=location, link_type=link_type
    )
    link.full_clean(validate_unique=False)
    link, _ = IntelligenceLocationLink.objects.get_or_create(
        record=record, location=location, link_type=link_type
    )
    record_written.send(sender=IntelligenceRecord, record=record)
    return link


def _union(first: list, second: list) -> list:
    return list(dict.fromkeys([*first, *second]))


@transaction.atomic
def record_duplicate_mark(
    *,
    record: IntelligenceRecord,
    user: AbstractBaseUser,
    version: int | None,
    of: IntelligenceRecord,
    merge: bool,
) -> IntelligenceRecord:
    """The submission is the same report as `of`. Merged: its indicator
    tags, vehicle marks, subject references and premises links are added to
    `of`. Either way it is counted no more (only `of` is)."""
    if of.pk == record.pk:
        raise ValidationError({"of": "A record cannot duplicate itself."})
    current = _locked_awaiting(record=record, version=version, doing="marking")
    target = IntelligenceRecord.objects.select_for_update().get(pk=of.pk)
    if target.status not in (RecordStatus.GRADED, RecordStatus.AWAITING):
        raise ValidationError(
            {
                "of": f"{target.reference} is itself a duplicate: choose the record "
                "it duplicates."
            }
        )
    if merge:
        target.tags = _union(target.tags, current.tags)
        target.vehicle_marks = _union(target.vehicle_marks, current.vehicle_marks)
        target.subject_refs = _union(target.subject_refs, current.subject_refs)
        target.version += 1
        target.save(update_fields=["tags", "vehicle_marks", "subject_refs", "version"])
        for link in current.location_links.all():
            IntelligenceLocationLink.objects.get_or_create(
                record=target, location_id=link.location_id, link_type=link.link_type
            )
        record_written.send(sender=IntelligenceRecord, record=target)
    current.status = RecordStatus.MERGED if merge else RecordStatus.DUPLICATE
    current.duplicate_of = target
    current.graded_by = user
    current.graded_at = timezone.now()
    current.version += 1
    current.save(
        update_fields=["status", "duplicate_of", "graded_by", "graded_at", "version"]
    )
    return current
