"""Aggregates for the safeguarding board and area committees, in SQL on the
stored area ids: records by area and month, flagged premises by area, and
disruption actions by type and outcome. Each is by one area type (ward,
constituency, neighbourhood policing area), or by the wards of one area
committee (`area_ids`)."""

from datetime import date

from common.db.router import read_connection
from disruption.models import ActionType, Outcome
from locations.models import Area, AreaType


def _rows(sql: str, params: dict) -> list[tuple]:
    with read_connection().cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchall()


# No ids given: every area of the type.
AREAS_CHOSEN = "(%(ids)s::bigint[] IS NULL OR a.id = ANY(%(ids)s::bigint[]))"


def report_records_by_area_month(
    *,
    start: date,
    end: date,
    area_type: str = "ward",
    area_ids: list[int] | None = None,
) -> list[tuple[str, str, str, int, int]]:
    """(area code, area name, month 'YYYY-MM', records, missing episodes)."""
    return _rows(
        """
        SELECT a.code, a.name, to_char(date_trunc('month', r.occurred_from), 'YYYY-MM'),
               count(*), count(*) FILTER (WHERE r.kind = 'missing')
        FROM intelligence_intelligencerecord r
        JOIN locations_area a ON a.id = ANY(r.area_ids) AND a.area_type = %(t)s
        WHERE r.occurred_from >= %(start)s AND r.occurred_from < %(end)s
          AND r.status = 'graded'
          AND """
        + AREAS_CHOSEN
        + """
        GROUP BY a.code, a.name, 3
        ORDER BY a.name, 3
        """,
        {"start": start, "end": end, "t": area_type, "ids": area_ids},
    )


def report_flagged_by_area(
    *, area_type: str = "ward", area_ids: list[int] | None = None
) -> list[tuple[str, str, int, int, int]]:
    """(area code, name, high, medium, low) premises currently flagged."""
    return _rows(
        """
        SELECT a.code, a.name,
               count(*) FILTER (WHERE l.concern_level = 'high'),
               count(*) FILTER (WHERE l.concern_level = 'medium'),
               count(*) FILTER (WHERE l.concern_level = 'low')
        FROM locations_location l
        JOIN locations_area a ON a.id = ANY(l.area_ids) AND a.area_type = %(t)s
        WHERE l.concern_level <> 'none' AND """
        + AREAS_CHOSEN
        + """
        GROUP BY a.code, a.name
        ORDER BY a.name
        """,
        {"t": area_type, "ids": area_ids},
    )


def report_actions_by_type_outcome(
    *, start: date, end: date, area_ids: list[int] | None = None
) -> list[tuple[str, str, int]]:
    """(action type label, outcome label, count); inside the given areas
    only, when there are some."""
    rows = _rows(
        """
        SELECT action_type, outcome, count(*)
        FROM disruption_disruptionaction
        WHERE occurred_at >= %(start)s AND occurred_at < %(end)s
          AND (%(ids)s::bigint[] IS NULL OR area_ids && %(ids)s::bigint[])
        GROUP BY 1, 2 ORDER BY 1, 2
        """,
        {"start": start, "end": end, "ids": area_ids},
    )
    return [
        (
            ActionType(t).label if t in ActionType else t,
            Outcome(o).label if o in Outcome else o,
            n,
        )
        for t, o, n in rows
    ]


def report_actions_by_area_month(
    *,
    start: date,
    end: date,
    area_type: str = "ward",
    area_ids: list[int] | None = None,
) -> list[tuple[str, str, str, int]]:
    return _rows(
        """
        SELECT a.code, a.name, to_char(date_trunc('month', d.occurred_at), 'YYYY-MM'),
               count(*)
        FROM disruption_disruptionaction d
        JOIN locations_area a ON a.id = ANY(d.area_ids) AND a.area_type = %(t)s
        WHERE d.occurred_at >= %(start)s AND d.occurred_at < %(end)s
          AND """
        + AREAS_CHOSEN
        + """
        GROUP BY a.code, a.name, 3 ORDER BY a.name, 3
        """,
        {"start": start, "end": end, "t": area_type, "ids": area_ids},
    )


def report_area_types() -> list[tuple[str, str]]:
    """The area types loaded, as (value, label), wards first; LSOAs are
    statistical units, not a committee's or a board's geography."""
    loaded = set(
        Area.objects.exclude(area_type=AreaType.LSOA)
        .values_list("area_type", flat=True)
        .distinct()
    )
    return [(t.value, t.label) for t in AreaType if t.value in loaded]
