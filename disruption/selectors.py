"""Every read of disruption actions, tasking meetings and taskings."""

from collections.abc import Iterable
from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.contrib.gis.geos import GEOSGeometry, Point
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from common.params import (
    period_bounds,
)
from common.placement import placement_annotate, placement_filter
from locations.models import RESTRICTED_CATEGORIES

from .checklists import CHECKLISTS, SECTOR_FOR_CATEGORY
from .models import (
    TASKING_OPEN_STATUSES,
    ActionType,
    DisruptionAction,
    Tasking,
    TaskingMeeting,
)


def disruption_scope(*, user: AbstractBaseUser) -> QuerySet[DisruptionAction]:
    """The actions a user may read: none without the permission, only their own
    agency's for roles limited to it (licensing)."""
    if not user.has_perm("disruption.view_disruptionaction"):
        return DisruptionAction.objects.none()
    # Actions at restricted locations are placed as their location is.
    qs = placement_annotate(
        qs=DisruptionAction.objects.select_related("location", "officer"),
        user=user,
        restricted=Q(location__category__in=sorted(RESTRICTED_CATEGORIES)),
    )
    if user.has_perm("disruption.view_own_agency_only") and not user.is_superuser:
        profile = getattr(user, "profile", None)
        if profile is None:
            return DisruptionAction.objects.none()
        qs = qs.filter(agency=profile.agency)
    return qs


def disruption_filter(
    *,
    qs: QuerySet[DisruptionAction],
    since: date | None = None,
    until: date | None = None,
    bbox: GEOSGeometry | None = None,
    point: Point | None = None,
    radius: int | None = None,
    polygon: GEOSGeometry | None = None,
    area_ids: list[int] | None = None,
    location_id: int | None = None,
) -> QuerySet[DisruptionAction]:
    if since and until:
        start, end = period_bounds(since=since, until=until)
        qs = qs.filter(occurred_at__gte=start, occurred_at__lt=end)
    qs = placement_filter(
        qs=qs,
        bbox=bbox,
        point=point,
        radius_m=radius,
        polygon=polygon,
        area_ids=area_ids,
    )
    if location_id is not None:
        qs = qs.filter(location_id=location_id)
    return qs


def disruption_history(
    *, user: AbstractBaseUser, location
) -> QuerySet[DisruptionAction]:
    return (
        disruption_scope(user=user).filter(location=location).order_by("-occurred_at")
    )


# The location page lists this many actions; the register holds the rest.
LOCATION_ACTIONS_SHOWN = 100
SIGN_LABELS = {key: label for items in CHECKLISTS.values() for key, label in items}


def disruption_history_labelled(
    *, user: AbstractBaseUser, location, limit: int = LOCATION_ACTIONS_SHOWN
) -> list[DisruptionAction]:
    """The latest actions at a location this user may read, each with
    `sign_labels`: its checklist's warning signs in words."""
    actions = list(disruption_history(user=user, location=location)[:limit])
    for action in actions:
        action.sign_labels = [SIGN_LABELS.get(key, key) for key in action.checklist]
    return actions


def disruption_log_initial(*, location) -> dict:
    """What the visit form on a location's page starts as: an awareness
    visit, on the checklist of the premises' sector (none for other places)."""
    return {
        "sector": SECTOR_FOR_CATEGORY.get(location.category, ""),
        "action_type": ActionType.AWARENESS_VISIT,
    }


def tasking_is_open(*, tasking: Tasking) -> bool:
    return tasking.status in TASKING_OPEN_STATUSES


def tasking_with_targets(*, qs: QuerySet[Tasking] | None = None) -> QuerySet[Tasking]:
    """Taskings with their meeting, target and officer, as lists show them."""
    qs = Tasking.objects.all() if qs is None else qs
    return qs.select_related(
        "meeting", "target_location", "target_area", "owner_officer"
    )


def tasking_list_open(*, qs: QuerySet[Tasking] | None = None) -> QuerySet[Tasking]:
    """Open or in progress, and not carried into a later meeting (the copy
    there stands for it)."""
    qs = Tasking.objects.all() if qs is None else qs
    carried = Tasking.objects.filter(carried_from=OuterRef("pk"))
    return tasking_with_targets(
        qs=qs.filter(status__in=TASKING_OPEN_STATUSES).exclude(Exists(carried))
    ).order_by("due_date", "id")


def tasking_is_overdue(*, tasking: Tasking, today: date | None = None) -> bool:
    today = today or date.today()
    return tasking_is_open(tasking=tasking) and tasking.due_date < today


def tasking_list_marked_overdue(
    *, taskings: Iterable[Tasking], today: date
) -> list[Tasking]:
    """The taskings, each with `overdue` set (tasking_is_overdue)."""
    taskings = list(taskings)
    for t in taskings:
        t.overdue = tasking_is_overdue(tasking=t, today=today)
    return taskings


def tasking_actions(*, tasking: Tasking) -> QuerySet[DisruptionAction]:
    """The actions answering a tasking, oldest first."""
    return tasking.actions.select_related("officer").order_by("occurred_at")


def meeting_list_with_chair() -> QuerySet[TaskingMeeting]:
    """Tasking meetings, newest first, with their chairs."""
    return TaskingMeeting.objects.select_related("chair")


def tasking_list_for_meeting(*, meeting: TaskingMeeting) -> QuerySet[Tasking]:
    return meeting.taskings.select_related(
        "target_location", "target_area", "owner_officer", "carried_from__meeting"
    ).prefetch_related("actions")


def tasking_lists_for_meeting(
    *, meeting: TaskingMeeting
) -> tuple[list[Tasking], list[Tasking]]:
    """The meeting's taskings, and the group's earlier ones still open; each
    marked overdue or not."""
    taskings = list(tasking_list_for_meeting(meeting=meeting))
    open_elsewhere = list(
        tasking_list_open().filter(
            meeting__group=meeting.group, meeting__held_on__lt=meeting.held_on
        )
    )
    today = timezone.localdate()
    tasking_list_marked_overdue(taskings=taskings + open_elsewhere, today=today)
    return taskings, open_elsewhere


def meeting_previous(*, meeting: TaskingMeeting) -> TaskingMeeting | None:
    """The group's meeting before this one."""
    return (
        TaskingMeeting.objects.filter(group=meeting.group, held_on__lt=meeting.held_on)
        .order_by("-held_on", "-id")
        .first()
    )
