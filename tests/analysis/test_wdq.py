"""Weighted displacement quotient (Bowers and Johnson 2003), on a worked
example and on records placed around a premises."""

from datetime import UTC, datetime, timedelta

import pytest

from analysis.selectors.wdq import WDQSettings, wdq_compute, wdq_for_location
from tests import factories

from .conftest import bng


def test_worked_example_diffusion_of_benefits():
    # Worked by hand. Target 100 -> 60, buffer 50 -> 45, control 1000 -> 1100.
    # SM = 60/1100 - 100/1000 = -0.0454545; BM = 45/1100 - 50/1000 = -0.0090909
    # WDQ = BM / SM = 0.2; net effect = (100 x 1.1 - 60) + (50 x 1.1 - 45) = 60.
    r = wdq_compute(a0=100, a1=60, b0=50, b1=45, c0=1000, c1=1100)
    assert r.success_measure == pytest.approx(-0.0454545, abs=1e-6)
    assert r.buffer_measure == pytest.approx(-0.0090909, abs=1e-6)
    assert r.wdq == pytest.approx(0.2)
    assert r.total_net_effect == pytest.approx(60)
    assert "diffusion of benefits" in r.verdict


def test_worked_example_some_displacement():
    # Buffer 50 -> 66: BM = 0.06 - 0.05 = 0.01; WDQ = 0.01 / -0.0454545 = -0.22.
    r = wdq_compute(a0=100, a1=60, b0=50, b1=66, c0=1000, c1=1100)
    assert r.wdq == pytest.approx(-0.22)
    assert r.total_net_effect == pytest.approx(39)
    assert "some displacement" in r.verdict


def test_no_success_and_no_control():
    assert wdq_compute(a0=5, a1=9, b0=1, b1=1, c0=10, c1=10).wdq is None
    assert "cannot be judged" in wdq_compute(a0=5, a1=1, b0=1, b1=1, c0=0, c1=4).verdict


@pytest.mark.django_db
def test_counts_by_ring_and_period(square_ward):
    at = datetime(2026, 2, 1, tzinfo=UTC)
    hotel = factories.make_location(point=bng(432000, 282000))
    placed = {  # (distance north in m, days from the action): how many
        (50, -10): 6,
        (50, 10): 2,
        (350, -10): 3,
        (350, 10): 4,
        (1000, -10): 20,
        (1000, 10): 22,
        (3000, 10): 9,  # beyond the control ring
        (50, -100): 5,  # before the before-period
    }
    for (d, days), n in placed.items():
        for _ in range(n):
            factories.make_record(
                point=bng(432000, 282000 + d), occurred_from=at + timedelta(days=days)
            )
    r = wdq_for_location(location_id=hotel.pk, settings=WDQSettings(at=at, days=30))
    assert (r.a0, r.a1, r.b0, r.b1, r.c0, r.c1) == (6, 2, 3, 4, 20, 22)
    assert r.wdq == pytest.approx((4 / 22 - 3 / 20) / (2 / 22 - 6 / 20))
