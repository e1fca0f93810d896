"""Every write of subjects, vehicles and links."""

from collections.abc import Iterable
from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F, ProtectedError
from django.utils import timezone

from common.versions import StaleEdit, version_check
from disruption.services import disruption_log
from intelligence.models import IntelligenceRecord, ReviewDecision
from intelligence.retention import review_date_for
from locations.models import Location

from .models import (
    ORDER_TYPES,
    REFERENCE_SEQUENCE,
    SUBJECT_LOCATION_TYPES,
    SUBJECT_VEHICLE_TYPES,
    Forum,
    Link,
    LinkRecord,
    LinkRemoval,
    LinkType,
    Subject,
    SubjectKind,
    SubjectOrder,
    SubjectReview,
    Vehicle,
)
from .registration import MarkFormat, registration_clean, registration_normalise
from .signals import link_written

__all__ = ["StaleEdit"]

# What an edit of a profile may change (its reference never changes).
SUBJECT_FIELDS = (
    "kind",
    "age_band",
    "sex",
    "descriptors",
    "agency",
    "system_ref",
    "review_date",
    "forum",
)
VEHICLE_FIELDS = ("make", "model", "colour", "plate_kind", "plate_number")


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
    forum = _forum_for(kind=kind, forum=forum)
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
    _system_ref_free(subject=subject)
    subject.full_clean()
    subject.save()
    return subject


def _forum_for(*, kind: str, forum: str) -> str:
    """A young person always has a forum (none is one); nobody else has."""
    if kind == SubjectKind.YOUNG_PERSON:
        return forum or Forum.NONE
    if forum not in ("", Forum.NONE):
        raise ValidationError(
            {"forum": "Only a young person at risk is managed by a forum."}
        )
    return ""


def _system_ref_free(*, subject: Subject) -> None:
    """One profile per identity: the owning agency's reference is held once
    (the database's subject_unique_system_ref, said in words first)."""
    if not subject.system_ref:
        return
    held = Subject.objects.filter(
        agency=subject.agency, system_ref=subject.system_ref
    ).exclude(pk=subject.pk)
    if held.exists():
        raise ValidationError(
            {
                "system_ref": "Another profile already carries this agency's "
                "system reference: search the register for it rather than "
                "making a second profile."
            }
        )


def _saved_next_version(obj):
    """Checked and saved as the next version (common.versions): the edit's
    own version check has locked the row."""
    obj.full_clean()
    obj.version = F("version") + 1
    obj.save()
    obj.refresh_from_db()
    return obj


@transaction.atomic
def subject_update(*, subject: Subject, version: int | None, **fields) -> Subject:
    """Change a profile, refusing the edit (StaleEdit) if it was based on an
    old version: nothing of the second editor's is saved over the first's.
    Moving a young person to another kind drops their forum and screening
    (they are young people's only); moving someone to young person starts
    them at forum "none"."""
    unknown = set(fields) - set(SUBJECT_FIELDS)
    if unknown:
        raise ValueError(f"Not editable here: {', '.join(sorted(unknown))}")
    version_check(model=Subject, pk=subject.pk, seen=version, what="profile")
    current = Subject.objects.get(pk=subject.pk)
    if "kind" in fields and "forum" not in fields:
        # Someone no longer a young person leaves their forum behind.
        fields["forum"] = current.forum if fields["kind"] == current.kind else ""
    for name, value in fields.items():
        setattr(current, name, value)
    current.forum = _forum_for(kind=current.kind, forum=current.forum)
    if current.kind != SubjectKind.YOUNG_PERSON:
        current.screening_outcome = None
    _system_ref_free(subject=current)
    return _saved_next_version(current)


@transaction.atomic
def vehicle_create(
    *,
    registration: str,
    make: str = "",
    model: str = "",
    colour: str = "",
    plate_kind: str = "",
    plate_number: str = "",
    created_by: AbstractBaseUser | None = None,
) -> Vehicle:
    """A new vehicle; a ValidationError for a mark no UK format knows, or one
    already in the register (one car is one row)."""
    mark, _ = registration_clean(registration)
    if Vehicle.objects.filter(registration=mark).exists():
        raise ValidationError(
            {
                "registration": f"{mark} is already in the vehicle register: open it "
                "there to add what you know."
            }
        )
    vehicle, _ = vehicle_get_or_create(
        registration=mark,
        make=make,
        model=model,
        colour=colour,
        plate_kind=plate_kind,
        plate_number=plate_number,
        created_by=created_by,
    )
    return vehicle


@transaction.atomic
def vehicle_update(
    *, vehicle: Vehicle, version: int | None, registration: str, **fields
) -> Vehicle:
    """Change a vehicle, its mark validated and normalised as a new one's;
    a stale edit is refused (StaleEdit)."""
    unknown = set(fields) - set(VEHICLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable here: {', '.join(sorted(unknown))}")
    version_check(model=Vehicle, pk=vehicle.pk, seen=version, what="vehicle")
    mark, fmt = registration_clean(registration)
    if Vehicle.objects.filter(registration=mark).exclude(pk=vehicle.pk).exists():
        raise ValidationError(
            {
                "registration": f"{mark} is another vehicle in the register: one "
                "car is one row."
            }
        )
    current = Vehicle.objects.get(pk=vehicle.pk)
    current.registration, current.mark_format = mark, fmt
    for name, value in fields.items():
        setattr(current, name, value)
    return _saved_next_version(current)


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
def link_remove(
    *, link: Link, removed_by: AbstractBaseUser, reason: str
) -> LinkRemoval:
    """Take a link off the chart, keeping what it was (LinkRemoval): its
    ends, the records it rested on, who removed it, when and why. A
    record's mention is taken off by editing the record's marks or
    references instead (people.arrays), so the two never disagree."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why: the reason is kept with the link."})
    current = Link.objects.select_for_update().filter(pk=link.pk).first()
    if current is None:
        raise ValidationError({"link": "This link has been removed already."})
    if current.link_type == LinkType.MENTIONS:
        raise ValidationError(
            {
                "link": "A record's mention is removed by taking the mark or "
                "reference off the record."
            }
        )
    removal = LinkRemoval(
        link_id=current.pk,
        link_type=current.link_type,
        subject_id=current.subject_id,
        other_subject_id=current.other_subject_id,
        vehicle_id=current.vehicle_id,
        location_id=current.location_id,
        record_ids=sorted(current.citations.values_list("record_id", flat=True)),
        reason=reason,
        removed_by=removed_by,
    )
    removal.full_clean()
    removal.save()
    current.delete()
    return removal


@transaction.atomic
def record_mentions_sync(*, record: IntelligenceRecord) -> list[Link]:
    """Mention links for a record's vehicle marks and subject references: a
    mark is the one Vehicle row for it (made if new; kept unvalidated if no
    UK format knows it), a reference the subject that carries it (made if
    new, as 'witness or other' until someone says more). A mention of
    something no longer among them loses its citation of the record, and
    with its last citation the link (as the records' trigger does)."""
    _mentions_stale_drop(record=record)
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


def _mentions_stale_drop(*, record: IntelligenceRecord) -> None:
    marks = [registration_normalise(m)[:16] or m[:16] for m in record.vehicle_marks]
    stale = (
        Link.objects.filter(link_type=LinkType.MENTIONS, record=record)
        .exclude(vehicle__registration__in=marks)
        .exclude(subject__former_ref__in=record.subject_refs)
    )
    LinkRecord.objects.filter(link__in=stale, record=record).delete()


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


# MoPI: the profile made for an order's unnamed person is reviewed six years
# after the order ends (as people.orders does for orders served before
# profiles existed).
ORDER_REVIEW_YEARS = 6


@transaction.atomic
def subject_order_log(*, subject: Subject | None, **action_fields):
    """Log a child abduction warning notice or sexual risk order
    (disruption.services.disruption_log, its legal clock and all) and the
    person it was served on, in one transaction: both or neither. Logged by
    a role that does not see subjects (subject None), the order gets a
    person-of-interest profile of its own, so no order is left without the
    person it was served on; an analyst fills it in."""
    action = disruption_log(**action_fields)
    if subject is None:
        ends = action.expires_at or action.served_at or action.occurred_at
        subject = subject_create(
            kind=SubjectKind.PERSON_OF_INTEREST,
            agency=action.agency,
            review_date=review_date_for(timezone.localdate(ends)),
            created_by=action.officer,
        )
    subject_order_serve(subject=subject, action=action)
    return action


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
