"""Did it work? Before and after a disruption, the weighted displacement
quotient of Bowers and Johnson (2003, J. Quantitative Criminology 19(3)).

A is the target area (within radius_m of the premises), B the buffer around it
(radius_m to buffer_m: where crime could be displaced to) and C the control
area (buffer_m to control_m: far enough not to be touched). Counts are of
records (grade E and source 3 left out unless asked) in the period before the
action and the period of the same length after it.

  success measure  SM  = A1/C1 - A0/C0       (negative: the target improved)
  buffer measure   BM  = B1/C1 - B0/C0
  WDQ              = BM / SM
  total net effect = (A0 C1/C0 - A1) + (B0 C1/C0 - B1)
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from accounts.roles import can_see_hotspots
from common.db.router import read_connection
from disruption.models import DisruptionAction

from .weights import Weighting

DEFAULT_DAYS = 90
DEFAULT_RADIUS_M = 200
DEFAULT_BUFFER_M = 500
DEFAULT_CONTROL_M = 2000


@dataclass
class WDQResult:
    a0: int
    a1: int
    b0: int
    b1: int
    c0: int
    c1: int
    success_measure: float | None = None
    buffer_measure: float | None = None
    wdq: float | None = None
    total_net_effect: float | None = None
    verdict: str = ""


def wdq_compute(*, a0: int, a1: int, b0: int, b1: int, c0: int, c1: int) -> WDQResult:
    result = WDQResult(a0, a1, b0, b1, c0, c1)
    if c0 == 0 or c1 == 0:
        result.verdict = (
            "No records in the control area in one of the periods, so the change "
            "cannot be judged against the background."
        )
        return result
    sm = a1 / c1 - a0 / c0
    bm = b1 / c1 - b0 / c0
    result.success_measure = sm
    result.buffer_measure = bm
    result.total_net_effect = (a0 * c1 / c0 - a1) + (b0 * c1 / c0 - b1)
    if sm >= 0:
        result.verdict = (
            "The target did not improve relative to the control area, so the "
            "displacement quotient does not apply."
        )
        return result
    result.wdq = bm / sm
    if result.wdq > 0:
        result.verdict = (
            "Worked, and the benefit spread to the buffer (diffusion of benefits)."
        )
    elif result.wdq == 0:
        result.verdict = "Worked, with no change in the buffer."
    elif result.wdq > -1:
        result.verdict = (
            "Worked: some displacement into the buffer, but less than the "
            "reduction at the target."
        )
    else:
        result.verdict = (
            "Displacement into the buffer was as large as or larger than the "
            "reduction at the target: no net benefit."
        )
    return result


@dataclass
class WDQSettings:
    at: datetime
    days: int = DEFAULT_DAYS
    radius_m: int = DEFAULT_RADIUS_M
    buffer_m: int = DEFAULT_BUFFER_M
    control_m: int = DEFAULT_CONTROL_M
    weighting: Weighting = field(default_factory=Weighting)

    def describe(self) -> str:
        return (
            f"{self.days} days before and after {self.at:%d %b %Y}; target within "
            f"{self.radius_m} m, buffer {self.radius_m}-{self.buffer_m} m, control "
            f"{self.buffer_m}-{self.control_m} m; grade E and source 3 left out"
        )


def wdq_for_location(*, location_id: int, settings: WDQSettings) -> WDQResult:
    """Counts by ring and period in one query on the stored BNG points."""
    sql = f"""
        WITH l AS (SELECT point_bng AS p FROM locations_location WHERE id = %(loc)s),
        rec AS (
            SELECT ST_Distance(r.point_bng, l.p) AS d,
                   r.occurred_from >= %(at)s AS after
            FROM intelligence_intelligencerecord r, l
            WHERE ST_DWithin(r.point_bng, l.p, %(control)s)
              AND r.occurred_from >= %(start)s AND r.occurred_from < %(end)s
              AND {settings.weighting.filter_sql()}
        )
        SELECT
          count(*) FILTER (WHERE NOT after AND d <= %(radius)s),
          count(*) FILTER (WHERE after AND d <= %(radius)s),
          count(*) FILTER (WHERE NOT after AND d > %(radius)s AND d <= %(buffer)s),
          count(*) FILTER (WHERE after AND d > %(radius)s AND d <= %(buffer)s),
          count(*) FILTER (WHERE NOT after AND d > %(buffer)s),
          count(*) FILTER (WHERE after AND d > %(buffer)s)
        FROM rec
    """
    span = timedelta(days=settings.days)
    with read_connection().cursor() as cur:
        cur.execute(
            sql,
            {
                "loc": location_id,
                "at": settings.at,
                "start": settings.at - span,
                "end": settings.at + span,
                "radius": settings.radius_m,
                "buffer": settings.buffer_m,
                "control": settings.control_m,
            },
        )
        a0, a1, b0, b1, c0, c1 = cur.fetchone()
    return wdq_compute(a0=a0, a1=a1, b0=b0, b1=b1, c0=c0, c1=c1)


def wdq_actions_at(*, location) -> QuerySet[DisruptionAction]:
    """The disruption at the premises, latest first: what an evaluation can
    be made of."""
    return DisruptionAction.objects.filter(location=location).order_by("-occurred_at")


def wdq_default_at(*, location, days: int = 90):
    """The latest disruption at the premises whose after-period is over, else
    the latest at all, else today."""
    actions = wdq_actions_at(location=location)
    done = actions.filter(occurred_at__lte=timezone.now() - timedelta(days=days))
    last = done.first() or actions.first()
    return last.occurred_at if last else timezone.now()


def wdq_latest_for_location(*, user, location) -> dict | None:
    """Before and after the latest disruption at a location (see
    wdq_default_at), for the roles that see analysis; None when there is
    nothing to compare, the role may not, or the location is shown on the
    grid (its rings would give its position away)."""
    if location.position_approximate or not can_see_hotspots(user):
        return None
    if not location.disruption_actions.exists():
        return None
    settings = WDQSettings(at=wdq_default_at(location=location))
    return {
        "settings": settings,
        "result": wdq_for_location(location_id=location.pk, settings=settings),
    }
