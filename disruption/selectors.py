"""Every read of disruption actions, tasking meetings and taskings."""

from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.contrib.gis.geos import GEOSGeometry, Point
from django.db.models import Exists, OuterRef, Q, QuerySet

from common.params import (
    period_bounds,
)
from common.placement import placement_annotate, placement_filter
from locations.models import RESTRICTED_CATEGORIES

from .checklists import CHECKLISTS
from .models import (
    TASKING_OPEN_STATUSES,
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


def tasking_is_open(*, tasking: Tasking) -> bool:
    return tasking.status in TASKING_OPEN_STATUSES


def tasking_list_open(*, qs: QuerySet[Tasking] | None = None) -> QuerySet[Tasking]:
    """Open or in progress, and not carried into a later meeting (the copy
    there stands for it)."""
    qs = Tasking.objects.all() if qs is None else qs
    carried = Tasking.objects.filter(carried_from=OuterRef("pk"))
    return (
        qs.filter(status__in=TASKING_OPEN_STATUSES)
        .exclude(Exists(carried))
        .select_related("meeting", "target_location", "target_area", "owner_officer")
        .order_by("due_date", "id")
    )


def tasking_is_overdue(*, tasking: Tasking, today: date | None = None) -> bool:
    today = today or date.today()
    return tasking_is_open(tasking=tasking) and tasking.due_date < today


def tasking_list_for_meeting(*, meeting: TaskingMeeting) -> QuerySet[Tasking]:
    return meeting.taskings.select_related(
        "target_location", "target_area", "owner_officer", "carried_from__meeting"
    ).prefetch_related("actions")


def meeting_previous(*, meeting: TaskingMeeting) -> TaskingMeeting | None:
    """The group's meeting before this one."""
    return (
        TaskingMeeting.objects.filter(group=meeting.group, held_on__lt=meeting.held_on)
        .order_by("-held_on", "-id")
        .first()
    )
