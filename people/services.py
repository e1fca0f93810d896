"""Every write of subjects, vehicles and links."""

from collections.abc import Iterable
from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from intelligence.models import IntelligenceRecord
from locations.models import Location

from .models import (
    REFERENCE_SEQUENCE,
    SUBJECT_LOCATION_TYPES,
    SUBJECT_VEHICLE_TYPES,
    Forum,
    Link,
    LinkRecord,
    LinkType,
    Subject,
    SubjectKind,
    Vehicle,
)
from .registration import MarkFormat, registration_clean, registration_normalise


def subject_reference_next(*, year: int | None = None) -> str:
    """S-<year>-<six digits>, the number from a database sequence so two
    workers never hand out the same one."""
    year = year or timezone.now().year
    with connection.cursor() as cur:
        cur.execute("SELECT nextval(%s)", [REFERENCE_SEQUENCE])
        (n,) = cur.fetchone()
    return f"S-{year}-{n:06d}"


@transaction.atomic
def subject_create(
    *,
    kind: str,
    review_date: date,
    age_band: str = "unknown",
    sex: str = "unknown",
    descriptors: str = "",
    agency: str = "",
    system_ref: str = "",
    forum: str = "",
    screening_outcome: str | None = None,
    created_by: AbstractBaseUser | None = None,
) -> Subject:
    if kind == SubjectKind.YOUNG_PERSON and not forum:
        forum = Forum.NONE
    subject = Subject(
        reference=subject_reference_next(),
        kind=kind,
        review_date=review_date,
        age_band=age_band,
        sex=sex,
        descriptors=descriptors,
        agency=agency,
        system_ref=system_ref,
        forum=forum,
        screening_outcome=screening_outcome or None,
        created_by=created_by,
    )
    subject.full_clean()
    subject.save()
    return subject


@transaction.atomic
def vehicle_get_or_create(
    *,
    registration: str,
    make: str = "",
    model: str = "",
    colour: str = "",
    plate_kind: str = "",
    plate_number: str = "",
    created_by: AbstractBaseUser | None = None,
) -> tuple[Vehicle, bool]:
    """The one row for this mark (one car is one row), made if new; a
    ValidationError for a mark no UK format knows."""
    mark, fmt = registration_clean(registration)
    existing = Vehicle.objects.filter(registration=mark).first()
    if existing is not None:
        return existing, False
    vehicle = Vehicle(
        registration=mark,
        mark_format=fmt,
        make=make,
        model=model,
        colour=colour,
        plate_kind=plate_kind,
        plate_number=plate_number,
        created_by=created_by,
    )
    vehicle.full_clean()
    vehicle.save()
    return vehicle, True


def _ends(
    *,
    link_type: str,
    subject: Subject | None,
    other: Subject | Vehicle | Location | IntelligenceRecord | None,
) -> dict:
    """The link's columns for its type, or a ValidationError."""
    if link_type in SUBJECT_LOCATION_TYPES and isinstance(other, Location):
        return {"subject": subject, "location": other}
    if link_type in SUBJECT_VEHICLE_TYPES and isinstance(other, Vehicle):
        return {"subject": subject, "vehicle": other}
    if link_type == LinkType.ASSOCIATE and isinstance(other, Subject):
        if subject is None or other.pk == subject.pk:
            raise ValidationError(
                {"link_type": "A subject is not their own associate."}
            )
        low, high = sorted([subject, other], key=lambda s: s.pk)
        return {"subject": low, "other_subject": high}
    raise ValidationError(
        {"link_type": f"A {link_type} link does not join these two kinds of thing."}
    )


@transaction.atomic
def link_create(
    *,
    link_type: str,
    subject: Subject,
    other: Subject | Vehicle | Location,
    records: Iterable[IntelligenceRecord],
    created_by: AbstractBaseUser | None = None,
) -> Link:
    """A subject-location, subject-vehicle or associate link resting on the
    given records (at least one), or the existing link with these records
    added to what it cites."""
    records = list(records)
    if not records:
        raise ValidationError(
            {"records": "A link rests on at least one record: name the record(s)."}
        )
    ends = _ends(link_type=link_type, subject=subject, other=other)
    link, _ = Link.objects.get_or_create(
        link_type=link_type, **ends, defaults={"created_by": created_by}
    )
    LinkRecord.objects.bulk_create(
        [LinkRecord(link=link, record=r) for r in records], ignore_conflicts=True
    )
    return link


@transaction.atomic
def link_mention(*, record: IntelligenceRecord, entity: Subject | Vehicle) -> Link:
    """The record mentions a subject or a vehicle (a record's locations are
    its IntelligenceLocationLinks)."""
    end = {"subject": entity} if isinstance(entity, Subject) else {"vehicle": entity}
    link, created = Link.objects.get_or_create(
        link_type=LinkType.MENTIONS, record=record, **end
    )
    if created:
        LinkRecord.objects.create(link=link, record=record)
    return link


@transaction.atomic
def record_mentions_sync(*, record: IntelligenceRecord) -> list[Link]:
    """Mention links for a record's vehicle marks and subject references: a
    mark is the one Vehicle row for it (made if new; kept unvalidated if no
    UK format knows it), a reference the subject that carries it (made if
    new, as 'witness or other' until someone says more)."""
    links = []
    for raw in record.vehicle_marks:
        links.append(link_mention(record=record, entity=vehicle_for_mark(mark=raw)))
    for ref in record.subject_refs:
        links.append(
            link_mention(
                record=record,
                entity=subject_for_former_ref(ref=ref, review_date=record.review_date),
            )
        )
    return links


def vehicle_for_mark(*, mark: str) -> Vehicle:
    try:
        vehicle, _ = vehicle_get_or_create(registration=mark)
        return vehicle
    except ValidationError:
        kept = registration_normalise(mark)[:16] or mark[:16]
        vehicle, _ = Vehicle.objects.get_or_create(
            registration=kept, defaults={"mark_format": MarkFormat.UNVALIDATED}
        )
        return vehicle


def subject_for_former_ref(*, ref: str, review_date: date) -> Subject:
    existing = Subject.objects.filter(former_ref=ref).first()
    if existing is not None:
        if existing.review_date < review_date:
            existing.review_date = review_date
            existing.save(update_fields=["review_date", "updated_at"])
        return existing
    subject = Subject(
        reference=subject_reference_next(),
        kind=SubjectKind.OTHER,
        former_ref=ref,
        review_date=review_date,
    )
    subject.save()
    return subject
