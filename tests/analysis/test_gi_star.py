"""Gi* against PySAL's esda on the same grid, FDR and the period classes."""

import numpy as np
import pytest
from esda.getisord import G_Local
from libpysal.weights import lat2W

from analysis.selectors.gistar import (
    EMERGING,
    FORMER,
    NEW,
    PERSISTENT,
    fdr_bh,
    gi_star,
    hot_class,
    hot_classes,
)


def _esda_z(values: np.ndarray) -> np.ndarray:
    rows, cols = values.shape
    # lat2W numbers cells row by row, as values.ravel() does.
    w = lat2W(rows, cols, rook=False)
    g = G_Local(values.ravel(), w, transform="B", star=True, permutations=0)
    return np.asarray(g.Zs).reshape(rows, cols)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_gi_star_matches_esda(seed):
    rng = np.random.default_rng(seed)
    values = rng.poisson(0.6, size=(9, 13)).astype(float)
    values[3:5, 6:8] += 6  # a cluster
    ours = gi_star(values)
    theirs = _esda_z(values)
    np.testing.assert_allclose(ours, theirs, rtol=1e-9, atol=1e-9)
    # The planted cluster is where the highest z is.
    r, c = np.unravel_index(np.argmax(ours), ours.shape)
    assert 2 <= r <= 5 and 5 <= c <= 8


def test_flat_grid_has_no_hot_spots():
    assert not gi_star(np.full((4, 4), 3.0)).any()


@pytest.mark.parametrize("shape", [(1, 2), (2, 2), (3, 3)])
def test_cells_neighbouring_the_whole_grid_score_zero(shape):
    values = np.arange(1, shape[0] * shape[1] + 1, dtype=float).reshape(shape)
    z = gi_star(values)
    assert np.isfinite(z).all()
    if shape == (3, 3):
        assert z[1, 1] == 0 and z[0, 0] != 0
    else:
        assert (z == 0).all()


def test_benjamini_hochberg_known_answer():
    # Worked by hand: m = 5, alpha 0.05; p*m/rank = .005 .0125 .05 .05 .5
    p = np.array([0.001, 0.005, 0.03, 0.04, 0.5])
    q, sig = fdr_bh(p, 0.05)
    np.testing.assert_allclose(q, [0.005, 0.0125, 0.05, 0.05, 0.5])
    assert sig.tolist() == [True, True, True, True, False]
    # Unadjusted, 0.03 and 0.04 pass 0.05; Bonferroni (0.01) would keep only two.
    q2, sig2 = fdr_bh(np.array([0.04, 0.001, 0.9]), 0.05)
    assert sig2.tolist() == [False, True, False]


@pytest.mark.parametrize(
    "now,before,expected",
    [
        (True, [False, False, False], NEW),
        (True, [True, False, False], EMERGING),
        (True, [False, True, True], PERSISTENT),
        (True, [True, True, True], PERSISTENT),
        (False, [False, False, True], FORMER),
        (False, [False, False, False], ""),
    ],
)
def test_hot_class(now, before, expected):
    assert hot_class(hot_now=now, hot_before=before) == expected
    grid = hot_classes(
        hot_now=np.array([[now]]), hot_before=np.array(before).reshape(-1, 1, 1)
    )
    assert grid[0, 0] == expected
