"""The Knox test against known answers: a table computed by hand, a planted
near-repeat pattern, and sets with none."""

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from analysis.selectors.knox import KnoxSettings, knox_for_records, knox_test
from analysis.selectors.selection import Selection, selection_records
from tests.analysis.conftest import bng
from tests.factories import make_record

SMALL = KnoxSettings(
    space_edges_m=(100, 200), time_edges_days=(7, 14), permutations=199, seed=7
)


def test_hand_computed_knox_table():
    # Four records on a line, 0, 50, 150 and 1,000 m along, on days
    # 0, 3, 10 and 2. Pairs within 200 m: (0,1) 50 m 3 days;
    # (0,2) 150 m 10 days; (1,2) 100 m 7 days. The fourth is too far.
    x = np.array([0.0, 50.0, 150.0, 1000.0])
    y = np.zeros(4)
    days = np.array([0, 3, 10, 2])
    result = knox_test(x=x, y=y, days=days, settings=SMALL)
    assert result.records == 4 and result.pairs == 3
    # Rows 0-100 m and 100-200 m; columns 0-7 and 8-14 days. 100 m falls
    # in the first band, 7 days in the first.
    assert result.observed.tolist() == [[2, 0], [0, 1]]
    # Expected: (pairs in the space band) x (date pairs in the time band) /
    # (all 6 pairs). Date pairs: |0-3|=3, |0-10|=10, |0-2|=2, |3-10|=7,
    # |3-2|=1, |10-2|=8: four 0-7 days apart (3, 2, 7, 1), two 8-14 (10, 8).
    expected = np.array([[2 * 4 / 6, 2 * 2 / 6], [1 * 4 / 6, 1 * 2 / 6]])
    assert np.allclose(result.expected, expected)
    assert np.allclose(result.ratio, result.observed / expected)
    # With so few records nothing can be significant.
    assert not result.any_significant


def test_expected_is_the_mean_over_permutations():
    rng = np.random.default_rng(3)
    x, y = rng.uniform(0, 600, 80), rng.uniform(0, 600, 80)
    days = rng.integers(0, 60, 80)
    result = knox_test(x=x, y=y, days=days, settings=SMALL)
    # The mean over many shuffles of the dates, counted directly.
    i, j = np.triu_indices(80, 1)
    d = np.hypot(x[i] - x[j], y[i] - y[j])
    band = np.where(d <= 100, 0, np.where(d <= 200, 1, -1))
    total = np.zeros((2, 2))
    runs = 2000
    for _ in range(runs):
        p = rng.permutation(days)
        apart = np.abs(p[i] - p[j])
        for s in (0, 1):
            total[s, 0] += ((band == s) & (apart <= 7)).sum()
            total[s, 1] += ((band == s) & (apart >= 8) & (apart <= 14)).sum()
    assert np.allclose(total / runs, result.expected, rtol=0.03)


def _background(rng, n, *, size_m=5000, days=365):
    return (
        rng.uniform(0, size_m, n),
        rng.uniform(0, size_m, n),
        rng.integers(0, days, n),
    )


def test_planted_near_repeat_pattern_is_significant():
    rng = np.random.default_rng(11)
    x, y, days = _background(rng, 400)
    # 40 burglaries each followed by two more within 80 m and 5 days.
    seeds = rng.integers(0, 400, 40)
    near_x = np.concatenate([x[seeds] + rng.uniform(-55, 55, 40) for _ in range(2)])
    near_y = np.concatenate([y[seeds] + rng.uniform(-55, 55, 40) for _ in range(2)])
    near_days = np.concatenate([days[seeds] + rng.integers(0, 6, 40) for _ in range(2)])
    result = knox_test(
        x=np.concatenate([x, near_x]),
        y=np.concatenate([y, near_y]),
        days=np.concatenate([days, near_days]),
        settings=KnoxSettings(permutations=999, seed=1),
    )
    assert result.significant[0, 0]  # 0-100 m, 0-7 days
    assert result.ratio[0, 0] > 3
    assert result.p_values[0, 0] == pytest.approx(1 / 1000)
    # Far apart in time, the planted pairs add nothing.
    assert not result.significant[0, 2]
    assert not result.significant[2, 2]


def test_no_pattern_is_not_significant():
    rng = np.random.default_rng(5)
    x, y, days = _background(rng, 1500, size_m=3000)
    result = knox_test(x=x, y=y, days=days, settings=KnoxSettings(seed=2))
    assert not result.any_significant
    assert np.all(np.abs(result.ratio - 1) < 0.35)


def test_false_alarms_are_as_rare_as_the_level_says():
    # Twenty sets with no pattern, nine cells each: about 5 % of the cells
    # may come out significant by chance, and no more than that.
    flagged = cells = 0
    for seed in range(20):
        rng = np.random.default_rng(100 + seed)
        x, y, days = _background(rng, 300, size_m=2000, days=120)
        result = knox_test(
            x=x, y=y, days=days, settings=KnoxSettings(permutations=199, seed=seed)
        )
        flagged += int((result.p_values <= 0.05).sum())
        cells += result.p_values.size
    assert flagged / cells <= 0.10


def test_same_seed_same_answer_and_seed_matters():
    rng = np.random.default_rng(9)
    x, y, days = _background(rng, 300, size_m=1500, days=90)
    a = knox_test(x=x, y=y, days=days, settings=SMALL)
    b = knox_test(x=x, y=y, days=days, settings=SMALL)
    assert np.array_equal(a.p_values, b.p_values)
    other = KnoxSettings(
        space_edges_m=SMALL.space_edges_m,
        time_edges_days=SMALL.time_edges_days,
        permutations=SMALL.permutations,
        seed=8,
    )
    assert not np.array_equal(
        knox_test(x=x, y=y, days=days, settings=other).p_values, a.p_values
    )


@pytest.mark.django_db
def test_knox_reads_positions_and_local_days_from_postgis(square_ward, analyst):
    start = datetime(2026, 1, 5, 23, 30, tzinfo=UTC)
    make_record(point=bng(431000, 281000), occurred_from=start)
    # 60 m away, the next local day.
    make_record(point=bng(431060, 281000), occurred_from=start + timedelta(hours=1))
    # 150 m away, 10 days later.
    make_record(point=bng(431150, 281000), occurred_from=start + timedelta(days=10))
    selection = Selection(since=start.date(), until=(start + timedelta(days=30)).date())
    result = knox_for_records(
        qs=selection_records(user=analyst, selection=selection), settings=SMALL
    )
    assert result.records == 3
    # (1,2): 60 m, 1 day; (1,3): 150 m, 10 days; (2,3): 90 m, 9 days.
    assert result.observed.tolist() == [[1, 1], [0, 1]]


def test_a_test_too_large_for_a_request_is_refused_with_a_reason(monkeypatch):
    from analysis.selectors import knox

    monkeypatch.setattr(knox, "MAX_PAIR_PERMUTATIONS", 1000)
    rng = np.random.default_rng(1)
    x, y, days = _background(rng, 200, size_m=300)
    with pytest.raises(knox.KnoxTooLarge, match="fewer permutations"):
        knox_test(x=x, y=y, days=days, settings=SMALL)


@pytest.mark.django_db
def test_api_answers_a_too_large_test_with_400(client_for, analyst, monkeypatch):
    from analysis.selectors import knox

    monkeypatch.setattr(knox, "MAX_PAIR_PERMUTATIONS", 10)
    for hours in range(3):
        make_record(occurred_from=datetime(2026, 3, 1, hours, tzinfo=UTC))
    r = client_for(analyst).get(
        "/api/v1/analysis/near-repeat/", {"until": "2026-03-02", "days": 30}
    )
    assert r.status_code == 400
    assert "Narrow the period" in r.json()["selection"][0]
