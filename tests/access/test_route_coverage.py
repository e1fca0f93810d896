"""The matrix has a row for every route, and no row for a route that is gone."""

import pytest
from django.http import HttpResponse
from django.test import override_settings
from django.urls import path

from intel_map.urls import urlpatterns as site_urlpatterns

from .cells import cell_list, is_admin_route
from .matrix import ROLES, ROWS, ROWS_BY_ROUTE, Row
from .routes import route_list


def routes_without_a_row() -> list[str]:
    return sorted(
        f"{r.key}  (/{r.pattern})"
        for r in route_list()
        if not is_admin_route(r) and r.key not in ROWS_BY_ROUTE
    )


def rows_without_a_route() -> list[str]:
    keys = {r.key for r in route_list()}
    return sorted(row.route for row in ROWS if row.route not in keys)


def test_every_route_has_a_row():
    missing = routes_without_a_row()
    assert not missing, (
        "Routes without a row in tests/access/matrix.py (add a Row for each):\n  "
        + "\n  ".join(missing)
    )


def test_every_row_has_a_route():
    gone = rows_without_a_route()
    assert not gone, (
        "Rows in tests/access/matrix.py for routes the URL conf no longer has:\n  "
        + "\n  ".join(gone)
    )


def _new_page(request):
    return HttpResponse("new")


# The site's URL conf with one route more, as a change adding a page makes it.
urlpatterns = [
    *site_urlpatterns,
    path("retention/queue/", _new_page, name="retention-queue"),
    path("unnamed/", _new_page),
]


@override_settings(ROOT_URLCONF=__name__)
def test_a_new_route_without_a_row_is_named():
    assert routes_without_a_row() == [
        "retention-queue  (/retention/queue/)",
        "unnamed/  (/unnamed/)",
    ]


def test_a_row_names_one_outcome_per_role():
    with pytest.raises(ValueError, match="analysis:clocks: 5 outcomes for 8 roles"):
        Row("analysis:clocks", get="login 200 200 200 200", post="").outcomes("get")


def test_every_row_gives_every_role_a_cell_for_each_method():
    cells = cell_list()
    for row in ROWS:
        for method in ("get", "post"):
            roles = {c.role for c in cells if c.row is row and c.method == method}
            assert roles == set(ROLES), (row.route, method)
