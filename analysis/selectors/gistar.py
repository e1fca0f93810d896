"""Hot-spot statistics: grid counts in PostGIS, Getis-Ord Gi* per cell with a
Benjamini-Hochberg false-discovery-rate correction, and each cell classed as
new, emerging, persistent or former by comparing the current period with the
ones before it.

Counts are made in the database on the stored British National Grid point
(metres): a cell is floor(x / size), floor(y / size). Only the non-empty cells
come back, so the payload grows with the grid, not with the records. Gi* is
then computed on the dense grid with numpy (queen neighbours plus the cell
itself, binary weights), as Getis and Ord (1992) and Ord and Getis (1995) give it.
"""

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
from scipy import ndimage, stats

from common.db.router import read_connection
from common.placement import RESTRICTED_SNAP_M, placement_position_sql
from intelligence.selectors import record_at_restricted_sql
from locations.models import RESTRICTED_CATEGORIES

from .weights import Weighting

DEFAULT_CELL_M = 250
MIN_CELL_M = 50
MAX_CELL_M = 5000
DEFAULT_PREVIOUS = 3
FDR_ALPHA = 0.05
# Cells in a grid at most: a bigger extent asks for a bigger cell.
MAX_CELLS = 400_000

NEW, EMERGING, PERSISTENT, FORMER = "new", "emerging", "persistent", "former"
CLASS_WORDS = {
    NEW: "New: a significant hot spot now, in none of the earlier periods",
    EMERGING: "Emerging: hot now, and in fewer than half of the earlier periods",
    PERSISTENT: "Persistent: hot now, and in at least half of the earlier periods",
    FORMER: "Former: not hot now, but hot in at least one earlier period",
}
# Hot now: the cells a tasking meeting works from.
LIVE_CLASSES = (NEW, EMERGING, PERSISTENT)


@dataclass
class GridSettings:
    end: datetime
    days: int = 28
    cell_m: int = DEFAULT_CELL_M
    previous: int = DEFAULT_PREVIOUS
    alpha: float = FDR_ALPHA
    weighting: Weighting = field(default_factory=Weighting)
    # Whether the user may see restricted locations' exact positions; if not,
    # records there count in the cell of their 500 m grid square's centre, as
    # the map places them, so a 50 m cell cannot pin down a children's home.
    restricted_exact: bool = False

    def period(self, index: int) -> tuple[datetime, datetime]:
        """Period 0 is the current one; 1, 2, ... go back in time."""
        end = self.end - timedelta(days=self.days * index)
        return end - timedelta(days=self.days), end

    def describe(self) -> str:
        start, _ = self.period(0)
        return (
            f"Gi* on {self.cell_m} m square cells (queen neighbours and the cell "
            f"itself), Benjamini-Hochberg FDR {self.alpha:g}; current period "
            f"{start:%d %b %Y} to {self.end:%d %b %Y} ({self.days} days) compared with "
            f"the {self.previous} periods before it; cell value = sum of grade weights "
            "(grade E and source 3 left out unless asked)"
            + (
                ""
                if self.restricted_exact
                else "; records at protected locations counted at the centre of "
                f"their {RESTRICTED_SNAP_M} m square"
            )
        )


@dataclass
class Grid:
    """Dense grids over one extent: origin in cell units, values[period, row, col]."""

    cell_m: int
    gx0: int
    gy0: int
    values: np.ndarray
    counts: np.ndarray

    @property
    def shape(self) -> tuple[int, int]:
        return self.values.shape[1:]

    def cell_bounds(self, row: int, col: int) -> tuple[float, float, float, float]:
        x0 = (self.gx0 + col) * self.cell_m
        y0 = (self.gy0 + row) * self.cell_m
        return x0, y0, x0 + self.cell_m, y0 + self.cell_m


def grid_extent(
    *, cell_m: int, area_type: str = "ward"
) -> tuple[int, int, int, int] | None:
    """The study region in cell units: the areas' extent (so empty cells count
    as zeros), else None to fall back on the records' own extent."""
    with read_connection().cursor() as cur:
        cur.execute(
            """SELECT floor(ST_XMin(e) / %(c)s), floor(ST_YMin(e) / %(c)s),
                      floor(ST_XMax(e) / %(c)s), floor(ST_YMax(e) / %(c)s)
               FROM (SELECT ST_Extent(geom_bng) AS e FROM locations_area
                     WHERE area_type = %(t)s) s""",
            {"c": cell_m, "t": area_type},
        )
        row = cur.fetchone()
    if row is None or row[0] is None:
        return None
    return tuple(int(v) for v in row)


def _position_sql(settings: GridSettings) -> str:
    """Where a record counts (common.placement): for a user not cleared for
    exact positions, a record linked to a restricted location counts at its
    grid square's centre (one hashed IN, not a lookup per record)."""
    return placement_position_sql(
        exact=settings.restricted_exact,
        restricted_sql=record_at_restricted_sql("r"),
        alias="r",
    )


def grid_counts(*, settings: GridSettings) -> list[tuple[int, int, int, float, int]]:
    """(period, gx, gy, weighted value, count) for every non-empty cell, in SQL."""
    w = settings.weighting
    oldest, _ = settings.period(settings.previous)
    position = _position_sql(settings)
    # OFFSET 0 keeps the inner query whole: each record's position is worked
    # out once, not once for each of its uses.
    sql = f"""
        SELECT period, floor(ST_X(p) / %(cell)s)::int AS gx,
               floor(ST_Y(p) / %(cell)s)::int AS gy, sum(weight) AS value,
               count(*) AS n
        FROM (
            SELECT floor(extract(epoch FROM (%(end)s - r.occurred_from))
                         / (%(days)s * 86400.0))::int AS period,
                   {position} AS p,
                   {w.grade_sql()} AS weight
            FROM intelligence_intelligencerecord r
            WHERE r.occurred_from >= %(oldest)s AND r.occurred_from < %(end)s
              AND r.kind = ANY(%(kinds)s) AND r.point_bng IS NOT NULL
              AND {w.filter_sql()}
            OFFSET 0
        ) AS placed
        GROUP BY 1, 2, 3
    """
    with read_connection().cursor() as cur:
        cur.execute(
            sql,
            {
                "end": settings.end,
                "days": settings.days,
                "cell": settings.cell_m,
                "oldest": oldest,
                "kinds": list(w.kinds),
                "restricted": sorted(RESTRICTED_CATEGORIES),
            },
        )
        return [(p, gx, gy, float(v), n) for p, gx, gy, v, n in cur.fetchall()]


def grid_build(*, settings: GridSettings, area_type: str = "ward") -> Grid:
    rows = grid_counts(settings=settings)
    extent = grid_extent(cell_m=settings.cell_m, area_type=area_type)
    xs = [r[1] for r in rows]
    ys = [r[2] for r in rows]
    if extent:
        gx0, gy0, gx1, gy1 = extent
    elif rows:
        gx0, gy0, gx1, gy1 = min(xs), min(ys), max(xs), max(ys)
    else:
        gx0 = gy0 = gx1 = gy1 = 0
    # Records outside the study region still count where they fell.
    if rows:
        gx0, gy0 = min(gx0, min(xs)), min(gy0, min(ys))
        gx1, gy1 = max(gx1, max(xs)), max(gy1, max(ys))
    ncols, nrows = gx1 - gx0 + 1, gy1 - gy0 + 1
    if ncols * nrows > MAX_CELLS:
        raise ValueError(
            f"A {settings.cell_m} m grid over this extent has {ncols * nrows} cells; "
            f"choose a larger cell (at most {MAX_CELLS} cells)."
        )
    values = np.zeros((settings.previous + 1, nrows, ncols))
    counts = np.zeros((settings.previous + 1, nrows, ncols), dtype=np.int64)
    for period, gx, gy, value, n in rows:
        if 0 <= period <= settings.previous:
            values[period, gy - gy0, gx - gx0] = value
            counts[period, gy - gy0, gx - gx0] = n
    return Grid(settings.cell_m, gx0, gy0, values, counts)


QUEEN_AND_SELF = np.ones((3, 3))


def gi_star(values: np.ndarray) -> np.ndarray:
    """Getis-Ord Gi* z-scores on a 2-D grid, binary queen weights with the cell
    itself included; cells outside the grid are not neighbours.

    Gi* = (sum_j w_ij x_j - xbar W_i) / (S sqrt((n S1_i - W_i^2) / (n - 1)))
    with W_i = sum_j w_ij and, binary weights, S1_i = W_i.
    """
    x = np.asarray(values, dtype=float)
    n = x.size
    xbar = x.mean()
    s = np.sqrt((x**2).mean() - xbar**2)
    if n < 2 or s == 0:
        return np.zeros_like(x)
    local = ndimage.convolve(x, QUEEN_AND_SELF, mode="constant", cval=0.0)
    wi = ndimage.convolve(np.ones_like(x), QUEEN_AND_SELF, mode="constant", cval=0.0)
    denom = s * np.sqrt((n * wi - wi**2) / (n - 1))
    # A cell whose neighbourhood is the whole grid (a grid of 2 x 2 cells or
    # fewer, or the middle of 3 x 3) has no variance to test: z is 0, not
    # the NaN of 0/0, which no JSON answer can carry.
    return np.divide(local - xbar * wi, denom, out=np.zeros_like(x), where=denom > 0)


def p_two_sided(z: np.ndarray) -> np.ndarray:
    return 2 * stats.norm.sf(np.abs(z))


def fdr_bh(p: np.ndarray, alpha: float = FDR_ALPHA) -> tuple[np.ndarray, np.ndarray]:
    """Benjamini-Hochberg: (q-values, significant mask) for any shape of p."""
    flat = np.asarray(p, dtype=float).ravel()
    m = flat.size
    if m == 0:
        return flat.reshape(np.shape(p)), flat.astype(bool).reshape(np.shape(p))
    order = np.argsort(flat)
    ranked = flat[order] * m / np.arange(1, m + 1)
    # q_i = min over j >= i of p_(j) m / j, capped at 1.
    q_sorted = np.minimum.accumulate(ranked[::-1])[::-1].clip(max=1.0)
    q = np.empty(m)
    q[order] = q_sorted
    q = q.reshape(np.shape(p))
    return q, q <= alpha


def hot_class(*, hot_now: bool, hot_before: list[bool]) -> str:
    """new / emerging / persistent / former, or '' for a cell that is none."""
    earlier = sum(hot_before)
    if hot_now:
        if earlier == 0:
            return NEW
        if earlier * 2 < len(hot_before):
            return EMERGING
        return PERSISTENT
    return FORMER if earlier else ""


def hot_classes(*, hot_now: np.ndarray, hot_before: np.ndarray) -> np.ndarray:
    """hot_class() for a whole grid at once; hot_before is [period, row, col]."""
    earlier = hot_before.sum(axis=0)
    n_before = hot_before.shape[0]
    return np.select(
        [
            hot_now & (earlier == 0),
            hot_now & (earlier * 2 < n_before),
            hot_now,
            earlier > 0,
        ],
        [NEW, EMERGING, PERSISTENT, FORMER],
        default="",
    )


@dataclass
class Cell:
    row: int
    col: int
    x0: float
    y0: float
    x1: float
    y1: float
    value: float
    count: int
    z: float
    p: float
    q: float
    hot: bool
    cold: bool
    hot_class: str
    z_previous: list[float]

    @property
    def size(self) -> float:
        return self.x1 - self.x0


@dataclass
class HotspotGrid:
    settings: GridSettings
    grid: Grid
    z: np.ndarray
    p: np.ndarray
    q: np.ndarray
    significant: np.ndarray
    classes: np.ndarray

    def cells(self, *, only_interesting: bool = True) -> list[Cell]:
        out = []
        mask = np.ones(self.grid.shape, dtype=bool)
        if only_interesting:
            mask = (self.classes != "") | self.significant[0]
        for r, c in np.argwhere(mask):
            cls = str(self.classes[r, c])
            hot = bool(self.significant[0, r, c] and self.z[0, r, c] > 0)
            cold = bool(self.significant[0, r, c] and self.z[0, r, c] < 0)
            out.append(
                Cell(
                    int(r),
                    int(c),
                    *self.grid.cell_bounds(int(r), int(c)),
                    value=float(self.grid.values[0, r, c]),
                    count=int(self.grid.counts[0, r, c]),
                    z=float(self.z[0, r, c]),
                    p=float(self.p[0, r, c]),
                    q=float(self.q[0, r, c]),
                    hot=hot,
                    cold=cold,
                    hot_class=cls,
                    z_previous=[float(v) for v in self.z[1:, r, c]],
                )
            )
        out.sort(key=lambda cell: -cell.z)
        return out


def hotspot_grid(*, settings: GridSettings, area_type: str = "ward") -> HotspotGrid:
    """Gi* for the current period and each earlier one, FDR-corrected per
    period, and the classes that compare them."""
    grid = grid_build(settings=settings, area_type=area_type)
    z = np.stack([gi_star(v) for v in grid.values])
    p = p_two_sided(z)
    q = np.empty_like(p)
    significant = np.zeros_like(p, dtype=bool)
    for k in range(p.shape[0]):
        q[k], significant[k] = fdr_bh(p[k], settings.alpha)
    hot = significant & (z > 0)
    classes = hot_classes(hot_now=hot[0], hot_before=hot[1:])
    return HotspotGrid(settings, grid, z, p, q, significant, classes)


def cells_geojson(*, cells: list[Cell]) -> list[dict]:
    """GeoJSON features for cells, their squares transformed to WGS84 in PostGIS."""
    if not cells:
        return []
    with read_connection().cursor() as cur:
        cur.execute(
            """SELECT ST_AsGeoJSON(ST_Transform(
                   ST_MakeEnvelope(x0, y0, x1, y1, 27700), 4326), 6)
               FROM unnest(%s::float8[], %s::float8[], %s::float8[], %s::float8[])
                    WITH ORDINALITY AS c(x0, y0, x1, y1, i)
               ORDER BY i""",
            [
                [c.x0 for c in cells],
                [c.y0 for c in cells],
                [c.x1 for c in cells],
                [c.y1 for c in cells],
            ],
        )
        shapes = [json.loads(row[0]) for row in cur.fetchall()]
    return [
        {
            "type": "Feature",
            "geometry": shape,
            "properties": {
                "x0": c.x0,
                "y0": c.y0,
                "cell_m": c.x1 - c.x0,
                "count": c.count,
                "value": round(c.value, 3),
                "z": round(c.z, 4),
                "p": c.p,
                "q": c.q,
                "hot": c.hot,
                "cold": c.cold,
                "class": c.hot_class,
                "z_previous": [round(z, 4) for z in c.z_previous],
            },
        }
        for c, shape in zip(cells, shapes, strict=True)
    ]
