"""Every write to disruption actions, tasking meetings and taskings."""

from datetime import date, datetime

from dateutil.relativedelta import relativedelta
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import RANK_ORDER, Agency

from .checklists import disruption_validate_checklist
from .models import (
    ActionType,
    DisruptionAction,
    Tasking,
    TaskingMeeting,
    TaskingStatus,
)

# A s.116 hotel information notice lasts at most six months and is issued by
# an inspector or above (Anti-social Behaviour, Crime and Policing Act 2014).
S116_MAX = relativedelta(months=6)
S116_MIN_RANK = "inspector"


def _rank_at_least(rank: str, minimum: str) -> bool:
    return rank in RANK_ORDER and RANK_ORDER.index(rank) >= RANK_ORDER.index(minimum)


def disruption_validate_legal(*, action: DisruptionAction) -> None:
    """The rules a power carries, checked before it is recorded."""
    errors: dict[str, str] = {}
    if action.action_type == ActionType.HOTEL_INFORMATION_NOTICE:
        if not action.served_at or not action.expires_at:
            errors["expires_at"] = (
                "A s.116 notice needs the date served and its end date."
            )
        elif action.expires_at > action.served_at + S116_MAX:
            errors["expires_at"] = (
                "A s.116 hotel information notice lasts at most six months: the end "
                f"date must be on or before {(action.served_at + S116_MAX):%d %B %Y}."
            )
        if not _rank_at_least(action.authorising_rank, S116_MIN_RANK):
            errors["authorising_rank"] = (
                "A s.116 notice must be issued by an inspector or above."
            )
    if errors:
        raise ValidationError(errors)


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
    return tasking


@transaction.atomic
def tasking_progress(*, tasking: Tasking) -> Tasking:
    """An action answering an open tasking moves it to in progress."""
    if tasking.status == TaskingStatus.OPEN:
        tasking.status = TaskingStatus.IN_PROGRESS
        tasking.save(update_fields=["status"])
    return tasking


@transaction.atomic
def tasking_close(*, tasking: Tasking, status: str = TaskingStatus.DONE) -> Tasking:
    if status not in (TaskingStatus.DONE, TaskingStatus.CANCELLED):
        raise ValidationError({"status": "A tasking closes as done or cancelled."})
    tasking.status = status
    tasking.closed_at = timezone.now()
    tasking.full_clean()
    tasking.save(update_fields=["status", "closed_at"])
    return tasking
