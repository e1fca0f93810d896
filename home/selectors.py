"""What a signed-in user's home page shows: what needs them today, read with
the same need-to-know scopes as the pages each panel links to."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from accounts.roles import can_read_map, can_see_hotspots
from disruption.legal import LegalClock, legal_clocks_due_for
from disruption.models import Tasking
from disruption.selectors import tasking_list_open
from intelligence.intake.selectors import submission_list_own
from intelligence.models import IntelligenceRecord
from intelligence.selectors import record_review_queue
from intelligence.triage.selectors import triage_queue
from licensing.models import LicensingPrompt
from licensing.selectors import prompt_list_open
from locations.models import ConcernFlag, ConcernLevel, Location
from notifications.due import REVIEW_WARN_DAYS
from notifications.models import Notification
from notifications.selectors import notification_unread
from safeguarding.selectors import alerts_open_for, masp_queue, safeguarding_can_view

PANEL_ROWS = 10
TASKING_AHEAD_DAYS = 7


@dataclass
class HomePanels:
    today: date
    notifications: list[Notification]
    unread: int
    taskings: list[Tasking]
    flags: list[Location]
    records: list[IntelligenceRecord]
    records_due: int
    clocks: list[LegalClock]
    reads_map: bool
    analysis: bool
    # Submissions awaiting grading (analysts), and the user's own.
    awaiting_grading: list = field(default_factory=list)
    awaiting_count: int = 0
    submissions: list = field(default_factory=list)
    # New intelligence mentions a vehicle the officer licenses: the licence
    # only, never the record (licensing.prompts).
    licence_prompts: list[LicensingPrompt] = field(default_factory=list)
    # Safety-plan alerts addressed to the user, not yet acknowledged.
    safety_alerts: list = field(default_factory=list)
    # Practitioners: the MASP queue's length and interviews due or overdue.
    masp_waiting: int | None = None
    interviews_due: int = 0


def home_taskings(*, user: AbstractBaseUser, today: date) -> QuerySet[Tasking]:
    """Open taskings this officer owns that are overdue or due within a week,
    the most overdue first."""
    return tasking_list_open(qs=Tasking.objects.filter(owner_officer=user)).filter(
        due_date__lte=today + timedelta(days=TASKING_AHEAD_DAYS)
    )


def home_flags(*, user: AbstractBaseUser, today: date) -> QuerySet[Location]:
    """Premises whose current flag this user set, coming due for review."""
    latest = ConcernFlag.objects.filter(location=OuterRef("pk")).order_by(
        "-created_at", "-id"
    )
    return (
        Location.objects.exclude(concern_level=ConcernLevel.NONE)
        .filter(concern_review_date__lte=today + timedelta(days=REVIEW_WARN_DAYS))
        .annotate(flag_owner=Subquery(latest.values("created_by")[:1]))
        .filter(flag_owner=user.pk)
        .order_by("concern_review_date", "id")
    )


def home_panels(*, user: AbstractBaseUser) -> HomePanels:
    today = timezone.localdate()
    unread = notification_unread(user=user)
    reads_map = can_read_map(user)
    reviews = record_review_queue(user=user, today=today)
    awaiting = triage_queue(user=user)
    return HomePanels(
        today=today,
        notifications=list(unread[:PANEL_ROWS]),
        unread=unread.count(),
        taskings=list(home_taskings(user=user, today=today)[:PANEL_ROWS]),
        flags=list(home_flags(user=user, today=today)[:PANEL_ROWS])
        if reads_map
        else [],
        records=list(reviews.only("pk", "reference", "review_date")[:PANEL_ROWS]),
        records_due=reviews.count(),
        clocks=legal_clocks_due_for(user=user)[:PANEL_ROWS],
        reads_map=reads_map,
        analysis=can_see_hotspots(user),
        awaiting_grading=list(awaiting[:PANEL_ROWS]),
        awaiting_count=awaiting.count(),
        submissions=list(submission_list_own(user=user)[:PANEL_ROWS]),
        licence_prompts=list(prompt_list_open(user=user)[:PANEL_ROWS]),
        safety_alerts=list(alerts_open_for(user=user)[:PANEL_ROWS]),
        **_safeguarding_counts(user=user),
    )


def _safeguarding_counts(*, user: AbstractBaseUser) -> dict:
    if not safeguarding_can_view(user=user):
        return {}
    queue = masp_queue(user=user)
    return {
        "masp_waiting": len(queue),
        "interviews_due": sum(
            1 for e in queue if e.interview_state() in ("due", "overdue")
        ),
    }
