"""Near repeat: the Knox test with Monte Carlo significance, as Ratcliffe's
Near Repeat Calculator gives it.

Every pair of records is placed in a space band (how far apart) and a time
band (how many days apart). A band's observed count is set against the count
expected if when a record happened had nothing to do with where: the dates
are shuffled among the records (a permutation) and the pairs counted again,
999 times by default from a fixed seed so that a run can be repeated. A cell
is significant where the observed count is reached or passed by few
permutations: p = (1 + permutations with count >= observed) / (1 + runs).

Pairs come from a KD-tree (scipy) over the records' projected points, read
once from PostGIS: only pairs within the largest space band are kept, and
they do not change between permutations, so each permutation is a gather of
shuffled days over those pairs and one bincount. (A PostGIS self-join with
ST_DWithin on point_bng gives the same pairs; scripts/bench measures both.)
"""

from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.db.models import QuerySet
from scipy.spatial import cKDTree

from common.db.router import read_connection

DEFAULT_SPACE_EDGES_M = (100, 200, 400)
DEFAULT_TIME_EDGES_DAYS = (7, 14, 30)
DEFAULT_PERMUTATIONS = 999
DEFAULT_SEED = 20260101
SIGNIFICANCE = 0.05
# The largest test the page runs in a request: more records, or more pairs
# within the largest band, and the user is asked to narrow the selection.
MAX_RECORDS = 100_000
MAX_PAIRS = 20_000_000
# Pairs x permutations one request may take: about 15 s on the bench
# machine. Larger tests are refused with a message saying how to narrow them.
MAX_PAIR_PERMUTATIONS = 600_000_000


class KnoxTooLarge(ValueError):
    """The selection has too many records or close pairs to test here."""


@dataclass(frozen=True)
class KnoxSettings:
    space_edges_m: tuple[int, ...] = DEFAULT_SPACE_EDGES_M
    time_edges_days: tuple[int, ...] = DEFAULT_TIME_EDGES_DAYS
    permutations: int = DEFAULT_PERMUTATIONS
    seed: int = DEFAULT_SEED

    def space_bands(self) -> list[tuple[int, int]]:
        return list(zip((0, *self.space_edges_m[:-1]), self.space_edges_m, strict=True))

    def time_bands(self) -> list[tuple[int, int]]:
        starts = (0, *(e + 1 for e in self.time_edges_days[:-1]))
        return list(zip(starts, self.time_edges_days, strict=True))

    def describe(self) -> str:
        space = ", ".join(f"{a}–{b} m" for a, b in self.space_bands())
        time = ", ".join(f"{a}–{b} days" for a, b in self.time_bands())
        return (
            f"space bands {space}; time bands {time}; {self.permutations} "
            f"permutations of the dates, seed {self.seed}; significant at "
            f"p ≤ {SIGNIFICANCE:g}"
        )


@dataclass(frozen=True)
class KnoxResult:
    settings: KnoxSettings
    records: int
    pairs: int  # pairs within the largest space band
    observed: np.ndarray  # (space bands, time bands) int
    expected: np.ndarray  # the exact mean over all permutations, float
    p_values: np.ndarray  # Monte Carlo, float

    @property
    def ratio(self) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(self.expected > 0, self.observed / self.expected, np.nan)

    @property
    def significant(self) -> np.ndarray:
        """Cells with more close pairs than chance gives, at SIGNIFICANCE."""
        return (self.p_values <= SIGNIFICANCE) & (self.observed > self.expected)

    @property
    def any_significant(self) -> bool:
        return bool(self.significant.any())


def knox_points(*, qs: QuerySet) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(x, y) in BNG metres where the user may see each record, and its day
    (local date, days since 1970-01-01), read in one query."""
    inner = qs.order_by().values("display_bng", "occurred_from")
    inner_sql, params = inner.query.sql_with_params()
    sql = (
        "SELECT ST_X(r.display_bng), ST_Y(r.display_bng), "
        "(r.occurred_from AT TIME ZONE %s)::date - DATE '1970-01-01' "
        f"FROM ({inner_sql}) AS r WHERE r.display_bng IS NOT NULL"
    )
    with read_connection().cursor() as cur:
        cur.execute(sql, [settings.TIME_ZONE, *params])
        rows = cur.fetchall()
    if not rows:
        empty = np.empty(0)
        return empty, empty, np.empty(0, dtype=np.int64)
    data = np.array(rows, dtype=np.float64)
    return data[:, 0], data[:, 1], data[:, 2].astype(np.int64)


def knox_pairs(*, x: np.ndarray, y: np.ndarray, max_m: float) -> np.ndarray:
    """Index pairs (i < j) no more than max_m apart, as an (n, 2) int array."""
    if len(x) < 2:
        return np.empty((0, 2), dtype=np.int64)
    tree = cKDTree(np.column_stack([x, y]))
    return tree.query_pairs(r=max_m, output_type="ndarray")


def _time_pair_counts(days: np.ndarray, time_edges: tuple[int, ...]) -> np.ndarray:
    """Unordered pairs of all records whose days apart fall in each time band."""
    offset = days - days.min()
    hist = np.bincount(offset).astype(np.float64)
    # corr[k] = pairs (ordered by day) exactly k days apart.
    full = np.correlate(hist, hist, mode="full")[len(hist) - 1 :]
    full[0] = (hist * (hist - 1) / 2).sum()
    lut = np.searchsorted(np.asarray(time_edges), np.arange(len(full)), side="left")
    return np.bincount(lut, weights=full, minlength=len(time_edges) + 1)[
        : len(time_edges)
    ]


def knox_test(
    *, x: np.ndarray, y: np.ndarray, days: np.ndarray, settings: KnoxSettings
) -> KnoxResult:
    n = len(x)
    if n > MAX_RECORDS:
        raise KnoxTooLarge(
            f"{n:,} records: the near-repeat test takes at most {MAX_RECORDS:,}. "
            "Narrow the period or the place."
        )
    space_edges = np.asarray(settings.space_edges_m, dtype=np.float64)
    time_edges = np.asarray(settings.time_edges_days, dtype=np.int64)
    ns, nt = len(space_edges), len(time_edges)
    pairs = knox_pairs(x=x, y=y, max_m=float(space_edges[-1]))
    if len(pairs) > MAX_PAIRS:
        raise KnoxTooLarge(
            f"{len(pairs):,} pairs of records lie within {space_edges[-1]:g} m of "
            f"each other: the test takes at most {MAX_PAIRS:,}. Narrow the period "
            "or the place, or use smaller space bands."
        )
    if len(pairs) * max(settings.permutations, 1) > MAX_PAIR_PERMUTATIONS:
        raise KnoxTooLarge(
            f"{len(pairs):,} pairs of records lie within {space_edges[-1]:g} m of "
            f"each other: {settings.permutations} permutations of them take too "
            "long to run here. Narrow the period or the place, use smaller space "
            "bands, or fewer permutations (99 gives p-values down to 0.01)."
        )
    i = pairs[:, 0].astype(np.intp)
    j = pairs[:, 1].astype(np.intp)
    dist = np.hypot(x[i] - x[j], y[i] - y[j])
    # Band k holds edges[k-1] < d <= edges[k] (the first from 0).
    space_band = np.searchsorted(space_edges, dist, side="left")
    # One look-up table maps (space band, signed days apart) to the cell,
    # with a last column for pairs further apart than the time bands: each
    # permutation is then two gathers, a subtraction, a look-up and a
    # bincount over the pairs (about 25 ns a pair on the bench machine).
    day = (days - (days.min() if n else 0)).astype(np.intp)
    span = int(day.max()) if n else 0
    row = 2 * span + 1
    apart = np.abs(np.arange(-span, span + 1))
    time_band = np.searchsorted(time_edges, apart, side="left")
    width = nt + 1
    lut = (np.arange(ns)[:, None] * width + time_band[None, :]).ravel()
    base = space_band * row + span
    del dist, apart

    def count(d: np.ndarray) -> np.ndarray:
        index = d[i]
        index -= d[j]
        index += base
        cells = np.bincount(lut[index], minlength=ns * width)
        return cells.reshape(ns, width)[:, :nt]

    observed = count(day)
    reached = np.zeros((ns, nt), dtype=np.int64)
    rng = np.random.default_rng(settings.seed)
    if len(pairs):
        for _ in range(settings.permutations):
            reached += count(rng.permutation(day)) >= observed
    else:
        reached += settings.permutations
    # The exact permutation mean: a pair gets a uniformly random pair of the
    # dates, so E = (pairs in the space band) x (date pairs in the time band)
    # / (all pairs). The Monte Carlo mean converges to it.
    all_pairs = n * (n - 1) / 2
    space_pairs = np.bincount(space_band, minlength=ns)[:ns].astype(np.float64)
    time_pairs = (
        _time_pair_counts(days, settings.time_edges_days) if n >= 2 else np.zeros(nt)
    )
    expected = (
        np.outer(space_pairs, time_pairs) / all_pairs
        if all_pairs
        else np.zeros((ns, nt))
    )
    p_values = (1 + reached) / (1 + settings.permutations)
    return KnoxResult(
        settings=settings,
        records=n,
        pairs=len(pairs),
        observed=observed,
        expected=expected,
        p_values=p_values,
    )


def knox_for_records(*, qs: QuerySet, settings: KnoxSettings) -> KnoxResult:
    x, y, days = knox_points(qs=qs)
    return knox_test(x=x, y=y, days=days, settings=settings)
