"""Every write of subjects, vehicles and links."""

from collections.abc import Iterable
from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from intelligence.models import IntelligenceRecord, ReviewDecision
from locations.models import Location

from .models import (
    ORDER_TYPES,
    REFERENCE_SEQUENCE,
    SUBJECT_LOCATION_TYPES,
    SUBJECT_VEHICLE_TYPES,
    Forum,
    Link,
    LinkRecord,
    LinkType,
    Subject,
    SubjectKind,
    SubjectOrder,
    SubjectReview,
    Vehicle,
)
from .registration import MarkFormat, registration_clean, registration_normalise
from .signals import link_written


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
    link_written.send(sender=Link, link=link, records=records)
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
        link_written.send(sender=Link, link=link, records=[record])
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


@transaction.atomic
def subject_order_serve(*, subject: Subject, action) -> SubjectOrder:
    """Record that a CAWN or sexual risk order (a disruption action, with its
    clock) was served on this person of interest."""
    if action.action_type not in ORDER_TYPES:
        raise ValidationError(
            {"action": "Only a CAWN or a sexual risk order is served on a person."}
        )
    if subject.kind != SubjectKind.PERSON_OF_INTEREST:
        raise ValidationError({"subject": "Orders are served on persons of interest."})
    order = SubjectOrder(subject=subject, action=action)
    order.full_clean()
    order.save()
    return order


def _subject_locked(*, subject: Subject) -> Subject:
    try:
        return Subject.objects.select_for_update().get(pk=subject.pk)
    except Subject.DoesNotExist:
        raise ValidationError(
            {"subject": "This subject has been disposed of already."}
        ) from None


def _review_write(*, subject: Subject, user, decision: str, reason: str, **extra):
    review = SubjectReview(
        subject_id=subject.pk,
        reference=subject.reference,
        kind=subject.kind,
        review_due=subject.review_date,
        decision=decision,
        reason=reason,
        reviewed_by=user,
        **extra,
    )
    review.full_clean()
    review.save()
    return review


@transaction.atomic
def subject_review_retain(
    *,
    subject: Subject,
    user: AbstractBaseUser,
    reason: str,
    next_review_date: date | None,
) -> SubjectReview:
    """Keep the profile until its next review, which must be in the future."""
    errors = {}
    if not (reason or "").strip():
        errors["reason"] = ["Say why: the reason is kept with the decision."]
    if next_review_date is None:
        errors["next_review_date"] = ["A retained subject needs a next review date."]
    elif next_review_date <= timezone.localdate():
        errors["next_review_date"] = ["The next review date must be in the future."]
    if errors:
        raise ValidationError(errors)
    current = _subject_locked(subject=subject)
    review = _review_write(
        subject=current,
        user=user,
        decision=ReviewDecision.RETAIN,
        reason=reason.strip(),
        next_review_date=next_review_date,
    )
    Subject.objects.filter(pk=current.pk).update(review_date=next_review_date)
    return review


@transaction.atomic
def subject_review_dispose(
    *, subject: Subject, user: AbstractBaseUser, reason: str
) -> SubjectReview:
    """Delete the profile, its links and its history for good; keep the
    decision. A person still carrying an order keeps it: the order's
    action is police information of its own."""
    if not (reason or "").strip():
        raise ValidationError(
            {"reason": ["Say why: the reason is kept with the decision."]}
        )
    current = _subject_locked(subject=subject)
    review = _review_write(
        subject=current,
        user=user,
        decision=ReviewDecision.DISPOSE,
        reason=reason.strip(),
    )
    try:
        with transaction.atomic():
            Subject.objects.filter(pk=current.pk).delete()
    except ProtectedError:
        raise ValidationError(
            {
                "subject": "An order served on this person is still recorded: "
                "review the order's action before the profile."
            }
        ) from None
    with connection.cursor() as cur:
        cur.execute("SELECT people_history_dispose(%s)", [current.pk])
    return review
