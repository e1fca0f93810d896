"""Aggregates for the safeguarding board and area committees, in SQL on the
stored area ids: records by ward and month, flagged premises by ward, and
disruption actions by type and outcome."""

from datetime import date

from disruption.models import ActionType, Outcome
from intel_map.db.router import read_connection


def _rows(sql: str, params: dict) -> list[tuple]:
    with read_connection().cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchall()


def report_records_by_area_month(
    *, start: date, end: date, area_type: str = "ward"
) -> list[tuple[str, str, str, int, int]]:
    """(area code, area name, month 'YYYY-MM', records, missing episodes)."""
    return _rows(
        """
        SELECT a.code, a.name, to_char(date_trunc('month', r.occurred_from), 'YYYY-MM'),
               count(*), count(*) FILTER (WHERE r.kind = 'missing')
        FROM intelligence_intelligencerecord r
        JOIN locations_area a ON a.id = ANY(r.area_ids) AND a.area_type = %(t)s
        WHERE r.occurred_from >= %(start)s AND r.occurred_from < %(end)s
        GROUP BY a.code, a.name, 3
        ORDER BY a.name, 3
        """,
        {"start": start, "end": end, "t": area_type},
    )


def report_flagged_by_area(
    *, area_type: str = "ward"
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
        WHERE l.concern_level <> 'none'
        GROUP BY a.code, a.name
        ORDER BY a.name
        """,
        {"t": area_type},
    )


def report_actions_by_type_outcome(
    *, start: date, end: date
) -> list[tuple[str, str, int]]:
    """(action type label, outcome label, count)."""
    rows = _rows(
        """
        SELECT action_type, outcome, count(*)
        FROM disruption_disruptionaction
        WHERE occurred_at >= %(start)s AND occurred_at < %(end)s
        GROUP BY 1, 2 ORDER BY 1, 2
        """,
        {"start": start, "end": end},
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
    *, start: date, end: date, area_type: str = "ward"
) -> list[tuple[str, str, str, int]]:
    return _rows(
        """
        SELECT a.code, a.name, to_char(date_trunc('month', d.occurred_at), 'YYYY-MM'),
               count(*)
        FROM disruption_disruptionaction d
        JOIN locations_area a ON a.id = ANY(d.area_ids) AND a.area_type = %(t)s
        WHERE d.occurred_at >= %(start)s AND d.occurred_at < %(end)s
        GROUP BY a.code, a.name, 3 ORDER BY a.name, 3
        """,
        {"start": start, "end": end, "t": area_type},
    )
