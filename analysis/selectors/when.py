"""When: a time-of-day by day-of-week grid (7 x 24, local time), in PostGIS.

A record known to a moment counts 1 in its hour. A record known only within
a window ("between 22:00 and 06:00") is spread aoristically (Ratcliffe
2002): each hour of the week gets the share of the window that falls in it,
so the record still counts 1 in all. Whole weeks of a long window give every
hour the same share; only the part left over is walked hour by hour, so no
record is expanded into more than 168 rows.

British local time is a whole number of hours from UTC, so UTC hour
boundaries are local hour boundaries: each UTC hour is placed by its local
day and hour.
"""

from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.db.models import QuerySet

from common.db.router import read_connection

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
HOURS_IN_WEEK = 168


@dataclass(frozen=True)
class WhenGrid:
    cells: np.ndarray  # (7, 24): Monday first, hour 0-23; weights sum to records
    records: int
    spread: int  # records known only within a window, spread aoristically

    @property
    def by_day(self) -> np.ndarray:
        return self.cells.sum(axis=1)

    @property
    def by_hour(self) -> np.ndarray:
        return self.cells.sum(axis=0)


def when_grid(*, qs: QuerySet) -> WhenGrid:
    inner = qs.order_by().values("occurred_from", "occurred_to")
    inner_sql, params = inner.query.sql_with_params()
    tz = settings.TIME_ZONE
    sql = f"""
        WITH r AS MATERIALIZED (
            SELECT occurred_from AS f, occurred_to AS t FROM ({inner_sql}) AS q
        ),
        moments AS (
            SELECT extract(isodow FROM f AT TIME ZONE %s)::int - 1 AS d,
                   extract(hour FROM f AT TIME ZONE %s)::int AS h,
                   count(*)::float8 AS w
            FROM r WHERE t IS NULL OR t <= f
            GROUP BY 1, 2
        ),
        windows AS (
            SELECT f, t, extract(epoch FROM t - f) AS dur,
                   floor(extract(epoch FROM t - f) / 604800) AS weeks
            FROM r WHERE t > f
        ),
        rest AS (
            SELECT extract(isodow FROM hr AT TIME ZONE %s)::int - 1 AS d,
                   extract(hour FROM hr AT TIME ZONE %s)::int AS h,
                   sum(extract(epoch FROM least(w.t, hr + interval '1 hour')
                       - greatest(w.f + w.weeks * interval '1 week', hr)) / w.dur) AS w
            FROM windows AS w,
                 LATERAL generate_series(
                     date_trunc('hour', w.f + w.weeks * interval '1 week'),
                     w.t - interval '1 microsecond', interval '1 hour') AS hr
            WHERE w.t > w.f + w.weeks * interval '1 week'
            GROUP BY 1, 2
        )
        SELECT 'm', d, h, w FROM moments
        UNION ALL SELECT 'r', d, h, w FROM rest
        UNION ALL SELECT 'e', NULL, NULL,
            coalesce(sum(weeks * 3600.0 / dur), 0) FROM windows
        UNION ALL SELECT 'n', NULL, NULL, count(*) FROM windows
    """
    with read_connection().cursor() as cur:
        # The records' parameters come first in the text, then the time zone
        # of the two local-time groupings.
        cur.execute(sql, [*params, tz, tz, tz, tz])
        rows = cur.fetchall()
    cells = np.zeros((7, 24))
    spread = 0
    for part, d, h, w in rows:
        if part in ("m", "r"):
            cells[d, h] += float(w)
        elif part == "e":
            # Whole weeks of long windows: the same share in every hour.
            cells += float(w)
        else:
            spread = int(w)
    return WhenGrid(cells=cells, records=int(round(cells.sum())), spread=spread)
