"""Ranked hot spots: locations and areas scored by recent, well-graded
intelligence and missing episodes, each score explained in words and numbers."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from common.db.router import read_connection
from disruption.models import TASKING_OPEN_STATUSES, ActionType
from intelligence.grading import well_graded_sql
from locations.models import RESTRICTED_CATEGORIES, Category
from safeguarding.concern import PROTECTIVE_CONCERN_FACTOR, screening_named_sql

from .weights import Weighting

DEFAULT_RADIUS_M = 200
# ('open', 'in_progress'): the statuses of a tasking still to be worked.
_OPEN_TASKING_SQL = "(" + ", ".join(f"'{s.value}'" for s in TASKING_OPEN_STATUSES) + ")"
MAX_RADIUS_M = 2000


@dataclass
class LocationHotspot:
    rank: int
    location_id: int
    name: str
    category: str
    concern_level: str
    score: float
    reports: int
    well_graded: int
    missing: int
    missing_found: int
    missing_last_seen: int
    last_record_at: datetime | None
    last_action_at: datetime | None
    last_action_type: str
    actions_in_period: int
    open_taskings: int
    x: float
    y: float
    explanation: str = ""
    done: str = ""
    # CSE screenings in the period that named the place (safeguarding).
    screenings: int = 0

    @property
    def category_label(self) -> str:
        return Category(self.category).label if self.category in Category else ""


@dataclass
class AreaHotspot:
    rank: int
    area_id: int
    name: str
    code: str
    score: float
    reports: int
    well_graded: int
    missing: int
    actions_in_period: int
    explanation: str = ""


@dataclass
class HotspotSettings:
    start: datetime
    end: datetime
    radius_m: int = DEFAULT_RADIUS_M
    weighting: Weighting = field(default_factory=Weighting)

    @property
    def days(self) -> int:
        return round((self.end - self.start) / timedelta(days=1))

    def describe(self) -> str:
        return (
            f"period {self.start:%d %b %Y} to {self.end:%d %b %Y} ({self.days} days); "
            f"records within {self.radius_m} m of a location; "
            + self.weighting.describe()
        )


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def hotspot_explain(*, spot: LocationHotspot, settings: HotspotSettings) -> str:
    """'7 reports in the last 28 days, 5 graded 2B or better; 2 missing
    episodes found within 200 m; last disruption 41 days ago'."""
    parts = [
        f"{_plural(spot.reports, 'report')} in the last {settings.days} days, "
        f"{spot.well_graded} graded 2B or better"
    ]
    if spot.missing:
        where = []
        if spot.missing_found:
            where.append(f"{spot.missing_found} found")
        if spot.missing_last_seen:
            where.append(f"{spot.missing_last_seen} last seen")
        parts.append(
            f"{_plural(spot.missing, 'missing episode')} ({', '.join(where)}) "
            f"within {settings.radius_m} m"
        )
    else:
        parts.append(f"no missing episodes within {settings.radius_m} m")
    if spot.last_action_at:
        days = (settings.end - spot.last_action_at).days
        parts.append(f"last disruption {_plural(max(days, 0), 'day')} ago")
    else:
        parts.append("no disruption recorded")
    if spot.screenings:
        parts.append(
            f"named in {_plural(spot.screenings, 'CSE screening')}: a protective "
            f"concern (score x{PROTECTIVE_CONCERN_FACTOR:g})"
        )
    return "; ".join(parts) + f" (score {spot.score:.1f})"


def _done_text(spot: LocationHotspot) -> str:
    bits = []
    if spot.actions_in_period:
        bits.append(f"{_plural(spot.actions_in_period, 'action')} in the period")
    if spot.last_action_type:
        bits.append(f"latest: {spot.last_action_type}")
    if spot.open_taskings:
        bits.append(f"{_plural(spot.open_taskings, 'open tasking')}")
    return "; ".join(bits) or "nothing recorded yet"


def _records_cte(settings: HotspotSettings) -> str:
    w = settings.weighting
    return f"""
        rec AS (
            SELECT r.id, r.kind, r.missing_point, r.point_bng, r.occurred_from,
                   r.area_ids,
                   {w.grade_sql()} * {w.age_sql(as_of="%(end)s")}
                       AS w,
                   {well_graded_sql()} AS good
            FROM intelligence_intelligencerecord r
            WHERE r.occurred_from >= %(start)s AND r.occurred_from < %(end)s
              AND r.kind = ANY(%(kinds)s) AND r.point_bng IS NOT NULL
              AND {w.filter_sql()}
        )"""


def hotspot_location_list(
    *,
    settings: HotspotSettings,
    limit: int = 20,
    include_restricted: bool = False,
    area_id: int | None = None,
) -> list[LocationHotspot]:
    """Locations ranked by the weighted sum of records within the radius."""
    restricted = [] if include_restricted else [str(c) for c in RESTRICTED_CATEGORIES]
    sql = f"""
        WITH {_records_cte(settings)},
        scored AS (
            SELECT l.id,
                   sum(rec.w) AS score,
                   count(*) FILTER (WHERE rec.kind <> 'missing') AS reports,
                   count(*) FILTER (WHERE rec.kind <> 'missing' AND rec.good)
                       AS well_graded,
                   count(*) FILTER (WHERE rec.kind = 'missing') AS missing,
                   count(*) FILTER (WHERE rec.kind = 'missing'
                                    AND rec.missing_point = 'found') AS found,
                   count(*) FILTER (WHERE rec.kind = 'missing'
                                    AND rec.missing_point = 'last_seen') AS last_seen,
                   max(rec.occurred_from) AS last_record_at
            FROM locations_location l
            JOIN rec ON ST_DWithin(l.point_bng, rec.point_bng, %(radius)s)
            WHERE NOT (l.category = ANY(%(restricted)s))
              AND (%(area)s::bigint IS NULL OR l.area_ids @> ARRAY[%(area)s::bigint])
            GROUP BY l.id
        ),
        named AS ({screening_named_sql()})
        SELECT s.*, l.name, l.category, l.concern_level,
               ST_X(l.point_bng), ST_Y(l.point_bng),
               la.occurred_at, la.action_type,
               (SELECT count(*) FROM disruption_disruptionaction a
                 WHERE a.location_id = l.id AND a.occurred_at >= %(start)s
                   AND a.occurred_at < %(end)s),
               (SELECT count(*) FROM disruption_tasking t
                 WHERE t.target_location_id = l.id
                   AND t.status IN {_OPEN_TASKING_SQL}),
               coalesce(named.n, 0),
               s.score * CASE WHEN named.n > 0 THEN %(protective)s ELSE 1 END
                   AS weighted
        FROM scored s JOIN locations_location l ON l.id = s.id
        LEFT JOIN named ON named.location_id = l.id
        LEFT JOIN LATERAL (
            SELECT a.occurred_at, a.action_type FROM disruption_disruptionaction a
            WHERE a.location_id = l.id AND a.occurred_at < %(end)s
            ORDER BY a.occurred_at DESC LIMIT 1
        ) la ON TRUE
        WHERE s.score > 0
        ORDER BY weighted DESC, l.name
        LIMIT %(limit)s
    """
    params = {
        "start": settings.start,
        "end": settings.end,
        "kinds": list(settings.weighting.kinds),
        "radius": settings.radius_m,
        "restricted": restricted,
        "area": area_id,
        "limit": limit,
        "protective": PROTECTIVE_CONCERN_FACTOR,
    }
    with read_connection().cursor() as cur:
        cur.execute(sql, params)
        rows = cur.fetchall()
    spots = []
    for rank, row in enumerate(rows, start=1):
        (lid, score, reports, good, missing, found, last_seen, last_rec) = row[:8]
        name, category, concern, x, y, last_at, last_type, acts, tasks = row[8:17]
        screenings, weighted = row[17:19]
        spot = LocationHotspot(
            rank=rank,
            location_id=lid,
            name=name,
            category=category,
            concern_level=concern,
            score=float(weighted),
            reports=reports,
            well_graded=good,
            missing=missing,
            missing_found=found,
            missing_last_seen=last_seen,
            last_record_at=last_rec,
            last_action_at=last_at,
            last_action_type=(
                ActionType(last_type).label if last_type in ActionType else ""
            ),
            actions_in_period=acts,
            open_taskings=tasks,
            x=x,
            y=y,
            screenings=screenings,
        )
        spot.explanation = hotspot_explain(spot=spot, settings=settings)
        spot.done = _done_text(spot)
        spots.append(spot)
    return spots


def hotspot_record_ids(
    *, settings: HotspotSettings, location_ids: list[int]
) -> list[int]:
    """The records the given locations' hot-spot scores were built from
    (within the radius, in the period, as weighted): what a briefing pack
    discloses, for the access log. One query."""
    if not location_ids:
        return []
    sql = f"""
        WITH {_records_cte(settings)}
        SELECT DISTINCT rec.id FROM rec
        JOIN locations_location l
          ON ST_DWithin(l.point_bng, rec.point_bng, %(radius)s)
        WHERE l.id = ANY(%(locations)s)
        ORDER BY rec.id
    """
    params = {
        "start": settings.start,
        "end": settings.end,
        "kinds": list(settings.weighting.kinds),
        "radius": settings.radius_m,
        "locations": list(location_ids),
    }
    with read_connection().cursor() as cur:
        cur.execute(sql, params)
        return [row[0] for row in cur.fetchall()]


def hotspot_area_list(
    *, settings: HotspotSettings, area_type: str = "ward", limit: int = 20
) -> list[AreaHotspot]:
    """Areas ranked the same way, from each record's stored area ids."""
    sql = f"""
        WITH {_records_cte(settings)},
        per_area AS (
            SELECT unnest(rec.area_ids) AS area_id, rec.w, rec.kind, rec.good
            FROM rec
        )
        SELECT a.id, a.name, a.code, sum(p.w),
               count(*) FILTER (WHERE p.kind <> 'missing'),
               count(*) FILTER (WHERE p.kind <> 'missing' AND p.good),
               count(*) FILTER (WHERE p.kind = 'missing'),
               (SELECT count(*) FROM disruption_disruptionaction d
                 WHERE d.area_ids @> ARRAY[a.id] AND d.occurred_at >= %(start)s
                   AND d.occurred_at < %(end)s)
        FROM per_area p JOIN locations_area a ON a.id = p.area_id
        WHERE a.area_type = %(area_type)s
        GROUP BY a.id
        ORDER BY sum(p.w) DESC, a.name
        LIMIT %(limit)s
    """
    params = {
        "start": settings.start,
        "end": settings.end,
        "kinds": list(settings.weighting.kinds),
        "area_type": area_type,
        "limit": limit,
    }
    with read_connection().cursor() as cur:
        cur.execute(sql, params)
        rows = cur.fetchall()
    out = []
    for rank, (aid, name, code, score, reports, good, missing, acts) in enumerate(
        rows, start=1
    ):
        out.append(
            AreaHotspot(
                rank=rank,
                area_id=aid,
                name=name,
                code=code,
                score=float(score),
                reports=reports,
                well_graded=good,
                missing=missing,
                actions_in_period=acts,
                explanation=(
                    f"{_plural(reports, 'report')} in the last {settings.days} days, "
                    f"{good} graded 2B or better; "
                    f"{_plural(missing, 'missing episode')}; "
                    f"{_plural(acts, 'disruption action')} in the period "
                    f"(score {float(score):.1f})"
                ),
            )
        )
    return out
