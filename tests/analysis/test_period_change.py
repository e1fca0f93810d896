"""Period change by area: the counts of each period, and the Poisson test of
two counts checked against scipy."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from scipy.stats import binomtest

from analysis.selectors.analyses import change_run
from analysis.selectors.change import ChangePeriods, poisson_change_p
from tests import factories

LONDON = ZoneInfo("Europe/London")


def test_poisson_test_matches_scipy():
    counts = [
        (0, 0),
        (0, 1),
        (1, 0),
        (3, 3),
        (2, 9),
        (9, 2),
        (10, 25),
        (40, 20),
        (100, 130),
        (57, 58),
        (0, 12),
        (250, 180),
    ]
    a = [c[0] for c in counts]
    b = [c[1] for c in counts]
    ours = poisson_change_p(a=a, b=b)
    for (x, y), p in zip(counts, ours, strict=True):
        theirs = binomtest(x, x + y, 0.5).pvalue if x + y else 1.0
        assert p == pytest.approx(theirs, rel=1e-9, abs=1e-15), (x, y)


def test_poisson_test_known_values():
    # 10 against 25: P(X <= 10 | n = 35, 1/2) x 2 = 0.0167 (binomial tables).
    assert poisson_change_p(a=[10], b=[25])[0] == pytest.approx(0.01668, abs=1e-4)
    assert poisson_change_p(a=[5], b=[5])[0] == 1.0
    assert np.all(poisson_change_p(a=[0, 3], b=[0, 3]) == 1.0)


def test_periods_line_up():
    periods = ChangePeriods(until=date(2026, 3, 28), days=28)
    assert periods.current == (date(2026, 3, 1), date(2026, 3, 28))
    assert periods.previous == (date(2026, 2, 1), date(2026, 2, 28))
    # 52 weeks back: the same weekdays a year ago.
    assert periods.year_ago == (date(2025, 3, 2), date(2025, 3, 29))
    assert periods.year_ago[0].weekday() == periods.current[0].weekday()


@pytest.mark.django_db
def test_counts_and_flags_by_ward(analyst, licensing_officer):
    ward = factories.make_area(name="Centre")
    quiet = factories.make_area(
        name="Quiet",
        geom=factories.geom(
            "MULTIPOLYGON(((-1.60 52.36, -1.56 52.36, -1.56 52.38, -1.60 52.38, "
            "-1.60 52.36)))"
        ),
    )
    periods = ChangePeriods(until=date(2026, 3, 28), days=28)

    def on(day: date, n: int, **kw):
        for k in range(n):
            factories.make_record(
                occurred_from=datetime(day.year, day.month, day.day, 12, tzinfo=LONDON)
                + timedelta(hours=k),
                **kw,
            )

    on(date(2026, 3, 10), 25)  # this period, Centre
    on(date(2026, 2, 10), 8)  # last period
    on(date(2025, 3, 10), 24)  # a year ago
    on(date(2026, 3, 12), 2, point=factories.geom("POINT(-1.58 52.37)"))  # Quiet
    on(date(2026, 1, 1), 5)  # outside every period
    rows = {
        r.name: r for r in change_run(user=analyst, area_type="ward", periods=periods)
    }
    centre = rows["Centre"]
    assert (centre.current, centre.previous, centre.year_ago) == (25, 8, 24)
    assert centre.significant_previous and not centre.significant_year
    assert centre.p_previous == pytest.approx(binomtest(8, 33, 0.5).pvalue)
    assert (rows["Quiet"].current, rows["Quiet"].previous) == (2, 0)
    assert not rows["Quiet"].significant_previous
    assert ward.pk == centre.area_id and quiet.pk == rows["Quiet"].area_id


@pytest.mark.django_db
def test_the_rollups_answer_exactly_as_the_records_do(
    monkeypatch,
    analyst,
    licensing_officer,
    safety_officer,
    tasking_officer,
    admin_user,
):
    """Counts summed from the per-area daily roll-ups equal the records'
    counts for every role, kind and low-grade choice, over random records
    in two wards, three periods and the days around their edges; after a
    regrade, a re-timing and a disposal too."""
    import random

    from analysis.selectors import analyses
    from intelligence.models import IntelligenceRecord
    from intelligence.services import record_review_dispose

    factories.make_area(name="Centre")
    factories.make_area(
        name="Quiet",
        geom=factories.geom(
            "MULTIPOLYGON(((-1.60 52.36, -1.56 52.36, -1.56 52.38, -1.60 52.38, "
            "-1.60 52.36)))"
        ),
    )
    periods = ChangePeriods(until=date(2026, 3, 28), days=28)
    rng = random.Random(7)
    edges = [
        d for p in (periods.current, periods.previous, periods.year_ago) for d in p
    ]
    for _ in range(160):
        day = rng.choice(edges) + timedelta(days=rng.choice([-1, 0, 0, 1, 5]))
        kind = rng.choice(["intelligence", "missing", "incident"])
        factories.make_record(
            kind=kind,
            missing_point="last_seen" if kind == "missing" else "",
            occurred_from=datetime(day.year, day.month, day.day, tzinfo=LONDON)
            + timedelta(minutes=rng.choice([0, 30, 23 * 60 + 59])),
            source_evaluation=rng.choice("1233"),
            intelligence_assessment=rng.choice("ABCDE"),
            **rng.choice(
                [
                    {"handling_code": "P"},
                    {"handling_code": "P"},
                    {"handling_code": "C", "handling_conditions": "Analysts only."},
                ]
            ),
            point=factories.geom(
                rng.choice(["POINT(-1.58 52.37)", factories.CENTRE_POINT_WKT])
            ),
        )

    def both(user, **kw):
        rolled = analyses.change_run(user=user, area_type="ward", periods=periods, **kw)
        with monkeypatch.context() as m:
            m.setattr(analyses, "period_change_rollups_answer", lambda **_: False)
            records = analyses.change_run(
                user=user, area_type="ward", periods=periods, **kw
            )
        return rolled, records

    def check():
        assert analyses.period_change_rollups_answer(tags=())
        assert not analyses.period_change_rollups_answer(tags=("cash",))
        seen = 0
        for user in (analyst, licensing_officer, safety_officer, tasking_officer):
            for kinds in ((), ("missing",), ("intelligence", "incident")):
                for low in (False, True):
                    rolled, records = both(user, kinds=kinds, include_low_grade=low)
                    assert rolled == records, (user, kinds, low)
                    seen += sum(r.current + r.previous + r.year_ago for r in records)
        assert seen > 0

    check()
    some = list(IntelligenceRecord.objects.order_by("pk")[:12])
    for r in some[:4]:
        r.source_evaluation, r.intelligence_assessment = "3", "E"
        r.save()
    for r in some[4:8]:
        r.occurred_from -= timedelta(days=28)
        r.save()
    for r in some[8:12]:
        record_review_dispose(record=r, user=admin_user, reason="Past its review.")
    check()
