"""Reads for triage: the queue of submissions awaiting grading, a record's
triage page, and the premises and earlier records suggested for it."""

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.contrib.gis.db.models.functions import Distance
from django.contrib.gis.measure import D
from django.db.models import Q, QuerySet

from intelligence.grading import grade_can
from intelligence.intake.selectors import premises_search, premises_selectable
from intelligence.models import IntelligenceRecord, RecordStatus
from locations.models import Location

# Registered premises this close to the record's point are suggested as links.
LINK_SUGGEST_RADIUS_M = 100
# Records this close in time with the same vehicle or premises are suggested
# as duplicates.
DUPLICATE_WINDOW = timedelta(days=7)
SUGGEST_LIMIT = 10


def triage_scope(*, user: AbstractBaseUser) -> QuerySet[IntelligenceRecord]:
    """Every record a grader may open in triage: what they may see, whatever
    its status. Empty for roles that do not grade."""
    if not grade_can(user=user):
        return IntelligenceRecord.objects.none()
    return IntelligenceRecord.objects.visible_to(user)


def triage_queue(*, user: AbstractBaseUser) -> QuerySet[IntelligenceRecord]:
    """Submissions awaiting grading, the longest waiting first."""
    return (
        triage_scope(user=user)
        .filter(status=RecordStatus.AWAITING)
        .select_related("submitted_by")
        .order_by("submitted_at", "id")
    )


def triage_awaiting_count(*, user: AbstractBaseUser) -> int:
    return triage_queue(user=user).count()


def triage_record(*, user: AbstractBaseUser, pk: int) -> IntelligenceRecord:
    """DoesNotExist unless this user grades and may see the record."""
    return (
        triage_scope(user=user)
        .select_related("submitted_by", "graded_by", "duplicate_of")
        .prefetch_related("location_links__location")
        .get(pk=pk)
    )


def link_suggestions(
    *, user: AbstractBaseUser, record: IntelligenceRecord, q: str = ""
) -> tuple[list[Location], list[Location]]:
    """(premises within 100 m, nearest first; premises whose name matches
    `q`), leaving out those already linked."""
    linked = {link.location_id for link in record.location_links.all()}
    near = list(
        premises_selectable(user=user)
        .filter(point_bng__dwithin=(record.point_bng, D(m=LINK_SUGGEST_RADIUS_M)))
        .exclude(pk__in=linked)
        .annotate(distance=Distance("point_bng", record.point_bng))
        .order_by("distance", "id")[:SUGGEST_LIMIT]
    )
    named = [loc for loc in premises_search(user=user, q=q) if loc.pk not in linked]
    return near, named


@dataclass(frozen=True)
class DuplicateSuggestion:
    record: IntelligenceRecord
    why: str


def duplicate_suggestions(
    *, user: AbstractBaseUser, record: IntelligenceRecord
) -> list[DuplicateSuggestion]:
    """Other records within 7 days of this one that name the same vehicle or
    are linked to the same premises."""
    premises = {link.location_id: link.location for link in record.location_links.all()}
    same = Q()
    if record.vehicle_marks:
        same |= Q(vehicle_marks__overlap=record.vehicle_marks)
    if premises:
        same |= Q(location_links__location_id__in=list(premises))
    if not same:
        return []
    candidates = (
        triage_scope(user=user)
        .filter(
            same,
            status__in=[RecordStatus.GRADED, RecordStatus.AWAITING],
            occurred_from__gte=record.occurred_from - DUPLICATE_WINDOW,
            occurred_from__lte=record.occurred_from + DUPLICATE_WINDOW,
        )
        .exclude(pk=record.pk)
        .distinct()
        .prefetch_related("location_links")
        .order_by("occurred_from", "id")[:SUGGEST_LIMIT]
    )
    out = []
    for other in candidates:
        reasons = [
            f"same vehicle {m}"
            for m in other.vehicle_marks
            if m in record.vehicle_marks
        ]
        reasons += [
            f"same premises {premises[link.location_id].name}"
            for link in other.location_links.all()
            if link.location_id in premises
        ]
        days = abs(other.occurred_from - record.occurred_from).days
        reasons.append(
            "the same day" if days == 0 else f"{days} day{'s' * (days != 1)} apart"
        )
        out.append(DuplicateSuggestion(other, "; ".join(dict.fromkeys(reasons))))
    return out
