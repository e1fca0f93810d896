"""The heat map and the area counts read from the roll-ups
(intelligence.rollups) instead of the records, wherever the roll-ups hold the
answer exactly; maps.selectors decides and falls back to the records.

The roll-ups hold the answer for a heat map on cells of 100 m or a multiple,
with the heat map's own half-life, filtered by period, kind and minimum grade
(not by indicator tags); and for area counts filtered the same way. Each
role's need-to-know (handling code C) and placement (records at restricted
locations on their 500 m square for roles not cleared for exact positions)
are applied to roll-up rows as to records.

A map's box is a lon/lat box and the records it holds are those whose own
point is inside it, while roll-up cells are British National Grid squares. A
cell wholly inside the box has all its records inside, so its rows are
summed; the records of the cells astride the box's edge are read from the
records themselves (a strip as wide as a cell's diagonal along each edge,
through the box-and-period index), so the answer is the records' answer to
the last record.
"""

import math
from collections.abc import Callable
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.contrib.gis.geos import GEOSGeometry, LineString, Polygon
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL

from common.db.router import read_connection
from common.placement import RESTRICTED_SNAP_M, placement_sees_exact
from intelligence.grading import grade_weight_sql, low_grade
from intelligence.rollups import (
    BUCKET_CELLS_M,
    BUCKET_SQUARE_M,
    ROLLUP_CELL_M,
    ROLLUP_HALF_LIFE_DAYS,
    ROLLUP_TIME_ZONE,
    AreaBucketCount,
    AreaDayCount,
    CellBucketCount,
    CellDayCount,
    RollupCell,
    bucket_age_factor,
    bucket_cover,
    bucket_rules_current,
    rollup_rules_current,
)
from intelligence.selectors import (
    rollup_bucket_scope_sql,
    rollup_count_scope,
    rollup_filter,
)

# A cell is summed from the roll-up only when its four corners lie this far
# inside the box (degrees; about a metre): a cell's edges bow away from the
# straight lines between its corners by well under a millimetre at 100 m.
INSIDE_MARGIN_DEG = 1e-5
# Records nearer the box's edge than this may share a cell with records
# outside it and are read from the records: more than a cell's diagonal
# (141.4 m) and the margin above.
RIM_M = 160
# Metres per degree, rounded down so that a strip is never narrower than
# RIM_M: of latitude anywhere; of longitude on the equator (times cos(lat)).
M_PER_DEG_LAT = 110_500
M_PER_DEG_LON_EQUATOR = 111_320
# The snapped square is whole roll-up cells (floor(x / 500) from the cell).
assert RESTRICTED_SNAP_M % ROLLUP_CELL_M == 0


def _rim_widths(bbox: GEOSGeometry) -> tuple[float, float] | None:
    """The rim's width in degrees of longitude and latitude, or None where
    the box leaves no inside for the roll-up to answer."""
    w, s, e, n = bbox.extent
    highest = max(abs(s), abs(n))
    if highest > 85:
        return None
    d_lon = RIM_M / (M_PER_DEG_LON_EQUATOR * math.cos(math.radians(highest)))
    d_lat = RIM_M / M_PER_DEG_LAT
    if w + 2 * d_lon >= e or s + 2 * d_lat >= n:
        return None
    return d_lon, d_lat


def rollup_heatmap_answers(*, params: dict, cell_m: int, half_life_days: float) -> bool:
    """Whether the roll-ups hold this heat map exactly."""
    return (
        rollup_rules_current()
        and not params.get("tag")
        and half_life_days == ROLLUP_HALF_LIFE_DAYS
        and cell_m % ROLLUP_CELL_M == 0
        and params.get("bbox") is not None
        and params.get("since") is not None
        and params.get("until") is not None
        and _rim_widths(params["bbox"]) is not None
    )


# A roll-up cell `c` lies wholly inside the box (4 placeholders: the box
# shrunk by the margin, _inside_params).
_INSIDE_BOUNDS = (
    "c.lon_min >= %s AND c.lat_min >= %s AND c.lon_max <= %s AND c.lat_max <= %s"
)


def _inside_sql(gx: str, gy: str) -> str:
    """SQL (4 placeholders): the roll-up cell (gx, gy) lies wholly inside
    the box."""
    table = RollupCell._meta.db_table
    return (
        f"EXISTS (SELECT 1 FROM {table} AS c WHERE c.gx = {gx} AND c.gy = {gy} "
        f"AND {_INSIDE_BOUNDS})"
    )


def _inside_params(bbox: GEOSGeometry) -> list[float]:
    w, s, e, n = bbox.extent
    m = INSIDE_MARGIN_DEG
    return [w + m, s + m, e - m, n - m]


def rollup_heatmap_rim(*, qs: QuerySet, bbox: GEOSGeometry) -> QuerySet:
    """The records (of a heat map's queryset, already in the box) in cells
    not wholly inside the box: those the roll-up does not answer."""
    d_lon, d_lat = _rim_widths(bbox)
    w, s, e, n = bbox.extent
    strips = Q()
    for box in (
        (w, s, e, s + d_lat),
        (w, n - d_lat, e, n),
        (w, s, w + d_lon, n),
        (e - d_lon, s, e, n),
    ):
        strip = Polygon.from_bbox(box)
        strip.srid = 4326
        strips |= Q(point__bboverlaps=strip)
    table = qs.model._meta.db_table
    cell = f"floor(ST_{{}}({table}.point_bng) / {ROLLUP_CELL_M})::int"
    inside = RawSQL(
        _inside_sql(cell.format("X"), cell.format("Y")),
        _inside_params(bbox),
        output_field=BooleanField(),
    )
    return qs.filter(strips).alias(rollup_inside=inside).filter(rollup_inside=False)


def _rows_of(*, model, user: AbstractBaseUser, params: dict) -> QuerySet:
    """The roll-up rows this user's counts are built from, for the period,
    kind and minimum grade in the parsed `params`."""
    return rollup_filter(
        qs=rollup_count_scope(user=user, qs=model.objects.all()),
        since=params["since"],
        until=params["until"],
        kind=params.get("kind"),
        min_grade=params.get("min_grade"),
    )


def rollup_heatmap_binned_sql(
    *,
    user: AbstractBaseUser,
    params: dict,
    cell_m: int,
    include_low_grade: bool,
) -> tuple[str, list]:
    """SQL for the roll-up's cells wholly inside the box: (gx, gy, n, w) on
    a cell_m grid, weighted as maps.selectors weighs records."""
    rows = _rows_of(model=CellDayCount, user=user, params=params)
    if not include_low_grade:
        rows = rows.exclude(low_grade())
    rows_sql, rows_params = (
        rows.order_by()
        .values(
            "day",
            "gx",
            "gy",
            "at_restricted",
            "source_evaluation",
            "intelligence_assessment",
            "n",
            "w",
        )
        .query.sql_with_params()
    )
    per_cell = cell_m // ROLLUP_CELL_M
    per_square = RESTRICTED_SNAP_M // ROLLUP_CELL_M
    # Where maps.selectors bins a record: its own cell, or for a role not
    # cleared for exact positions and a record at a restricted location, the
    # cell of its 500 m square's centre (common.placement.snapped_bng_sql).
    snapped = "true" if not placement_sees_exact(user=user) else "false"

    def axis(g: str) -> str:
        return (
            f"CASE WHEN d.at_restricted AND {snapped} THEN "
            f"floor((floor(d.{g}::float8 / {per_square}) * {RESTRICTED_SNAP_M} "
            f"+ {RESTRICTED_SNAP_M / 2}) / {cell_m}) "
            f"ELSE floor(d.{g}::float8 / {per_cell}) END"
        )

    # A record's age weight, 0.5 ** ((end of period - t) / half-life), is
    # the day's factor k times the row's w (intelligence.rollups). The rows
    # are summed per roll-up cell first (integer keys, cheap to group), and
    # only those sums are tested against the box and placed.
    sql = f"""
        SELECT {axis("gx")} AS gx, {axis("gy")} AS gy,
               sum(d.n) AS n, sum(d.w) AS w
        FROM (
            SELECT h.gx, h.gy, h.at_restricted, sum(h.n) AS n,
                   sum(({grade_weight_sql(alias="h")}) * f.k * h.w) AS w
            FROM ({rows_sql}) AS h
            JOIN (
                SELECT min(c.gx) AS gx0, max(c.gx) AS gx1,
                       min(c.gy) AS gy0, max(c.gy) AS gy1
                FROM {RollupCell._meta.db_table} AS c
                WHERE {_INSIDE_BOUNDS}
            ) AS e ON h.gy BETWEEN e.gy0 AND e.gy1 AND h.gx BETWEEN e.gx0 AND e.gx1
            JOIN (
                SELECT %s::date + i AS day,
                       power(0.5::float8, date_part('epoch', %s::timestamptz
                           - ((%s::date + i)::timestamp AT TIME ZONE %s))
                           / 86400.0 / %s) AS k
                FROM generate_series(0, %s) AS i
            ) AS f ON f.day = h.day
            GROUP BY 1, 2, 3
        ) AS d
        WHERE {_inside_sql("d.gx", "d.gy")}
        GROUP BY 1, 2
    """
    since, until = params["since"], params["until"]
    return sql, [
        *rows_params,
        *_inside_params(params["bbox"]),
        since,
        f"{until.isoformat()}T23:59:59Z",
        since,
        ROLLUP_TIME_ZONE,
        ROLLUP_HALF_LIFE_DAYS,
        (until - since).days,
        *_inside_params(params["bbox"]),
    ]


def rollup_buckets_answer(*, params: dict) -> bool:
    """Whether the bucket roll-ups hold a heat map or area counts that the
    day roll-ups hold (rollup_heatmap_answers, rollup_area_answers): they
    are not split by kind or grade, only by low grade and handling code."""
    return (
        bucket_rules_current()
        and BUCKET_SQUARE_M == RESTRICTED_SNAP_M
        and not params.get("kind")
        and not params.get("min_grade")
    )


def _buckets_values(params: dict, *, half_life_days: float) -> tuple[str, list]:
    """SQL VALUES (days, start, k) of the buckets that tile the period, k
    being the factor that gives a row's records' weights at the period's
    end, and its placeholders' values."""
    end = datetime.fromisoformat(f"{params['until'].isoformat()}T23:59:59+00:00")
    cover = bucket_cover(since=params["since"], until=params["until"])
    values = []
    for days, start in cover:
        values += [
            days,
            start,
            bucket_age_factor(start=start, end=end, half_life_days=half_life_days),
        ]
    sql = ", ".join(["(%s::smallint, %s::date, %s::float8)"] * len(cover))
    return f"(VALUES {sql})", values


# Points sampled along each edge of a map's box to find the grid rectangle
# inside it, and how far that rectangle is drawn in from the sampled edges:
# an edge bows away from the straight line between two samples by well under
# a millimetre.
EDGE_SAMPLES = 32
INNER_SLACK_M = 1.0


def _bng_rects(
    bbox: GEOSGeometry, projected: Callable[[GEOSGeometry], GEOSGeometry]
) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """Two grid rectangles (x0, y0, x1, y1): one wholly inside the box less
    INSIDE_MARGIN_DEG (so a roll-up cell inside it passes the grid table's
    test, _inside_sql), and one holding the whole box."""
    w, s, e, n = _inside_params(bbox)

    def edge(a: tuple[float, float], b: tuple[float, float]) -> list[tuple]:
        k = EDGE_SAMPLES
        line = LineString(
            [
                (a[0] + (b[0] - a[0]) * i / k, a[1] + (b[1] - a[1]) * i / k)
                for i in range(k + 1)
            ],
            srid=4326,
        )
        return projected(line).coords

    west, east = edge((w, s), (w, n)), edge((e, s), (e, n))
    south, north = edge((w, s), (e, s)), edge((w, n), (e, n))
    inner = (
        max(x for x, _ in west) + INNER_SLACK_M,
        max(y for _, y in south) + INNER_SLACK_M,
        min(x for x, _ in east) - INNER_SLACK_M,
        min(y for _, y in north) - INNER_SLACK_M,
    )
    everything = west + east + south + north
    outer = (
        min(x for x, _ in everything) - ROLLUP_CELL_M,
        min(y for _, y in everything) - ROLLUP_CELL_M,
        max(x for x, _ in everything) + ROLLUP_CELL_M,
        max(y for _, y in everything) + ROLLUP_CELL_M,
    )
    return inner, outer


def rollup_buckets_heatmap_sql(
    *,
    user: AbstractBaseUser,
    params: dict,
    cell_m: int,
    include_low_grade: bool,
    projected: Callable[[GEOSGeometry], GEOSGeometry],
) -> tuple[str, list]:
    """rollup_heatmap_binned_sql from the bucket roll-ups: (gx, gy, n, w)
    rows on a cell_m grid for the 100 m cells wholly inside the box.

    The cells of the largest size that tiles cell_m (BUCKET_CELLS_M) lying
    inside a grid rectangle inside the box are summed from that size's rows
    (a range of the key for each bucket), and the 100 m cells around that
    rectangle, in four strips, from the 100 m rows, each cell tested against
    the box as rollup_heatmap_binned_sql tests it. Records at restricted
    locations likewise, or for roles not cleared for exact positions by
    their 500 m squares, placed at the square's centre."""
    inner, outer = _bng_rects(params["bbox"], projected)
    fx0, fy0 = (math.floor(v / ROLLUP_CELL_M) for v in outer[:2])
    fx1, fy1 = (math.floor(v / ROLLUP_CELL_M) for v in outer[2:])
    buckets_sql, buckets_params = _buckets_values(
        params, half_life_days=ROLLUP_HALF_LIFE_DAYS
    )
    table = CellBucketCount._meta.db_table
    where = rollup_bucket_scope_sql(user=user, alias="h")
    # Low grade is in the key before the cell: a range of the key each.
    on = "h.days = b.days AND h.start = b.start" + (
        "" if include_low_grade else " AND h.low = false"
    )
    ranges = "h.gy BETWEEN %s AND %s AND h.gx BETWEEN %s AND %s"
    parts, part_params = [], []

    def tiled(level_m: int, restricted: bool, level_bin, fine_bin) -> None:
        """The parts for one at_restricted value: `level_m` cells inside the
        inner rectangle, binned by level_bin(axis), and the 100 m cells
        around them, binned by fine_bin(axis)."""
        flag = "true" if restricted else "false"
        cx0, cy0 = (math.ceil(v / level_m) for v in inner[:2])
        cx1, cy1 = (math.floor(v / level_m) - 1 for v in inner[2:])
        strips = [(fy0, fy1, fx0, fx1)]
        if cx0 <= cx1 and cy0 <= cy1:
            per = level_m // ROLLUP_CELL_M
            rx0, ry0 = cx0 * per, cy0 * per
            rx1, ry1 = (cx1 + 1) * per - 1, (cy1 + 1) * per - 1
            strips = [
                (fy0, ry0 - 1, fx0, fx1),
                (ry1 + 1, fy1, fx0, fx1),
                (ry0, ry1, fx0, rx0 - 1),
                (ry0, ry1, rx1 + 1, fx1),
            ]
            parts.append(
                f"""SELECT {level_bin("gx")} AS gx, {level_bin("gy")} AS gy,
                           h.n, h.w * b.k AS w
                    FROM b JOIN {table} h ON {on} AND h.cell_m = {level_m}
                        AND h.at_restricted = {flag} AND {ranges}
                    WHERE {where}"""
            )
            part_params.extend([cy0, cy1, cx0, cx1])
        for y0, y1, x0, x1 in strips:
            if y0 > y1 or x0 > x1:
                continue
            parts.append(
                f"""SELECT {fine_bin("gx")} AS gx, {fine_bin("gy")} AS gy,
                           h.n, h.w * b.k AS w
                    FROM b JOIN {table} h ON {on} AND h.cell_m = {ROLLUP_CELL_M}
                        AND h.at_restricted = {flag} AND {ranges}
                    JOIN fine f ON f.gx = h.gx AND f.gy = h.gy
                    WHERE {where}"""
            )
            part_params.extend([y0, y1, x0, x1])

    def binned(per: int):
        return lambda g: f"floor(h.{g}::float8 / {per})"

    def square_centre(per: int):
        # As maps.selectors places such a record for these roles
        # (common.placement.snapped_bng_sql): its square's centre.
        return lambda g: (
            f"floor((floor(h.{g}::float8 / {per}) * {RESTRICTED_SNAP_M} "
            f"+ {RESTRICTED_SNAP_M / 2}) / {cell_m})"
        )

    coarse_m = max(m for m in BUCKET_CELLS_M if cell_m % m == 0)
    to_cell = binned(cell_m // coarse_m)
    fine_to_cell = binned(cell_m // ROLLUP_CELL_M)
    tiled(coarse_m, False, to_cell, fine_to_cell)
    if placement_sees_exact(user=user):
        tiled(coarse_m, True, to_cell, fine_to_cell)
    else:
        tiled(
            BUCKET_SQUARE_M,
            True,
            square_centre(1),
            square_centre(RESTRICTED_SNAP_M // ROLLUP_CELL_M),
        )
    union = "\nUNION ALL\n".join(parts)
    sql = f"""
        WITH b(days, start, k) AS {buckets_sql},
        fine AS MATERIALIZED (
            SELECT c.gx, c.gy FROM {RollupCell._meta.db_table} AS c
            WHERE c.gx BETWEEN %s AND %s AND c.gy BETWEEN %s AND %s
                AND {_INSIDE_BOUNDS}
        )
        SELECT u.gx, u.gy, sum(u.n) AS n, sum(u.w) AS w
        FROM ({union}) AS u GROUP BY 1, 2
    """
    return sql, [
        *buckets_params,
        fx0,
        fx1,
        fy0,
        fy1,
        *_inside_params(params["bbox"]),
        *part_params,
    ]


def rollup_area_answers(*, params: dict) -> bool:
    """Whether the roll-ups hold these area counts exactly."""
    return (
        rollup_rules_current()
        and not params.get("tag")
        and params.get("since") is not None
        and params.get("until") is not None
    )


def rollup_area_counts(
    *, user: AbstractBaseUser, params: dict
) -> tuple[dict[int, int], int, int]:
    """{area id: records}, how many records were counted in some area, and
    the data version, in one statement (one snapshot) for the access log."""
    if rollup_buckets_answer(params=params):
        buckets_sql, buckets_params = _buckets_values(
            params, half_life_days=ROLLUP_HALF_LIFE_DAYS
        )
        rows_sql = f"""
            SELECT h.area_id, h.n, h.n_first
            FROM {buckets_sql} AS b(days, start, k)
            JOIN {AreaBucketCount._meta.db_table} h
                ON h.days = b.days AND h.start = b.start
            WHERE {rollup_bucket_scope_sql(user=user, alias="h")}"""
        rows_params = buckets_params
    else:
        rows = _rows_of(model=AreaDayCount, user=user, params=params)
        rows_sql, rows_params = (
            rows.order_by().values("area_id", "n", "n_first").query.sql_with_params()
        )
    with read_connection().cursor() as cur:
        cur.execute(
            "SELECT a.area_id, a.n, a.n_first, v.version "
            "FROM (SELECT coalesce(sum(version), 0) AS version "
            "      FROM intelligence_dataversion) AS v "
            "LEFT JOIN (SELECT r.area_id, sum(r.n) AS n, sum(r.n_first) AS n_first "
            f"          FROM ({rows_sql}) AS r GROUP BY r.area_id) AS a ON true",
            rows_params,
        )
        rows = cur.fetchall()
    counts = {aid: int(n) for aid, n, _f, _v in rows if aid is not None}
    weighed = sum(int(f) for aid, _n, f, _v in rows if aid is not None)
    return counts, weighed, int(rows[0][3])
