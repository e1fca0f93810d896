"""The matrix has a row for every route, and no row for a route that is gone."""

from .cells import _is_admin, cell_list
from .matrix import ROWS, ROWS_BY_ROUTE
from .routes import route_list


def test_every_route_has_a_row():
    missing = sorted(
        f"{r.key}  (/{r.pattern})"
        for r in route_list()
        if not _is_admin(r) and r.key not in ROWS_BY_ROUTE
    )
    assert not missing, (
        "Routes without a row in tests/access/matrix.py (add a Row for each):\n  "
        + "\n  ".join(missing)
    )


def test_every_row_has_a_route():
    keys = {r.key for r in route_list()}
    gone = sorted(row.route for row in ROWS if row.route not in keys)
    assert not gone, (
        "Rows in tests/access/matrix.py for routes the URL conf no longer has:\n  "
        + "\n  ".join(gone)
    )


def test_every_row_covers_every_role_and_method():
    # A row that is malformed (too few outcomes) fails when its cells are made.
    cells = cell_list()
    routes = {c.route.key for c in cells}
    assert routes >= set(ROWS_BY_ROUTE)
