"""Every read of the safeguarding app, and who may make it.

Screenings, safety plans, missing-episode reviews and panel cases: the
Safeguarding practitioner and administrators (safeguarding.view_screening
and the other view permissions, accounts.roles). Analysts see aggregates
only (safeguarding.view_safeguarding_aggregates, safeguarding.reports).
Tasking officers see the alerts addressed to them and the trigger places,
never the child's profile. Anyone else: nothing (404).
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from disruption.models import TaskingMeeting
from intelligence.models import IntelligenceRecord, MissingPoint, RecordKind
from locations.models import Category, Location
from people.models import Link, LinkType, Subject, SubjectKind

from .models import (
    IndicatorSet,
    MaspReview,
    Panel,
    PanelCase,
    ReturnInterview,
    SafetyPlan,
    SafetyPlanAlert,
    SafetyPlanTrigger,
    Screening,
)

# The return home interview is due within 72 hours of return; the product
# warns in the last 24.
RETURN_INTERVIEW_HOURS = 72
RETURN_INTERVIEW_WARN_HOURS = 24
# Three or more episodes in 90 days is repeat missing.
REPEAT_MISSING_COUNT = 3
REPEAT_MISSING_DAYS = 90


def safeguarding_can_view(*, user: AbstractBaseUser) -> bool:
    """Screenings, plans, episodes and cases: practitioners, administrators."""
    return user.is_authenticated and user.has_perm("safeguarding.view_screening")


def alerts_can_view(*, user: AbstractBaseUser) -> bool:
    return user.is_authenticated and user.has_perm("safeguarding.view_safetyplanalert")


def aggregates_can_view(*, user: AbstractBaseUser) -> bool:
    return user.is_authenticated and user.has_perm(
        "safeguarding.view_safeguarding_aggregates"
    )


def indicator_set_current() -> IndicatorSet:
    return IndicatorSet.objects.get(current=True)


def young_person_scope(*, user: AbstractBaseUser) -> QuerySet[Subject]:
    if not safeguarding_can_view(user=user):
        return Subject.objects.none()
    return Subject.objects.filter(kind=SubjectKind.YOUNG_PERSON)


def case_subject_scope(*, user: AbstractBaseUser) -> QuerySet[Subject]:
    """Young people, and persons of interest for the perpetrator forum."""
    if not safeguarding_can_view(user=user):
        return Subject.objects.none()
    return Subject.objects.filter(
        kind__in=[SubjectKind.YOUNG_PERSON, SubjectKind.PERSON_OF_INTEREST]
    )


def screening_scope(*, user: AbstractBaseUser) -> QuerySet[Screening]:
    if not safeguarding_can_view(user=user):
        return Screening.objects.none()
    return Screening.objects.select_related("subject", "indicator_set", "screened_by")


def screening_get(*, user: AbstractBaseUser, pk: int) -> Screening:
    return screening_scope(user=user).get(pk=pk)


# --- Missing episodes ----------------------------------------------------------


@dataclass
class Episode:
    record: IntelligenceRecord
    subject: Subject
    returned_at: datetime | None
    interview: ReturnInterview | None
    review: MaspReview | None
    masp_sitting: TaskingMeeting | None
    # The mention link that ties the record to the child: the episode's id.
    link_id: int = 0

    @property
    def interview_due(self) -> datetime | None:
        if self.returned_at is None:
            return None
        return self.returned_at + timedelta(hours=RETURN_INTERVIEW_HOURS)

    def interview_state(self, now: datetime | None = None) -> str:
        """done, overdue, due (in the last 24 hours), open, or not_returned."""
        if self.interview is not None:
            return "done"
        due = self.interview_due
        if due is None:
            return "not_returned"
        now = now or timezone.now()
        if now > due:
            return "overdue"
        if due - now <= timedelta(hours=RETURN_INTERVIEW_WARN_HOURS):
            return "due"
        return "open"

    def hours_left(self, now: datetime | None = None) -> int | None:
        due = self.interview_due
        if due is None:
            return None
        return int(((due - (now or timezone.now())).total_seconds()) // 3600)


def returned_at(record: IntelligenceRecord) -> datetime | None:
    """When the child came back: the window's end, or a found point's time."""
    if record.occurred_to is not None:
        return record.occurred_to
    if record.missing_point == MissingPoint.FOUND:
        return record.occurred_from
    return None


def _episode_links(*, subject_ids=None) -> QuerySet[Link]:
    qs = Link.objects.filter(
        link_type=LinkType.MENTIONS,
        subject__kind=SubjectKind.YOUNG_PERSON,
        record__kind=RecordKind.MISSING,
    )
    if subject_ids is not None:
        qs = qs.filter(subject_id__in=subject_ids)
    return qs.select_related("record", "subject")


def _episodes(links) -> list[Episode]:
    links = list(links)
    pairs = {(link.record_id, link.subject_id) for link in links}
    record_ids = [r for r, _ in pairs]
    interviews = {
        (i.record_id, i.subject_id): i
        for i in ReturnInterview.objects.filter(record_id__in=record_ids)
    }
    reviews = {
        (r.record_id, r.subject_id): r
        for r in MaspReview.objects.filter(record_id__in=record_ids).select_related(
            "decided_by"
        )
    }
    sittings = list(
        TaskingMeeting.objects.filter(
            group="masp", held_on__gte=timezone.localdate()
        ).order_by("held_on")[:1]
    )
    episodes = [
        Episode(
            record=link.record,
            subject=link.subject,
            returned_at=returned_at(link.record),
            interview=interviews.get((link.record_id, link.subject_id)),
            review=reviews.get((link.record_id, link.subject_id)),
            masp_sitting=sittings[0] if sittings else None,
            link_id=link.pk,
        )
        for link in links
    ]
    episodes.sort(key=lambda e: e.record.occurred_from, reverse=True)
    return episodes


def masp_queue(*, user: AbstractBaseUser) -> list[Episode]:
    """Every episode of a young person MASP has not reviewed, oldest first."""
    if not safeguarding_can_view(user=user):
        return []
    reviewed = MaspReview.objects.filter(
        record_id=OuterRef("record_id"), subject_id=OuterRef("subject_id")
    )
    episodes = _episodes(_episode_links().exclude(Exists(reviewed)))
    return sorted(episodes, key=lambda e: e.record.occurred_from)


def episode_get(*, user: AbstractBaseUser, record_id: int, subject_id: int) -> Episode:
    """IntelligenceRecord.DoesNotExist when it is not an episode the user
    may see."""
    if not safeguarding_can_view(user=user):
        raise IntelligenceRecord.DoesNotExist
    found = _episodes(
        _episode_links(subject_ids=[subject_id]).filter(record_id=record_id)
    )
    if not found:
        raise IntelligenceRecord.DoesNotExist
    return found[0]


def subject_episodes(*, subject: Subject) -> list[Episode]:
    return _episodes(_episode_links(subject_ids=[subject.pk]))


def episodes_by_subject(*, subject_ids) -> dict[int, list[Episode]]:
    """Each child's episodes, read at once (the MASP queue's histories)."""
    found: dict[int, list[Episode]] = {}
    for e in _episodes(_episode_links(subject_ids=list(subject_ids))):
        found.setdefault(e.subject.pk, []).append(e)
    return found


def placements(*, subject_ids) -> dict[int, Location]:
    """Children living in a children's home or supported accommodation."""
    links = Link.objects.filter(
        subject_id__in=list(subject_ids),
        link_type=LinkType.RESIDES,
        location__category=Category.CHILDRENS_HOME,
    ).select_related("location")
    return {link.subject_id: link.location for link in links}


def repeat_missing_count(*, episodes: list[Episode], today: date | None = None) -> int:
    today = today or timezone.localdate()
    since = today - timedelta(days=REPEAT_MISSING_DAYS)
    return sum(
        1 for e in episodes if timezone.localdate(e.record.occurred_from) >= since
    )


def subject_placement(*, subject: Subject) -> Location | None:
    """Where the child lives, when it is a children's home or supported
    accommodation (a 'resides' link)."""
    link = (
        Link.objects.filter(
            subject=subject,
            link_type=LinkType.RESIDES,
            location__category=Category.CHILDRENS_HOME,
        )
        .select_related("location")
        .first()
    )
    return link.location if link else None


def episode_places(*, episodes: list[Episode]) -> QuerySet[Location]:
    """The places the episodes are linked to."""
    return Location.objects.filter(
        intelligence_links__record_id__in=[e.record.pk for e in episodes]
    ).distinct()


# --- Panels --------------------------------------------------------------------


def panel_meetings(*, user: AbstractBaseUser) -> QuerySet[TaskingMeeting]:
    """The panels' sittings, each with how many open cases are due at it."""
    if not safeguarding_can_view(user=user):
        return TaskingMeeting.objects.none()
    due = (
        PanelCase.objects.filter(
            panel=OuterRef("group"),
            closed_at__isnull=True,
            next_review__lte=OuterRef("held_on"),
        )
        .order_by()
        .values("panel")
        .annotate(n=Count("id"))
        .values("n")
    )
    return TaskingMeeting.objects.filter(group__in=[*Panel.values, "masp"]).annotate(
        cases_due=Coalesce(Subquery(due), 0)
    )


def panel_meeting_get(*, user: AbstractBaseUser, pk: int) -> TaskingMeeting:
    return panel_meetings(user=user).filter(group__in=Panel.values).get(pk=pk)


def case_scope(*, user: AbstractBaseUser) -> QuerySet[PanelCase]:
    if not safeguarding_can_view(user=user):
        return PanelCase.objects.none()
    return PanelCase.objects.select_related("subject", "lead_professional")


def case_get(*, user: AbstractBaseUser, pk: int) -> PanelCase:
    return case_scope(user=user).get(pk=pk)


def meeting_agenda(*, meeting: TaskingMeeting) -> QuerySet[PanelCase]:
    """The open cases of the meeting's panel due for review at this sitting
    (and those reviewed at it already)."""
    return (
        PanelCase.objects.filter(panel=meeting.group, closed_at__isnull=True)
        .filter(Q(next_review__lte=meeting.held_on) | Q(reviews__meeting=meeting))
        .select_related("subject", "lead_professional")
        .distinct()
        .order_by("next_review", "id")
    )


def case_places(*, case: PanelCase) -> QuerySet[Location]:
    """Places linked to the case's subject: directly, or through the
    records that name them."""
    named = Link.objects.filter(
        subject=case.subject, link_type=LinkType.MENTIONS
    ).values("record_id")
    return Location.objects.filter(
        Q(people_links__subject=case.subject)
        | Q(intelligence_links__record_id__in=named)
    ).distinct()


def case_records(*, case: PanelCase, limit: int = 10) -> QuerySet[IntelligenceRecord]:
    """The latest records that name the case's subject (the practitioner's
    'linked records')."""
    return (
        IntelligenceRecord.objects.filter(
            people_mentions__subject=case.subject,
            people_mentions__link_type=LinkType.MENTIONS,
        )
        .order_by("-occurred_from")
        .distinct()[:limit]
    )


# --- Safety plans --------------------------------------------------------------


def safety_plan_scope(*, user: AbstractBaseUser) -> QuerySet[SafetyPlan]:
    if not safeguarding_can_view(user=user):
        return SafetyPlan.objects.none()
    return SafetyPlan.objects.select_related(
        "subject", "police_contact", "lead_professional"
    ).prefetch_related("triggers__location", "triggers__vehicle")


def alert_scope(*, user: AbstractBaseUser) -> QuerySet[SafetyPlanAlert]:
    """Practitioners and administrators: every alert. Police roles: the
    alerts of plans they are the police contact for."""
    qs = SafetyPlanAlert.objects.select_related(
        "plan", "record", "acknowledged_by", "plan__police_contact"
    )
    if safeguarding_can_view(user=user):
        return qs
    if alerts_can_view(user=user):
        return qs.filter(plan__police_contact=user)
    return SafetyPlanAlert.objects.none()


def alert_get(*, user: AbstractBaseUser, pk: int) -> SafetyPlanAlert:
    return alert_scope(user=user).get(pk=pk)


def alerts_open_for(*, user: AbstractBaseUser) -> QuerySet[SafetyPlanAlert]:
    """The home page's: alerts addressed to this user, not yet acknowledged."""
    if not alerts_can_view(user=user):
        return SafetyPlanAlert.objects.none()
    return alert_scope(user=user).filter(
        Q(plan__police_contact=user) | Q(plan__lead_professional=user),
        acknowledged_at__isnull=True,
    )


def trigger_places(*, user: AbstractBaseUser) -> QuerySet[Location]:
    """Live plans' trigger places, as 'safety-plan place': never the child."""
    if not (alerts_can_view(user=user) or safeguarding_can_view(user=user)):
        return Location.objects.none()
    today = timezone.localdate()
    live = SafetyPlanTrigger.objects.filter(
        plan__starts_on__lte=today, plan__ends_on__gte=today, location=OuterRef("pk")
    )
    return Location.objects.filter(Exists(live))


def screening_places(*, since: date | None = None) -> QuerySet[Location]:
    """Places named in screenings (a protective concern), the last year's
    by default: the hot spots weigh them."""
    since = since or timezone.localdate() - timedelta(days=365)
    return Location.objects.filter(
        Exists(
            Screening.objects.filter(
                mentions__location=OuterRef("pk"), screened_at__date__gte=since
            )
        )
    )
