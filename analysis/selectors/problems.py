"""Problem profiles: who sees them and the selection each one defines."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q, QuerySet
from django.utils import timezone

from disruption.models import Tasking, TaskingStatus
from disruption.selectors import disruption_filter, disruption_scope
from locations.models import AreaType
from locations.selectors import location_list_shown

from ..models import ProblemProfile
from .analyses import AnalysisRefused, change_run, knox_run, repeat_run, when_run
from .change import AreaChange, ChangePeriods
from .knox import KnoxResult, KnoxSettings
from .repeat import RepeatResult
from .selection import Selection
from .when import WhenGrid


def problem_list(*, user: AbstractBaseUser) -> QuerySet[ProblemProfile]:
    """Profiles this user may open: a profile on a protected place is left out
    for roles not cleared for its position, as the place itself is."""
    shown = location_list_shown(user=user).values("pk")
    return ProblemProfile.objects.select_related("owner", "area", "location").filter(
        Q(location__isnull=True) | Q(location__in=shown)
    )


def problem_taskings(*, user: AbstractBaseUser, problem: ProblemProfile) -> list:
    """The taskings answering the problem, for roles that read taskings."""
    if not user.has_perm("disruption.view_tasking"):
        return []
    return list(
        problem.taskings.select_related("meeting", "owner_officer").order_by(
            "due_date", "pk"
        )
    )


def problem_tasking_choices(*, user: AbstractBaseUser, problem: ProblemProfile):
    """Open taskings that could be linked, newest meetings first."""
    if not user.has_perm("disruption.change_tasking"):
        return Tasking.objects.none()
    return (
        Tasking.objects.filter(
            status__in=[TaskingStatus.OPEN, TaskingStatus.IN_PROGRESS]
        )
        .exclude(problems=problem)
        .select_related("meeting")
        .order_by("-meeting__held_on", "-pk")[:200]
    )


def problem_selection(*, problem: ProblemProfile) -> Selection:
    """The profile's definition as a selection, its period ending on its
    `until` or, when that is empty, today: re-run next quarter, the same
    definition covers the quarter then."""
    until = problem.until or timezone.localdate()
    return Selection(
        since=until - timedelta(days=problem.days - 1),
        until=until,
        area=problem.area,
        point=problem.point,
        radius_m=problem.radius_m if problem.point is not None else None,
        location=problem.location,
        kinds=tuple(problem.kinds),
        tags=tuple(problem.tags),
        include_low_grade=problem.include_low_grade,
    )


@dataclass
class ProblemReport:
    """Every analysis of a problem on its definition, as run now."""

    problem: ProblemProfile
    selection: Selection
    when: WhenGrid
    repeat: RepeatResult
    knox: KnoxResult | None
    knox_refused: str
    change_area_type: str
    change: list[AreaChange]
    actions: list = field(default_factory=list)

    @property
    def records_weighed(self) -> int:
        return self.when.records


def problem_report(
    *, user: AbstractBaseUser, problem: ProblemProfile, permutations: int = 999
) -> ProblemReport:
    selection = problem_selection(problem=problem)
    knox, refused = None, ""
    try:
        knox = knox_run(
            user=user,
            selection=selection,
            settings=KnoxSettings(permutations=permutations),
        )
    except AnalysisRefused as exc:
        refused = str(exc)
    # Period change of the areas of the problem's own area type (wards when
    # the problem is a circle or a premises), on its period's length.
    area_type = problem.area.area_type if problem.area else AreaType.WARD
    change = change_run(
        user=user,
        area_type=area_type,
        periods=ChangePeriods(until=selection.until, days=min(selection.days, 182)),
        kinds=selection.kinds,
        tags=selection.tags,
        include_low_grade=selection.include_low_grade,
    )
    actions = disruption_filter(
        qs=disruption_scope(user=user),
        since=selection.since,
        until=selection.until,
        point=selection.point,
        radius=selection.radius_m,
        area_ids=[selection.area.pk] if selection.area else None,
        location_id=selection.location.pk if selection.location else None,
    ).order_by("-occurred_at")[:50]
    return ProblemReport(
        problem=problem,
        selection=selection,
        when=when_run(user=user, selection=selection),
        repeat=repeat_run(user=user, selection=selection),
        knox=knox,
        knox_refused=refused,
        change_area_type=area_type,
        change=change,
        actions=list(actions),
    )
