"""The registers (records, premises, actions): one filtered, sorted, paged
table each, exported as CSV or GeoJSON.

django-filter parses and applies the filters, django-tables2 sorts, pages
and exports (through tablib). Pages never count the whole selection:
LazyPaginator asks for one row past the page to know whether another
follows. An export is exactly the filtered selection, asks for its own
reason and is written to the access log: a register's view is declared with
audit.consults.consults, and the register reports what it showed.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django_filters import FilterSet
from django_tables2 import RequestConfig, Table
from django_tables2.export import TableExport
from django_tables2.paginators import LazyPaginator
from tablib import Dataset

from accounts.reauth import export_reauth_redirect
from audit.consults import consult_denied, consulted
from audit.models import AccessAction
from audit.web import export_justification_or_page
from common.exports import csv_cell

PAGE_SIZE = 50
# One export holds at most this many rows; more asks for narrower filters.
EXPORT_MAX_ROWS = 10_000
EXPORT_PARAM = "_export"
# "Show these on the map": the map asks the register for its rows as points.
MAP_PARAM = "_map"
MAP_MAX_FEATURES = 2_000
FORMATS = ("csv", "geojson")


class InertCsvExport(TableExport):
    """tablib's CSV, with every cell a spreadsheet would read as a formula
    (= + - @ tab) made inert (common.exports.csv_cell)."""

    def table_to_dataset(self, table, exclude_columns, dataset_kwargs=None):
        dataset = Dataset(**(dataset_kwargs or {}))
        for i, row in enumerate(table.as_values(exclude_columns=exclude_columns)):
            cells = [csv_cell(v) for v in row]
            if i == 0:
                dataset.headers = cells
            else:
                dataset.append(cells)
        return dataset


@dataclass(frozen=True)
class Register:
    """What a register is: its name, filters, table and how it is logged."""

    name: str  # "Records register"
    filterset: type[FilterSet]
    table: type[Table]
    template: str
    filename: str  # without extension
    # Records: page ids are logged as listed; otherwise only exports are.
    lists_records: bool = False
    # The attribute holding the point each row is shown at.
    point_attr: str = "display_point"
    # What a row says on the map ("show these on the map"): a label and
    # the row's page, never more than the register's own page shows.
    map_label: Callable[[object], str] = str
    # Who may export it, when not everyone who reads it.
    export_permission: str = ""
    # The map's layer for "show these on the map" (static/js/layers/selection.js).
    map_layer: str = ""


@dataclass
class Selection:
    """A register's filtered rows for one request, before paging."""

    filters: FilterSet
    valid: bool

    @property
    def qs(self):
        return self.filters.qs if self.valid else self.filters.queryset.none()


def register_select(
    *, register: Register, request: HttpRequest, qs, **filter_kwargs
) -> Selection:
    filters = register.filterset(
        request.GET, queryset=qs, request=request, **filter_kwargs
    )
    return Selection(filters=filters, valid=filters.is_valid())


def _row_ids(rows) -> list[int]:
    return [r.pk for r in rows]


def _geojson(table: Table, rows: list, point_attr: str) -> str:
    values = list(table.as_values())
    headers, body = values[0], values[1:]
    features = []
    for obj, cells in zip(rows, body, strict=True):
        point = getattr(obj, point_attr, None)
        features.append(
            {
                "type": "Feature",
                "id": obj.pk,
                "geometry": json.loads(point.geojson) if point else None,
                "properties": dict(zip(headers, cells, strict=True)),
            }
        )
    return json.dumps(
        {"type": "FeatureCollection", "features": features}, cls=DjangoJSONEncoder
    )


def _export(request, *, register: Register, selection: Selection, fmt: str):
    perm = register.export_permission
    if perm and not request.user.has_perm(perm):
        consult_denied(request, what=f"{register.name}: export")
        raise PermissionDenied("Your role cannot export this register.")
    if (confirm := export_reauth_redirect(request)) is not None:
        return confirm
    reason, page = export_justification_or_page(
        request, what=f"{register.name}: {fmt.upper()} export"
    )
    if page is not None:
        return page
    sorter = register.table(selection.qs)
    RequestConfig(request, paginate=False).configure(sorter)
    rows = list(sorter.data.data[: EXPORT_MAX_ROWS + 1])
    if len(rows) > EXPORT_MAX_ROWS:
        return render(
            request,
            "registers/too_many.html",
            {"register": register, "limit": EXPORT_MAX_ROWS},
            status=400,
        )
    table = register.table(rows)
    consulted(
        request,
        action=AccessAction.EXPORTED,
        what=f"{register.name}: {fmt.upper()} export of {len(rows)} rows",
        record_ids=_row_ids(rows) if register.lists_records else (),
        count=None if register.lists_records else 0,
        justification=reason,
    )
    if fmt == "csv":
        return InertCsvExport("csv", table).response(
            filename=f"{register.filename}.csv"
        )
    response = HttpResponse(
        _geojson(table, rows, register.point_attr),
        content_type="application/geo+json",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{register.filename}.geojson"'
    )
    return response


def _map_feed(request, *, register: Register, selection: Selection, justification):
    rows = list(selection.qs[: MAP_MAX_FEATURES + 1])
    more = len(rows) > MAP_MAX_FEATURES
    rows = rows[:MAP_MAX_FEATURES]
    if register.lists_records:
        consulted(
            request,
            action=AccessAction.LISTED,
            what=f"{register.name}: shown on the map",
            record_ids=_row_ids(rows),
            justification=justification,
        )
    features = []
    for obj in rows:
        point = getattr(obj, register.point_attr, None)
        if point is None:
            continue
        features.append(
            {
                "type": "Feature",
                "id": obj.pk,
                "geometry": {"type": "Point", "coordinates": [point.x, point.y]},
                "properties": {
                    "label": register.map_label(obj),
                    "url": obj.get_absolute_url(),
                    "approximate": bool(getattr(obj, "position_approximate", False)),
                },
            }
        )
    return JsonResponse(
        {"type": "FeatureCollection", "features": features, "truncated": more}
    )


def register_response(
    request: HttpRequest,
    *,
    register: Register,
    selection: Selection,
    justification: str = "",
    context: dict | None = None,
) -> HttpResponse:
    """The register's page (or its export, when `_export` asks for one)."""
    if request.GET.get(MAP_PARAM) and selection.valid:
        return _map_feed(
            request, register=register, selection=selection, justification=justification
        )
    fmt = request.GET.get(EXPORT_PARAM)
    if fmt and selection.valid:
        if fmt not in FORMATS:
            fmt = ""
        else:
            return _export(request, register=register, selection=selection, fmt=fmt)
    table = register.table(selection.qs)
    RequestConfig(
        request,
        paginate={"paginator_class": LazyPaginator, "per_page": PAGE_SIZE},
    ).configure(table)
    rows = [row.record for row in table.page.object_list] if selection.valid else []
    if register.lists_records and selection.valid:
        consulted(
            request,
            action=AccessAction.LISTED,
            what=register.name,
            record_ids=_row_ids(rows),
            justification=justification,
        )
    query = request.GET.copy()
    for key in (EXPORT_PARAM, MAP_PARAM, "page", "justification"):
        query.pop(key, None)
    hidden = [(k, v) for k, vs in query.lists() for v in vs]
    # The map takes the filters, not the order: "sort" stays with the list.
    on_map = query.copy()
    on_map.pop("sort", None)
    return render(
        request,
        register.template,
        {
            "register": register,
            "filter": selection.filters,
            "table": table,
            "valid": selection.valid,
            "export_hidden": hidden,
            "export_param": EXPORT_PARAM,
            "query": query.urlencode(),
            "map_url": map_link(layer=register.map_layer, query=on_map.urlencode())
            if register.map_layer
            else "",
            **(context or {}),
        },
        status=200 if selection.valid else 400,
    )


def map_link(*, layer: str, query: str) -> str:
    """The map, showing a register's filtered rows as a layer."""
    tail = f"&{query}" if query else ""
    return f"{reverse('map')}?show={layer}{tail}"
