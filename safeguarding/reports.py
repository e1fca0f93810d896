"""The partnership's questions, answered from data (issue 16, section 5):
counts only, every count under 3 suppressed and nothing that identifies a
child. Analysts, practitioners and administrators read them
(safeguarding.view_safeguarding_aggregates)."""

import math
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Exists, OuterRef
from django.db.models.functions import TruncMonth
from django.utils import timezone

from intelligence.selectors import SMALL_COUNT, count_is_small
from locations.models import Area, Category
from people.models import Link, LinkType, ScreeningOutcome, SubjectKind

from .models import (
    CaseAction,
    Intervention,
    MaspReview,
    Panel,
    PanelCase,
    ReturnInterview,
    Screening,
    ScreeningAnswer,
)
from .selectors import RETURN_INTERVIEW_HOURS, _episode_links, returned_at

SUPPRESSED = f"<{SMALL_COUNT}"
Z_95 = 1.959964


def suppress(n: int) -> int | str:
    """A count as shown: under 3 (but not 0) becomes "<3"."""
    return SUPPRESSED if count_is_small(n) else n


def wilson_interval(k: int, n: int, z: float = Z_95) -> tuple[float, float]:
    """Wilson's score interval for a proportion k/n (95% by default): sound
    for small n and for shares near 0 or 1, where the normal one is not."""
    if n == 0:
        return (0.0, 0.0)
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return (max(0.0, centre - half), min(1.0, centre + half))


@dataclass
class AbsenceRow:
    outcome: str
    label: str
    screened: int | str
    absent: int | str
    share: float | None
    low: float | None
    high: float | None


def absence_by_outcome() -> list[AbsenceRow]:
    """For screened young people (each child's latest screening): the share
    with persistent school absence present, by outcome, with its Wilson
    interval. A row whose counts are under 3 shows neither share nor
    interval (they would give the count back)."""
    latest = (
        Screening.objects.filter(subject__kind=SubjectKind.YOUNG_PERSON)
        .order_by("subject_id", "-screened_at", "-id")
        .distinct("subject_id")
    )
    absent = ScreeningAnswer.objects.filter(
        screening=OuterRef("pk"),
        indicator__persistent_absence=True,
        presence="present",
    )
    rows = (
        Screening.objects.filter(pk__in=latest.values("pk"))
        .annotate(absent=Exists(absent))
        .values_list("outcome", "absent")
    )
    counts = Counter(rows)
    out = []
    for outcome in ScreeningOutcome:
        k = counts[(outcome.value, True)]
        n = k + counts[(outcome.value, False)]
        shown = n >= SMALL_COUNT and (k == 0 or k >= SMALL_COUNT)
        low, high = wilson_interval(k, n) if shown else (None, None)
        out.append(
            AbsenceRow(
                outcome=outcome.value,
                label=outcome.label,
                screened=suppress(n),
                absent=suppress(k),
                share=k / n if shown and n else None,
                low=low,
                high=high,
            )
        )
    return out


@dataclass
class PlacementRow:
    ward: str
    children: int | str
    episodes: int | str
    at_risk: int | str


def supported_accommodation() -> list[PlacementRow]:
    """Young people living in children's homes or supported accommodation,
    by the ward the home is in (never the home): children placed, their
    missing episodes, and how many were last screened at or above 'at
    risk'."""
    resides = Link.objects.filter(
        link_type=LinkType.RESIDES,
        subject__kind=SubjectKind.YOUNG_PERSON,
        location__category=Category.CHILDRENS_HOME,
    ).values_list("subject_id", "location__area_ids", "subject__screening_outcome")
    wards = dict(Area.objects.filter(area_type="ward").values_list("id", "name"))
    children: dict[str, set] = defaultdict(set)
    risky: dict[str, set] = defaultdict(set)
    ward_of: dict[int, str] = {}
    for subject_id, area_ids, outcome in resides:
        ward = next((wards[a] for a in area_ids or [] if a in wards), "Not known")
        children[ward].add(subject_id)
        ward_of[subject_id] = ward
        if outcome in (ScreeningOutcome.AT_RISK, ScreeningOutcome.SIGNIFICANT_RISK):
            risky[ward].add(subject_id)
    episodes = Counter(
        ward_of[s]
        for s in _episode_links(subject_ids=list(ward_of)).values_list(
            "subject_id", flat=True
        )
    )
    return [
        PlacementRow(
            ward=ward,
            children=suppress(len(ids)),
            episodes=suppress(episodes[ward]),
            at_risk=suppress(len(risky[ward])),
        )
        for ward, ids in sorted(children.items())
    ]


@dataclass
class MonthRow:
    month: date
    screenings: dict
    cmog_triaged: int | str
    cmog_intervention: int | str
    masp_reviewed: int | str
    interviews: int | str
    within_72h_share: float | None
    median_hours: float | None
    perpetrator_cases: int | str
    perpetrator_interventions: int | str


def _by_month(qs, field: str) -> Counter:
    return Counter(
        qs.annotate(m=TruncMonth(field)).values_list("m", flat=True).iterator()
    )


def board_figures(*, months: int = 12, today: date | None = None) -> list[MonthRow]:
    """The safeguarding board's performance figures, month by month."""
    today = today or timezone.localdate()
    first = (today.replace(day=1) - timedelta(days=31 * (months - 1))).replace(day=1)
    since = timezone.make_aware(
        timezone.datetime.combine(first, timezone.datetime.min.time())
    )

    def month_key(value) -> date:
        return timezone.localtime(value).date().replace(day=1) if value else None

    screenings: dict[date, Counter] = defaultdict(Counter)
    for at, outcome in Screening.objects.filter(screened_at__gte=since).values_list(
        "screened_at", "outcome"
    ):
        screenings[month_key(at)][outcome] += 1
    cmog = PanelCase.objects.filter(panel=Panel.CMOG, opened_at__gte=since)
    triaged = Counter(month_key(v) for v in cmog.values_list("opened_at", flat=True))
    intervention = Counter(
        month_key(v)
        for v in cmog.filter(intervention=True).values_list("opened_at", flat=True)
    )
    reviewed = Counter(
        month_key(v)
        for v in MaspReview.objects.filter(decided_at__gte=since).values_list(
            "decided_at", flat=True
        )
    )
    hours: dict[date, list[float]] = defaultdict(list)
    for interview in ReturnInterview.objects.filter(held_at__gte=since).select_related(
        "record"
    ):
        back = returned_at(interview.record)
        if back is not None:
            taken = (interview.held_at - back).total_seconds() / 3600
            hours[month_key(interview.held_at)].append(taken)
    perp = PanelCase.objects.filter(panel=Panel.PERPETRATOR, opened_at__gte=since)
    perp_cases = Counter(month_key(v) for v in perp.values_list("opened_at", flat=True))
    civil = Counter(
        month_key(v)
        for v in CaseAction.objects.filter(
            case__panel=Panel.PERPETRATOR, created_at__gte=since
        )
        .exclude(intervention=Intervention.ACTION)
        .values_list("created_at", flat=True)
    )
    rows = []
    month = first
    while month <= today:
        taken = hours.get(month, [])
        within = sum(1 for h in taken if h <= RETURN_INTERVIEW_HOURS)
        shown = len(taken) >= SMALL_COUNT
        rows.append(
            MonthRow(
                month=month,
                screenings={
                    o.value: suppress(screenings[month][o.value])
                    for o in ScreeningOutcome
                },
                cmog_triaged=suppress(triaged[month]),
                cmog_intervention=suppress(intervention[month]),
                masp_reviewed=suppress(reviewed[month]),
                interviews=suppress(len(taken)),
                within_72h_share=within / len(taken) if shown else None,
                median_hours=statistics.median(taken) if shown else None,
                perpetrator_cases=suppress(perp_cases[month]),
                perpetrator_interventions=suppress(civil[month]),
            )
        )
        month = (month + timedelta(days=32)).replace(day=1)
    return rows
