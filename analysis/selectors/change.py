"""Period change by area, CompStat style: each area of a type, this period
against the one before and against the same period a year earlier.

Counts come from the per-area daily roll-ups (intelligence.rollups
AreaDayCount, kept by triggers in the writer's transaction) wherever they
hold the answer, which is every request without indicator tags: the cost
then follows areas x days, not the records. Otherwise, from one grouped
query over the records' area ids (set at write time, GIN-indexed).

Whether a change is more than chance is the conditional test of two Poisson
counts (Przyborowski and Wilenski 1940): given the total n = a + b over two
periods of the same length, a is binomial(n, 1/2) if the rate did not change. The distribution is symmetric, so the two-sided exact
p-value is 2 P(X <= min(a, b)), capped at 1 (scipy.stats.binomtest gives the
same; tests/analysis check it against scipy).
"""

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q, QuerySet, Sum
from scipy.stats import binom

from common.db.router import read_connection
from common.params import period_bounds
from intelligence.grading import low_grade
from intelligence.rollups import AreaDayCount, rollup_rules_current
from intelligence.selectors import rollup_count_scope, rollup_filter
from locations.models import Area

SIGNIFICANCE = 0.05


def poisson_change_p(*, a, b) -> np.ndarray:
    """Two-sided p-values of the conditional test that counts a and b (arrays,
    same-length periods) come from the same Poisson rate."""
    a = np.asarray(a, dtype=np.int64)
    b = np.asarray(b, dtype=np.int64)
    n = a + b
    low = np.minimum(a, b)
    with np.errstate(invalid="ignore"):
        p = np.minimum(1.0, 2.0 * binom.cdf(low, n, 0.5))
    return np.where(n == 0, 1.0, p)


@dataclass(frozen=True)
class ChangePeriods:
    """Three periods of the same length: this one, the one before, and the
    same dates a year (52 weeks, so weekdays line up) earlier."""

    until: date
    days: int

    @property
    def current(self) -> tuple[date, date]:
        return self.until - timedelta(days=self.days - 1), self.until

    @property
    def previous(self) -> tuple[date, date]:
        start, end = self.current
        return start - timedelta(days=self.days), end - timedelta(days=self.days)

    @property
    def year_ago(self) -> tuple[date, date]:
        start, end = self.current
        return start - timedelta(weeks=52), end - timedelta(weeks=52)

    def describe(self) -> str:
        def words(period):
            return f"{period[0]:%d %b %Y} to {period[1]:%d %b %Y}"

        return (
            f"this period {words(self.current)} ({self.days} days); last period "
            f"{words(self.previous)}; a year ago (52 weeks) {words(self.year_ago)}"
        )


@dataclass
class AreaChange:
    area_id: int
    code: str
    name: str
    current: int
    previous: int
    year_ago: int
    p_previous: float
    p_year: float

    @property
    def change_previous(self) -> int:
        return self.current - self.previous

    @property
    def change_year(self) -> int:
        return self.current - self.year_ago

    @property
    def significant_previous(self) -> bool:
        return self.p_previous <= SIGNIFICANCE

    @property
    def significant_year(self) -> bool:
        return self.p_year <= SIGNIFICANCE


def _three(periods: ChangePeriods) -> tuple[tuple[date, date], ...]:
    return (periods.current, periods.previous, periods.year_ago)


def period_change_rollups_answer(*, tags: tuple[str, ...]) -> bool:
    """Whether the roll-ups hold these counts: they are not split by
    indicator tag, and they must have been written with today's rules."""
    return not tags and rollup_rules_current()


def period_change_by_area_rollups(
    *,
    user: AbstractBaseUser,
    area_type: str,
    periods: ChangePeriods,
    kinds: tuple[str, ...] = (),
    include_low_grade: bool = False,
) -> list[AreaChange]:
    """period_change_by_area's answer summed from the per-area daily
    roll-ups: the same user's scope (handling code C), kinds and low-grade
    rule on rows that share the records' columns, each period's local days
    (as period_bounds cuts them)."""
    rows = rollup_count_scope(user=user, qs=AreaDayCount.objects.all())
    if kinds:
        rows = rows.filter(kind__in=kinds)
    if not include_low_grade:
        rows = rows.exclude(low_grade())
    spans = _three(periods)
    rows = rollup_filter(
        qs=rows, since=min(a for a, _ in spans), until=max(b for _, b in spans)
    )
    sums = {
        f"n{i}": Sum("n", filter=Q(day__gte=a, day__lte=b), default=0)
        for i, (a, b) in enumerate(spans)
    }
    counts = {
        row["area_id"]: (row["n0"], row["n1"], row["n2"])
        for row in rows.order_by().values("area_id").annotate(**sums)
    }
    return _area_changes(counts=counts, area_type=area_type)


def period_change_by_area(
    *, qs: QuerySet, area_type: str, periods: ChangePeriods
) -> list[AreaChange]:
    """One row per area of the type, with its three counts and the tests.
    `qs`: the scoped, filtered records, without a period."""
    bounds = [period_bounds(since=p[0], until=p[1]) for p in _three(periods)]
    earliest = min(b[0] for b in bounds)
    latest = max(b[1] for b in bounds)
    inner = (
        qs.filter(occurred_from__gte=earliest, occurred_from__lt=latest)
        .order_by()
        .values("area_ids", "occurred_from")
    )
    inner_sql, params = inner.query.sql_with_params()
    filters = ", ".join(
        "count(*) FILTER (WHERE r.occurred_from >= %s AND r.occurred_from < %s)"
        for _ in bounds
    )
    sql = (
        f"SELECT aid, {filters} FROM ({inner_sql}) AS r, unnest(r.area_ids) AS aid "
        "GROUP BY aid"
    )
    flat = [t for b in bounds for t in b]
    with read_connection().cursor() as cur:
        cur.execute(sql, [*flat, *params])
        counts = {row[0]: row[1:] for row in cur.fetchall()}
    return _area_changes(counts=counts, area_type=area_type)


def _area_changes(
    *, counts: dict[int, tuple[int, int, int]], area_type: str
) -> list[AreaChange]:
    """Each area of the type with its three counts (none: 0) and tests."""
    areas = list(
        Area.objects.filter(area_type=area_type)
        .order_by("name")
        .values_list("id", "code", "name")
    )
    table = np.array([counts.get(a[0], (0, 0, 0)) for a in areas], dtype=np.int64)
    if not len(areas):
        return []
    p_prev = poisson_change_p(a=table[:, 0], b=table[:, 1])
    p_year = poisson_change_p(a=table[:, 0], b=table[:, 2])
    return [
        AreaChange(
            area_id=area_id,
            code=code,
            name=name,
            current=int(row[0]),
            previous=int(row[1]),
            year_ago=int(row[2]),
            p_previous=float(pp),
            p_year=float(py),
        )
        for (area_id, code, name), row, pp, py in zip(
            areas, table, p_prev, p_year, strict=True
        )
    ]
