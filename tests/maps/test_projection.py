"""Heat-map cell sizes and drawn-area sizes measured in British National Grid
metres, with the coordinate transformation kept per thread."""

import threading

import pytest
from django.contrib.gis.geos import Polygon

from maps.selectors import (
    MAX_CELLS,
    area_polygon_size_ok,
    heatmap_cell_size,
    projected,
)


def box(w, s, e, n):
    p = Polygon.from_bbox((w, s, e, n))
    p.srid = 4326
    return p


def test_projected_matches_a_fresh_transform_and_keeps_the_input():
    b = box(-1.54, 52.39, -1.48, 52.42)
    expected = b.transform(27700, clone=True)
    for _ in range(2):  # the second call uses the kept transformation
        got = projected(b)
        assert got.srid == 27700
        assert got.area == pytest.approx(expected.area, rel=1e-9)
        assert got.coords[0][0] == pytest.approx(expected.coords[0][0], abs=1e-3)
    assert b.srid == 4326 and b.coords == box(-1.54, 52.39, -1.48, 52.42).coords


def test_each_thread_gets_a_working_transformation():
    b = box(-1.54, 52.39, -1.48, 52.42)
    areas = []
    threads = [
        threading.Thread(target=lambda: areas.append(projected(b).area))
        for _ in range(4)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(areas) == 4 and max(areas) == pytest.approx(min(areas))


def test_cell_size_doubles_out_and_bounds_the_cells_in_view():
    centre = box(-1.54, 52.40, -1.48, 52.42)
    assert heatmap_cell_size(zoom=16, bbox=centre) == 25
    assert heatmap_cell_size(zoom=12, bbox=centre) == 400
    # A whole-country box at zoom 16 would be millions of 25 m cells: the
    # grid coarsens until at most MAX_CELLS cover it.
    country = box(-5.0, 50.5, 1.5, 55.5)
    cell = heatmap_cell_size(zoom=16, bbox=country)
    assert projected(country).area / cell**2 <= MAX_CELLS
    assert projected(country).area / (cell / 2) ** 2 > MAX_CELLS


def test_drawn_area_size_limit_in_square_kilometres():
    assert area_polygon_size_ok(polygon=box(-1.6, 52.35, -1.4, 52.45))
    assert not area_polygon_size_ok(polygon=box(-3.0, 51.5, 0.0, 53.5))
