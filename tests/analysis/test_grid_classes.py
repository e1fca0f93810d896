"""Grid counts in PostGIS and the new / emerging / persistent / former classes
on hand-made data: four 2 x 2-cell clusters in a 16 x 16 grid of 250 m cells."""

from datetime import timedelta

import numpy as np
import pytest

from analysis.selectors.gistar import GridSettings, grid_build, hotspot_grid
from intelligence.models import IntelligenceRecord
from tests import factories

from .conftest import END, bng

pytestmark = pytest.mark.django_db
CELL = 250


def _cluster(row, col, periods, per_cell=8):
    """per_cell records in each of the 2 x 2 cells from (row, col), per period."""
    records = []
    for period in periods:
        for dr in (0, 1):
            for dc in (0, 1):
                x0 = 430000 + (col + dc) * CELL
                y0 = 280000 + (row + dr) * CELL
                for i in range(per_cell):
                    records.append(
                        factories.make_record(
                            point=bng(x0 + 50 + 20 * (i % 4), y0 + 50 + 40 * (i // 4)),
                            source_evaluation="1",
                            intelligence_assessment="A",
                            occurred_from=END - timedelta(days=28 * period + 2 + i),
                        )
                    )
    return records


@pytest.fixture
def grid_scene(square_ward):
    _cluster(2, 2, [0])  # hot now only
    _cluster(12, 12, [0, 1, 2, 3])  # hot in every period
    _cluster(2, 12, [1, 2, 3])  # hot before, not now
    _cluster(12, 2, [0, 3])  # hot now, and in one of the three before


def test_grid_counts_land_in_the_right_cells(grid_scene):
    grid = grid_build(settings=GridSettings(end=END, cell_m=CELL))
    assert grid.shape == (16, 16)
    assert (grid.gx0, grid.gy0) == (430000 // CELL, 280000 // CELL)
    assert grid.counts[0, 2, 2] == grid.counts[0, 3, 3] == 8
    assert grid.counts[0, 2, 12] == 0 and grid.counts[2, 2, 12] == 8
    assert grid.counts[0].sum() == 3 * 32
    assert grid.counts.sum() == IntelligenceRecord.objects.count()
    np.testing.assert_allclose(grid.values[0, 2, 2], 8.0)


def test_classes(grid_scene):
    result = hotspot_grid(settings=GridSettings(end=END, cell_m=CELL))
    assert result.classes[2, 2] == "new"
    assert result.classes[12, 12] == "persistent"
    assert result.classes[2, 12] == "former"
    assert result.classes[12, 2] == "emerging"
    assert result.classes[7, 7] == ""
    cells = {(c.row, c.col): c for c in result.cells()}
    assert cells[(2, 2)].hot and cells[(2, 2)].q <= 0.05 and cells[(2, 2)].z > 3
    assert (7, 7) not in cells
