"""Every read of subjects, vehicles and links, and who may see which.

DESIGN.md Access: subjects and links are for analysts, tasking officers and
administrators (people.view_subject); young people's profiles only for those
with people.view_young_person (a tasking officer sees only that a young
person at risk is linked). A link is never more visible than the strictest
record it rests on: it is shown only when the viewer may see every record it
cites (IntelligenceRecord.objects.visible_to, graded). Licensing and
community safety officers see counts of linked people and vehicles at a
location, small counts suppressed, never who.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db.models import Exists, OuterRef, Q, QuerySet

from accounts.roles import can_read_map
from intelligence.grading import graded_q
from intelligence.models import IntelligenceLocationLink, IntelligenceRecord
from intelligence.selectors import count_display
from locations.models import Location

from .models import Link, LinkRecord, LinkType, Subject, SubjectKind, Vehicle
from .registration import registration_normalise


def subject_can_view(*, user: AbstractBaseUser) -> bool:
    return user.is_authenticated and user.has_perm("people.view_subject")


def subject_sees_young_people(*, user: AbstractBaseUser) -> bool:
    return subject_can_view(user=user) and user.has_perm("people.view_young_person")


def link_counts_only(*, user: AbstractBaseUser) -> bool:
    """Reads the map but not who: counts of linked people and vehicles."""
    return can_read_map(user) and not subject_can_view(user=user)


def subject_scope(*, user: AbstractBaseUser) -> QuerySet[Subject]:
    if not subject_can_view(user=user):
        return Subject.objects.none()
    qs = Subject.objects.all()
    if not subject_sees_young_people(user=user):
        qs = qs.exclude(kind=SubjectKind.YOUNG_PERSON)
    return qs


def vehicle_scope(*, user: AbstractBaseUser) -> QuerySet[Vehicle]:
    if not subject_can_view(user=user):
        return Vehicle.objects.none()
    return Vehicle.objects.all()


def record_scope(*, user: AbstractBaseUser) -> QuerySet[IntelligenceRecord]:
    """The records whose content the user may see and which count (graded)."""
    return IntelligenceRecord.objects.visible_to(user).filter(graded_q())


def _young_person_link() -> Q:
    return Q(subject__kind=SubjectKind.YOUNG_PERSON) | Q(
        other_subject__kind=SubjectKind.YOUNG_PERSON
    )


def link_records_visible(*, user: AbstractBaseUser) -> QuerySet[Link]:
    """Links every cited record of which the user may see: the strictest
    record decides. Young people's links are still in (see link_scope)."""
    if not subject_can_view(user=user):
        return Link.objects.none()
    hidden = LinkRecord.objects.filter(link=OuterRef("pk")).exclude(
        Exists(record_scope(user=user).filter(pk=OuterRef("record_id")))
    )
    return Link.objects.exclude(Exists(hidden))


def link_scope(*, user: AbstractBaseUser) -> QuerySet[Link]:
    """The links this user may see, ends and all."""
    qs = link_records_visible(user=user)
    if not subject_sees_young_people(user=user):
        qs = qs.exclude(_young_person_link())
    return qs


def young_person_link_count(*, user: AbstractBaseUser, node_keys: list[int]) -> int:
    """For a viewer who may not see young people: how many links join these
    nodes to a young person at risk (the fact, never who)."""
    if subject_sees_young_people(user=user) or not node_keys:
        return 0
    return (
        link_records_visible(user=user)
        .filter(_young_person_link())
        .filter(Q(a_node__any=node_keys) | Q(b_node__any=node_keys))
        .count()
    )


def location_links_visible(
    *, user: AbstractBaseUser
) -> QuerySet[IntelligenceLocationLink]:
    """A record's links to locations, read by the graph as 'mentions': only
    for records the user may see."""
    if not subject_can_view(user=user):
        return IntelligenceLocationLink.objects.none()
    return IntelligenceLocationLink.objects.filter(
        Exists(record_scope(user=user).filter(pk=OuterRef("record_id")))
    )


def subject_get(*, user: AbstractBaseUser, pk: int) -> Subject:
    """Subject.DoesNotExist if there is none or the user may not see it."""
    return subject_scope(user=user).get(pk=pk)


def vehicle_get(*, user: AbstractBaseUser, pk: int) -> Vehicle:
    return vehicle_scope(user=user).get(pk=pk)


def subject_search(
    *, user: AbstractBaseUser, q: str, qs: QuerySet[Subject] | None = None
) -> QuerySet[Subject]:
    """By reference (whole or part: the trigram index) or by descriptor
    words (the full-text index)."""
    qs = subject_scope(user=user) if qs is None else qs
    q = " ".join((q or "").split())
    if not q:
        return qs
    return qs.annotate(
        descriptor_vector=SearchVector("descriptors", config="english")
    ).filter(
        # References are upper case: a plain LIKE the trigram index answers
        # (icontains would wrap the column in UPPER() and miss it).
        Q(reference__contains=q.upper())
        | Q(former_ref=q)
        | Q(descriptor_vector=SearchQuery(q, config="english"))
    )


def vehicle_search(
    *, user: AbstractBaseUser, q: str, qs: QuerySet[Vehicle] | None = None
) -> QuerySet[Vehicle]:
    qs = vehicle_scope(user=user) if qs is None else qs
    mark = registration_normalise(q)
    if not mark:
        return qs
    return qs.filter(Q(registration__startswith=mark) | Q(plate_number__iexact=q))


def subject_links(*, user: AbstractBaseUser, subject: Subject) -> QuerySet[Link]:
    key = subject.pk + 2 * 10**12
    return (
        link_scope(user=user)
        .filter(Q(a_node=key) | Q(b_node=key))
        .select_related("subject", "other_subject", "vehicle", "location", "record")
        .prefetch_related("records")
        .order_by("link_type", "id")
    )


def vehicle_links(*, user: AbstractBaseUser, vehicle: Vehicle) -> QuerySet[Link]:
    return (
        link_scope(user=user)
        .filter(vehicle=vehicle)
        .select_related("subject", "record")
        .prefetch_related("records")
        .order_by("link_type", "id")
    )


def _location_subject_ids(*, location: Location, links: QuerySet[Link]) -> set[int]:
    direct = links.filter(location=location).values_list("subject_id", flat=True)
    mentioned = links.filter(
        link_type=LinkType.MENTIONS,
        subject__isnull=False,
        record__location_links__location=location,
    ).values_list("subject_id", flat=True)
    return set(direct) | set(mentioned)


def _location_vehicle_ids(*, location: Location, links: QuerySet[Link]) -> set[int]:
    return set(
        links.filter(
            link_type=LinkType.MENTIONS,
            vehicle__isnull=False,
            record__location_links__location=location,
        ).values_list("vehicle_id", flat=True)
    )


def location_linked_people(*, user: AbstractBaseUser, location: Location) -> dict:
    """The location page's "Linked people and vehicles" panel.

    For cleared roles: the subjects (linked directly, or mentioned in a record
    linked to the location) and vehicles (mentioned in such a record) with
    the number of young people at risk not shown. For licensing and community
    safety officers: the two counts only, from every graded record (the same
    data, no content), fewer than 3 shown as "<3".
    """
    if subject_can_view(user=user):
        links = link_scope(user=user)
        subject_ids = _location_subject_ids(location=location, links=links)
        vehicle_ids = _location_vehicle_ids(location=location, links=links)
        hidden_young = 0
        if not subject_sees_young_people(user=user):
            every = link_records_visible(user=user)
            young_ids = _location_subject_ids(location=location, links=every)
            hidden_young = len(
                set(
                    Subject.objects.filter(
                        pk__in=young_ids, kind=SubjectKind.YOUNG_PERSON
                    ).values_list("pk", flat=True)
                )
            )
        return {
            "who": True,
            "subjects": list(Subject.objects.filter(pk__in=subject_ids)),
            "vehicles": list(Vehicle.objects.filter(pk__in=vehicle_ids)),
            "young_people_linked": hidden_young,
        }
    if not link_counts_only(user=user):
        return {"who": False, "subjects_count": 0, "vehicles_count": 0}
    graded = Link.objects.exclude(
        Exists(
            LinkRecord.objects.filter(link=OuterRef("pk")).exclude(
                record__status="graded"
            )
        )
    )
    subjects = len(_location_subject_ids(location=location, links=graded))
    vehicles = len(_location_vehicle_ids(location=location, links=graded))
    return {
        "who": False,
        "subjects_count": count_display(n=subjects, user=user),
        "vehicles_count": count_display(n=vehicles, user=user),
    }


def record_linked_people(*, user: AbstractBaseUser, record: IntelligenceRecord) -> dict:
    """The record page's panel: the subjects and vehicles the record mentions
    or that links cite it for (the record is one the user may see)."""
    if not subject_can_view(user=user):
        return {"who": False, "subjects": [], "vehicles": [], "young_people_linked": 0}
    cited = Q(citations__record=record)
    links = link_scope(user=user).filter(cited)
    subject_ids = set(links.values_list("subject_id", flat=True)) | set(
        links.values_list("other_subject_id", flat=True)
    )
    vehicle_ids = set(links.values_list("vehicle_id", flat=True))
    hidden_young = 0
    if not subject_sees_young_people(user=user):
        hidden_young = (
            link_records_visible(user=user)
            .filter(cited)
            .filter(_young_person_link())
            .count()
        )
    return {
        "who": True,
        "subjects": list(Subject.objects.filter(pk__in=subject_ids - {None})),
        "vehicles": list(Vehicle.objects.filter(pk__in=vehicle_ids - {None})),
        "young_people_linked": hidden_young,
    }


def subject_order_clocks(*, subject: Subject) -> list:
    """The orders served on this subject with their legal clocks, soonest
    end first, however long ago or far ahead (disruption.legal)."""
    from disruption.legal import legal_clock_list
    from disruption.models import DisruptionAction

    return legal_clock_list(
        qs=DisruptionAction.objects.filter(served_on__subject=subject),
        horizon_days=365 * 100,
        expired_days=365 * 100,
    )


def subject_review_queue(*, user: AbstractBaseUser, today=None) -> QuerySet[Subject]:
    """Subjects this user may see whose MoPI review date has come, the
    longest overdue first; only for those who review records."""
    from django.utils import timezone

    from intelligence.selectors import record_can_review

    if not record_can_review(user=user):
        return Subject.objects.none()
    today = today or timezone.localdate()
    return (
        subject_scope(user=user)
        .filter(review_date__lte=today)
        .order_by("review_date", "id")
    )


def link_removals(
    *,
    user: AbstractBaseUser,
    subject: Subject | None = None,
    vehicle: Vehicle | None = None,
) -> list[dict]:
    """The links removed from a subject or a vehicle, newest first, as far
    as this user may see them: as a link, never more visible than the
    strictest record it rested on (a record since disposed hides it), and a
    young person's only for those who see young people."""
    from .models import LinkRemoval

    if not subject_can_view(user=user):
        return []
    qs = LinkRemoval.objects.select_related("removed_by")
    if subject is not None:
        qs = qs.filter(Q(subject_id=subject.pk) | Q(other_subject_id=subject.pk))
    elif vehicle is not None:
        qs = qs.filter(vehicle_id=vehicle.pk)
    else:
        return []
    removals = list(qs[:100])
    record_ids = {i for r in removals for i in r.record_ids}
    records = dict(
        record_scope(user=user).filter(pk__in=record_ids).values_list("pk", "reference")
    )
    subject_ids = {i for r in removals for i in (r.subject_id, r.other_subject_id) if i}
    subjects = {s.pk: s for s in subject_scope(user=user).filter(pk__in=subject_ids)}
    vehicles = dict(
        Vehicle.objects.filter(
            pk__in={r.vehicle_id for r in removals if r.vehicle_id}
        ).values_list("pk", "registration")
    )
    places = dict(
        Location.objects.filter(
            pk__in={r.location_id for r in removals if r.location_id}
        ).values_list("pk", "name")
    )
    shown = []
    for r in removals:
        ends = [i for i in (r.subject_id, r.other_subject_id) if i]
        if not all(i in records for i in r.record_ids):
            continue
        if not all(i in subjects for i in ends):
            continue
        own = subject.pk if subject is not None else None
        if r.location_id:
            far = places.get(r.location_id, "a place since removed")
        elif r.vehicle_id and vehicle is None:
            far = vehicles.get(r.vehicle_id, "a vehicle since removed")
        else:
            far = ", ".join(subjects[i].reference for i in ends if i != own)
        who = r.removed_by.get_full_name() or r.removed_by.username
        shown.append(
            {
                "removal": r,
                "far": far,
                "who": who,
                "records": [records[i] for i in r.record_ids],
            }
        )
    return shown
