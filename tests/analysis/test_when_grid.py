"""The when-grid: hours and days in local time, and windows spread
aoristically, to the exact share of each hour."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from analysis.selectors.selection import Selection, selection_records
from analysis.selectors.when import when_grid
from tests.factories import make_record

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
# Monday 2 March 2026 (GMT) and Monday 6 July 2026 (BST, UTC+1).
MONDAY = datetime(2026, 3, 2, tzinfo=LONDON)
SUMMER_MONDAY = datetime(2026, 7, 6, tzinfo=LONDON)
WINTER_AND_SUMMER = Selection(since=date(2026, 2, 1), until=date(2026, 7, 31))
MON, TUE, FRI, SAT = 0, 1, 4, 5


def _grid(user):
    return when_grid(qs=selection_records(user=user, selection=WINTER_AND_SUMMER))


def _at(day: datetime, hour: int, minute: int = 0) -> datetime:
    return day.replace(hour=hour, minute=minute)


def test_a_moment_counts_once_in_its_local_hour(analyst):
    make_record(occurred_from=_at(MONDAY, 10, 15))
    # 10:15 BST is 09:15 UTC: still Monday 10:00-11:00 on the grid.
    make_record(occurred_from=_at(SUMMER_MONDAY, 10, 15))
    grid = _grid(analyst)
    assert grid.records == 2 and grid.spread == 0
    assert grid.cells[MON, 10] == 2
    assert grid.cells.sum() == 2


def test_a_window_is_spread_over_the_hours_it_covers(analyst):
    friday = MONDAY + timedelta(days=4)
    # 22:00 Friday to 02:00 Saturday: a quarter in each of four hours.
    make_record(
        occurred_from=_at(friday, 22), occurred_to=_at(friday, 22) + timedelta(hours=4)
    )
    # 22:30 to 00:30: a quarter, a half, a quarter.
    make_record(
        occurred_from=_at(MONDAY, 22, 30),
        occurred_to=_at(MONDAY, 22, 30) + timedelta(hours=2),
    )
    grid = _grid(analyst)
    assert grid.records == 2 and grid.spread == 2
    expected = np.zeros((7, 24))
    expected[FRI, 22] = expected[FRI, 23] = 0.25
    expected[SAT, 0] = expected[SAT, 1] = 0.25
    expected[MON, 22] += 0.25
    expected[MON, 23] += 0.5
    expected[TUE, 0] += 0.25
    assert np.allclose(grid.cells, expected)


def test_a_window_longer_than_a_week_still_counts_once(analyst):
    # Eight days from Monday 06:00: every hour of the week gets 1/192 for
    # the whole week, and the hours of the eighth day (Monday 06:00 to
    # Tuesday 06:00) 1/192 more.
    start = _at(MONDAY, 6)
    make_record(occurred_from=start, occurred_to=start + timedelta(days=8))
    grid = _grid(analyst)
    assert grid.spread == 1
    assert grid.cells.sum() == pytest.approx(1.0)
    assert grid.cells[MON, 6] == pytest.approx(2 / 192)
    assert grid.cells[TUE, 5] == pytest.approx(2 / 192)
    assert grid.cells[TUE, 6] == pytest.approx(1 / 192)
    assert grid.cells[MON, 5] == pytest.approx(1 / 192)


def test_a_moment_record_and_a_window_together(analyst):
    make_record(occurred_from=_at(MONDAY, 9))
    make_record(occurred_from=_at(MONDAY, 9), occurred_to=_at(MONDAY, 11))
    grid = _grid(analyst)
    assert grid.records == 2 and grid.spread == 1
    assert grid.cells[MON, 9] == pytest.approx(1.5)
    assert grid.cells[MON, 10] == pytest.approx(0.5)
    assert grid.by_day[MON] == pytest.approx(2)
