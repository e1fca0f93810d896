"""Every write to disruption actions, tasking meetings and taskings."""

from datetime import date, datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.contrib.gis.geos import GEOSGeometry
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from accounts.models import Agency
from common.versions import version_check
from locations.triggers import PROJECTED_SRID
from notifications.models import Notification, NotificationKind
from notifications.services import day_end, notification_send

from .checklists import disruption_validate_checklist
from .legal import legal_fill_defaults, legal_validate
from .models import (
    TASKING_CLOSED_STATUSES,
    TASKING_OPEN_STATUSES,
    DisruptionAction,
    Tasking,
    TaskingMeeting,
    TaskingStatus,
)
from .selectors import meeting_previous, tasking_is_open


def disruption_validate_legal(*, action: DisruptionAction) -> None:
    """The rules a power carries (disruption/legal.py), checked before it is
    recorded."""
    legal_validate(action=action)


@transaction.atomic
def disruption_log(
    *,
    action_type: str,
    outcome: str,
    occurred_at: datetime,
    officer: AbstractBaseUser | None = None,
    agency: str | None = None,
    location=None,
    point=None,
    area=None,
    **fields,
) -> DisruptionAction:
    """Record a disruption action. At a location, the location's point is
    copied onto the action so that it maps and counts by area."""
    if agency is None:
        profile = getattr(officer, "profile", None)
        agency = profile.agency if profile else Agency.OTHER
    if location is not None and point is None:
        point = location.point
    action = DisruptionAction(
        action_type=action_type,
        outcome=outcome,
        occurred_at=occurred_at,
        officer=officer,
        agency=agency,
        location=location,
        point=point,
        area=area,
        **fields,
    )
    legal_fill_defaults(action=action)
    # The legal rules first, so an officer reads why (not a constraint's name).
    action.full_clean(validate_constraints=False)
    disruption_validate_checklist(action=action)
    disruption_validate_legal(action=action)
    action.validate_constraints()
    action.save()
    if action.tasking_id:
        tasking_progress(tasking=action.tasking)
    return action


@transaction.atomic
def meeting_create(
    *, group: str, held_on: date, chair=None, notes: str = ""
) -> TaskingMeeting:
    meeting = TaskingMeeting(group=group, held_on=held_on, chair=chair, notes=notes)
    meeting.full_clean()
    meeting.save()
    return meeting


@transaction.atomic
def tasking_create(*, meeting: TaskingMeeting, **fields) -> Tasking:
    tasking = Tasking(meeting=meeting, **fields)
    tasking.full_clean()
    tasking.save()
    if tasking.carried_from_id is None:
        # A carried copy is the same work the officer was already given.
        notification_tasking_assigned(tasking=tasking)
    return tasking


@transaction.atomic
def tasking_progress(*, tasking: Tasking) -> Tasking:
    """An action answering an open tasking moves it to in progress."""
    if tasking.status == TaskingStatus.OPEN:
        tasking.status = TaskingStatus.IN_PROGRESS
        tasking.version = F("version") + 1
        tasking.save(update_fields=["status", "version"])
        tasking.refresh_from_db(fields=["version"])
    return tasking


@transaction.atomic
def tasking_close(
    *, tasking: Tasking, status: str = TaskingStatus.DONE, version: int | None = None
) -> Tasking:
    """Close a tasking, and the earlier meetings' copies it was carried from.

    Given the version the officer's page showed, a tasking changed since then
    (closed or cancelled by someone else) is refused with StaleEdit."""
    if status not in TASKING_CLOSED_STATUSES:
        raise ValidationError({"status": "A tasking closes as done or cancelled."})
    if version is not None:
        version_check(model=Tasking, pk=tasking.pk, seen=version, what="tasking")
    now = timezone.now()
    current: Tasking | None = tasking
    seen: set[int] = set()
    while current is not None and current.pk not in seen:
        seen.add(current.pk)
        if tasking_is_open(tasking=current):
            current.status = status
            current.closed_at = now
            current.full_clean()
            current.version = F("version") + 1
            current.save(update_fields=["status", "closed_at", "version"])
            current.refresh_from_db(fields=["version"])
        current = current.carried_from
    return tasking


@transaction.atomic
def meeting_carry_open_taskings(*, meeting: TaskingMeeting) -> list[Tasking]:
    """Bring the taskings still open at the group's last meeting into this one.

    Each is copied with carried_from pointing at the earlier one; closing the
    copy closes the chain (tasking_close)."""
    previous = meeting_previous(meeting=meeting)
    if previous is None:
        return []
    already = set(
        meeting.taskings.exclude(carried_from=None).values_list(
            "carried_from_id", flat=True
        )
    )
    carried = []
    for old in previous.taskings.filter(status__in=TASKING_OPEN_STATUSES).exclude(
        pk__in=already
    ):
        carried.append(
            tasking_create(
                meeting=meeting,
                target_location=old.target_location,
                target_area=old.target_area,
                target_point=old.target_point,
                target_description=old.target_description,
                reason=old.reason,
                priority=old.priority,
                owner_agency=old.owner_agency,
                owner_officer=old.owner_officer,
                due_date=old.due_date,
                status=old.status,
                carried_from=old,
            )
        )
    return carried


@transaction.atomic
def meeting_open(
    *, group: str, held_on: date, chair=None, notes: str = ""
) -> tuple[TaskingMeeting, list[Tasking]]:
    """A new meeting, with the taskings still open from the group's last one."""
    meeting = meeting_create(group=group, held_on=held_on, chair=chair, notes=notes)
    return meeting, meeting_carry_open_taskings(meeting=meeting)


# A tasking set at a meeting is due, unless the meeting says otherwise, this
# many days after it: in time for the group's next meeting but one.
TASKING_DUE_DAYS = 14


def tasking_due_default(*, meeting: TaskingMeeting) -> date:
    return meeting.held_on + timedelta(days=TASKING_DUE_DAYS)


def cell_centre_wgs84(*, x0: float, y0: float, cell_m: int) -> GEOSGeometry:
    """The centre of a British National Grid cell as a WGS84 point, transformed
    in PostGIS."""
    with connection.cursor() as cur:
        cur.execute(
            "SELECT ST_AsEWKT(ST_Transform(ST_SetSRID(ST_MakePoint(%s, %s), %s), 4326))",
            [x0 + cell_m / 2, y0 + cell_m / 2, PROJECTED_SRID],
        )
        return GEOSGeometry(cur.fetchone()[0])


@transaction.atomic
def tasking_create_for_location(
    *, meeting: TaskingMeeting, location, **fields
) -> Tasking:
    """Task a place: it is the target, and its name describes it."""
    return tasking_create(
        meeting=meeting,
        target_location=location,
        target_description=location.name,
        **fields,
    )


@transaction.atomic
def tasking_create_for_cell(
    *, meeting: TaskingMeeting, x0: float, y0: float, cell_m: int, **fields
) -> Tasking:
    """Task a hot-spot grid cell: its centre is the target point."""
    if cell_m <= 0:
        raise ValidationError({"cell": "The cell size must be positive."})
    fields.setdefault(
        "target_description",
        f"{cell_m} m grid cell at E {x0:.0f} N {y0:.0f} (British National Grid)",
    )
    return tasking_create(
        meeting=meeting,
        target_point=cell_centre_wgs84(x0=x0, y0=y0, cell_m=cell_m),
        **fields,
    )


@transaction.atomic
def tasking_answer(
    *, tasking: Tasking, completes: bool = False, **action_fields
) -> DisruptionAction:
    """Log the action that answers a tasking, at its target; when it completes
    the tasking, the tasking (and the copies it was carried from) is done."""
    if not tasking_is_open(tasking=tasking):
        raise ValidationError("This tasking is already closed.")
    if tasking.target_location_id:
        action_fields.setdefault("location", tasking.target_location)
    elif tasking.target_point is not None:
        action_fields.setdefault("point", tasking.target_point)
    else:
        action_fields.setdefault("area", tasking.target_area)
    action = disruption_log(tasking=tasking, **action_fields)
    if completes:
        tasking.refresh_from_db()
        tasking_close(tasking=tasking)
    return action


def notification_tasking_assigned(*, tasking: Tasking) -> Notification | None:
    """A tasking given to an officer reaches them at once. Keyed by the
    officer, so giving it to someone else notifies the new owner."""
    officer = tasking.owner_officer
    if officer is None:
        return None
    target = (
        tasking.target_location or tasking.target_area or tasking.target_description
    )
    return notification_send(
        user=officer,
        kind=NotificationKind.TASKING_ASSIGNED,
        key=f"tasking:{tasking.pk}:{officer.pk}",
        title=(
            f"Tasking for you ({tasking.get_priority_display().lower()} priority): "
            f"{target or 'a point'}, due {tasking.due_date:%d %b %Y}"
        ),
        url=reverse("analysis:tasking", args=[tasking.pk]),
        due_at=day_end(tasking.due_date),
    )
