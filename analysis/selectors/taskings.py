"""Reads for tasking meetings: open and overdue taskings, and the meeting's
own list."""

from datetime import date

from django.db.models import Exists, OuterRef, QuerySet

from disruption.models import Tasking, TaskingMeeting, TaskingStatus

OPEN_STATUSES = [TaskingStatus.OPEN, TaskingStatus.IN_PROGRESS]


def tasking_list_open(*, qs: QuerySet[Tasking] | None = None) -> QuerySet[Tasking]:
    """Open or in progress, and not carried into a later meeting (the copy
    there stands for it)."""
    qs = Tasking.objects.all() if qs is None else qs
    carried = Tasking.objects.filter(carried_from=OuterRef("pk"))
    return (
        qs.filter(status__in=OPEN_STATUSES)
        .exclude(Exists(carried))
        .select_related("meeting", "target_location", "target_area", "owner_officer")
        .order_by("due_date", "id")
    )


def tasking_is_overdue(*, tasking: Tasking, today: date | None = None) -> bool:
    today = today or date.today()
    return tasking.status in OPEN_STATUSES and tasking.due_date < today


def tasking_list_for_meeting(*, meeting: TaskingMeeting) -> QuerySet[Tasking]:
    return meeting.taskings.select_related(
        "target_location", "target_area", "owner_officer", "carried_from__meeting"
    ).prefetch_related("actions")


def meeting_previous(*, meeting: TaskingMeeting) -> TaskingMeeting | None:
    return (
        TaskingMeeting.objects.filter(group=meeting.group, held_on__lt=meeting.held_on)
        .order_by("-held_on", "-id")
        .first()
    )
