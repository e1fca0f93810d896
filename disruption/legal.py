"""Legal clocks: the powers that run out, the rules checked when they are
entered, and the list of clocks about to run out.

- s.116 hotel information notice (Anti-social Behaviour, Crime and Policing
  Act 2014): issued by an inspector or above; lasts at most six months.
- Closure notice (same Act, ss.76-77): lasts 24 hours, or 48 hours when a
  superintendent or above (police) or the council's chief executive (or their
  designate) authorises it; the court must hear the closure order application
  before it runs out (s.80).
- Child abduction warning notice: a served date and an end date; it lasts at
  most two years.
- Sexual risk order (Sexual Offences Act 2003 s.122A as amended): a served date
  and an end date, at least two years after it is made.
- Licence review (Licensing Act 2003 s.51): 28 days for representations from
  the day the application is made, and the hearing within 20 working days after.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import RANK_ORDER

from .models import ActionType, DisruptionAction
from .selectors import disruption_scope

S116_MAX = relativedelta(months=6)
S116_MIN_RANK = "inspector"
CLOSURE_NOTICE_HOURS = 24
CLOSURE_NOTICE_EXTENDED_HOURS = 48
# Who may authorise the 48-hour closure notice.
CLOSURE_EXTENDED_RANK = "superintendent"
COUNCIL_CHIEF_EXECUTIVE = "council_chief_executive"
CAWN_MAX = relativedelta(years=2)
SRO_MIN = relativedelta(years=2)
LICENCE_REPRESENTATIONS = timedelta(days=28)
LICENCE_HEARING_WORKING_DAYS = 20
WARN_DAYS = 14


def rank_at_least(rank: str, minimum: str) -> bool:
    return rank in RANK_ORDER and RANK_ORDER.index(rank) >= RANK_ORDER.index(minimum)


def closure_notice_max_hours(*, authorising_rank: str) -> int:
    if authorising_rank == COUNCIL_CHIEF_EXECUTIVE or rank_at_least(
        authorising_rank, CLOSURE_EXTENDED_RANK
    ):
        return CLOSURE_NOTICE_EXTENDED_HOURS
    return CLOSURE_NOTICE_HOURS


def add_working_days(start: date, days: int) -> date:
    """Monday to Friday; bank holidays are not known here and so not skipped."""
    current = start
    while days > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            days -= 1
    return current


def licence_review_hearing_due(*, applied_at: datetime) -> datetime:
    representations_end = applied_at + LICENCE_REPRESENTATIONS
    due = add_working_days(representations_end.date(), LICENCE_HEARING_WORKING_DAYS)
    return representations_end.replace(year=due.year, month=due.month, day=due.day)


def legal_validate(*, action: DisruptionAction) -> None:
    """The rules a power carries, checked before it is recorded; each refusal
    says why."""
    errors: dict[str, str] = {}
    kind = action.action_type
    served, ends = action.served_at, action.expires_at
    if kind == ActionType.HOTEL_INFORMATION_NOTICE:
        if not served or not ends:
            errors["expires_at"] = (
                "A s.116 notice needs the date served and its end date."
            )
        elif ends > served + S116_MAX:
            errors["expires_at"] = (
                "A s.116 hotel information notice lasts at most six months: the end "
                f"date must be on or before {(served + S116_MAX):%d %B %Y}."
            )
        if not rank_at_least(action.authorising_rank, S116_MIN_RANK):
            errors["authorising_rank"] = (
                "A s.116 notice must be issued by an inspector or above."
            )
    elif kind == ActionType.CLOSURE_NOTICE:
        hours = closure_notice_max_hours(authorising_rank=action.authorising_rank)
        if not served or not ends:
            errors["expires_at"] = (
                "A closure notice needs the time served and the time it ends."
            )
        elif ends > served + timedelta(hours=hours):
            who = (
                "authorised by a superintendent or the council's chief executive"
                if hours == CLOSURE_NOTICE_EXTENDED_HOURS
                else "unless a superintendent or the council's chief executive "
                "extends it to 48 hours"
            )
            errors["expires_at"] = (
                f"A closure notice lasts at most {hours} hours ({who}): it must end "
                f"by {(served + timedelta(hours=hours)):%d %B %Y %H:%M}."
            )
        if served and ends and action.court_hearing_at:
            if action.court_hearing_at > ends:
                errors["court_hearing_at"] = (
                    "The court must hear the closure order before the notice runs "
                    f"out at {ends:%d %B %Y %H:%M}."
                )
            elif action.court_hearing_at < served:
                errors["court_hearing_at"] = "The hearing cannot be before service."
    elif kind in (ActionType.CAWN, ActionType.SEXUAL_RISK_ORDER):
        name = (
            "A child abduction warning notice"
            if kind == ActionType.CAWN
            else "A sexual risk order"
        )
        if not served or not ends:
            errors["expires_at"] = f"{name} needs the date served and its end date."
        elif kind == ActionType.CAWN and ends > served + CAWN_MAX:
            errors["expires_at"] = (
                "A child abduction warning notice lasts at most two years: the end "
                f"date must be on or before {(served + CAWN_MAX):%d %B %Y}."
            )
        elif kind == ActionType.SEXUAL_RISK_ORDER and ends < served + SRO_MIN:
            errors["expires_at"] = (
                "A sexual risk order lasts at least two years: the end date must be "
                f"on or after {(served + SRO_MIN):%d %B %Y}."
            )
    if errors:
        raise ValidationError(errors)


def legal_fill_defaults(*, action: DisruptionAction) -> None:
    """A licence review's clock is the hearing due date, worked out from the
    day it was applied for when none is given."""
    if action.action_type == ActionType.LICENCE_REVIEW:
        if action.served_at is None:
            action.served_at = action.occurred_at
        if action.expires_at is None and action.served_at is not None:
            action.expires_at = licence_review_hearing_due(applied_at=action.served_at)


POWER_WORDS = {
    ActionType.HOTEL_INFORMATION_NOTICE: "s.116 notice ends",
    ActionType.CLOSURE_NOTICE: "closure notice ends (court must hear the order by then)",
    ActionType.CLOSURE_ORDER: "closure order ends",
    ActionType.CAWN: "CAWN ends",
    ActionType.SEXUAL_RISK_ORDER: "sexual risk order ends",
    ActionType.COMMUNITY_PROTECTION_NOTICE: "community protection notice ends",
    ActionType.LICENCE_REVIEW: "licence review hearing due",
}


@dataclass
class LegalClock:
    action: DisruptionAction
    ends_at: datetime
    what: str
    state: str  # "expired", "due", "running"
    left: timedelta

    @property
    def left_words(self) -> str:
        secs = self.left.total_seconds()
        span = abs(secs)
        text = (
            f"{span / 3600:.0f} hours"
            if span < 2 * 86400
            else f"{span / 86400:.0f} days"
        )
        return f"{text} ago" if secs < 0 else f"in {text}"


def legal_clock_list(
    *,
    qs: QuerySet[DisruptionAction] | None = None,
    now: datetime | None = None,
    warn_days: int = WARN_DAYS,
    horizon_days: int = 90,
    expired_days: int = 7,
) -> list[LegalClock]:
    """Powers that end within horizon_days (or ended in the last expired_days),
    soonest first; 'due' within warn_days, or within a day for the hour-long
    closure notices."""
    now = now or timezone.now()
    qs = DisruptionAction.objects.all() if qs is None else qs
    qs = (
        qs.filter(action_type__in=list(POWER_WORDS), expires_at__isnull=False)
        .filter(
            Q(expires_at__gte=now - timedelta(days=expired_days))
            & Q(expires_at__lte=now + timedelta(days=horizon_days))
        )
        .select_related("location", "officer", "area")
        .order_by("expires_at")
    )
    clocks = []
    for action in qs:
        left = action.expires_at - now
        if left.total_seconds() < 0:
            state = "expired"
        elif left <= timedelta(days=warn_days) or (
            action.action_type == ActionType.CLOSURE_NOTICE
        ):
            state = "due"
        else:
            state = "running"
        clocks.append(
            LegalClock(
                action, action.expires_at, POWER_WORDS[action.action_type], state, left
            )
        )
    return clocks


def legal_clocks_due_for(*, user) -> list[LegalClock]:
    """Clocks about to run out or just run out, for the warning on the map."""
    if not user.has_perm("disruption.view_disruptionaction"):
        return []
    clocks = legal_clock_list(qs=disruption_scope(user=user))
    return [c for c in clocks if c.state != "running"]
