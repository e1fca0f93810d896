"""Reports for the safeguarding board and area committees: tables, charts
(PNG drawn on the server) and CSV, by any loaded area type or by the wards
of one area committee."""

import io
from collections import defaultdict

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from matplotlib.figure import Figure

from accounts.reauth import export_reauth_redirect
from accounts.roles import hotspot_access_required
from audit.consults import consults
from audit.models import AccessAction
from common.db.router import standby_reads
from common.exports import csv_response
from intelligence.data_version import data_version_read

from ..consultations import report_consulted
from ..forms import ReportForm, ReportScope
from ..selectors.reports import (
    report_actions_by_area_month,
    report_actions_by_type_outcome,
    report_flagged_by_area,
    report_records_by_area_month,
)


def _report_list(scope: ReportScope) -> dict:
    """slug: (title, CSV header, rows(start, end)) for this scope: the area
    type chosen, or one committee's wards."""
    word, lower = scope.area_word, scope.area_word.lower()
    kw = {"area_type": scope.area_type, "area_ids": scope.area_ids}
    return {
        "records-by-ward-month": (
            f"Intelligence records by {lower} and month",
            [f"{lower} code", lower, "month", "records", "missing episodes"],
            lambda start, end: report_records_by_area_month(start=start, end=end, **kw),
        ),
        "flagged-by-ward": (
            f"Flagged premises by {lower} (current)",
            [f"{lower} code", lower, "high", "medium", "low"],
            lambda start, end: report_flagged_by_area(**kw),
        ),
        "actions-by-type-outcome": (
            "Disruption actions by type and outcome",
            ["action type", "outcome", "actions"],
            lambda start, end: report_actions_by_type_outcome(
                start=start, end=end, area_ids=scope.area_ids
            ),
        ),
        "actions-by-ward-month": (
            f"Disruption actions by {lower} and month",
            [f"{lower} code", word, "month", "actions"],
            lambda start, end: report_actions_by_area_month(start=start, end=end, **kw),
        ),
    }


REPORT_SLUGS = list(_report_list(ReportScope("ward", None, "Ward", "")))
# The reports that count intelligence records: consultations (audit.consults).
RECORD_REPORTS = {"records-by-ward-month"}


def _pivot(rows, value_index: int) -> dict:
    """Ward x month: (code, name, month, ..., value) rows to a table a board
    reads across, with totals."""
    months = sorted({r[2] for r in rows})
    cells: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)
    for r in rows:
        cells[(r[0], r[1])][r[2]] = r[value_index]
    body = [
        (name, code, [by_month.get(m, 0) for m in months], sum(by_month.values()))
        for (code, name), by_month in sorted(cells.items(), key=lambda kv: kv[0][1])
    ]
    totals = [sum(row[2][i] for row in body) for i in range(len(months))]
    return {"months": months, "rows": body, "totals": totals, "total": sum(totals)}


def _form(request: HttpRequest) -> ReportForm:
    form = ReportForm(request.GET)
    return form


@standby_reads
@hotspot_access_required
@consults("Reports", action=AccessAction.SEARCHED, aggregate=True, denied_on=())
def report_index(request: HttpRequest) -> HttpResponse:
    form = _form(request)
    if not form.is_valid():
        return render(request, "analysis/reports.html", {"form": form}, status=400)
    start, end = form.period()
    scope = form.scope()
    version = data_version_read()
    tables = [
        {"slug": slug, "title": title, "header": header, "rows": rows(start, end)}
        for slug, (title, header, rows) in _report_list(scope).items()
    ]
    records = tables[0]["rows"]
    report_consulted(
        request, rows=records, start=start, end=end, scope=scope, data_version=version
    )
    lower = scope.area_word.lower()
    pivots = [
        (f"Intelligence records by {lower} and month", _pivot(records, 3)),
        (f"Missing episodes by {lower} and month", _pivot(records, 4)),
        (f"Disruption actions by {lower} and month", _pivot(tables[3]["rows"], 3)),
    ]
    return render(
        request,
        "analysis/reports.html",
        {
            "form": form,
            "tables": tables,
            "pivots": pivots,
            "scope": scope,
            "query": request.GET.urlencode(),
        },
    )


@standby_reads
@hotspot_access_required
@consults("Report (CSV)", action=AccessAction.EXPORTED, aggregate=True, denied_on=())
def report_csv(request: HttpRequest, slug: str) -> HttpResponse:
    if slug not in REPORT_SLUGS:
        raise Http404
    if (confirm := export_reauth_redirect(request)) is not None:
        return confirm
    form = _form(request)
    if not form.is_valid():
        return HttpResponse(
            form.errors.as_text(), status=400, content_type="text/plain"
        )
    scope = form.scope()
    title, header, rows = _report_list(scope)[slug]
    start, end = form.period()
    version = data_version_read()
    table = list(rows(start, end))
    if slug in RECORD_REPORTS:
        report_consulted(
            request,
            what=f"Report (CSV): {title}",
            rows=table,
            start=start,
            end=end,
            scope=scope,
            data_version=version,
        )
    return csv_response(filename=f"{slug}.csv", header=header, rows=table)


def _chart_records_by_month(rows, scope: ReportScope) -> Figure:
    months: dict[str, int] = defaultdict(int)
    missing: dict[str, int] = defaultdict(int)
    for _code, _name, month, n, m in rows:
        months[month] += n
        missing[month] += m
    keys = sorted(months)
    fig = Figure(figsize=(8, 3.2), dpi=100)
    ax = fig.add_subplot(1, 1, 1)
    ax.bar(keys, [months[k] for k in keys], color="#1f4e9c", label="all records")
    ax.bar(keys, [missing[k] for k in keys], color="#fc8d59", label="missing episodes")
    ax.set_title(f"Records by month ({scope.title})", fontsize=10)
    ax.tick_params(axis="x", labelrotation=60, labelsize=7)
    ax.legend(fontsize=7)
    return fig


def _chart_actions(rows, scope: ReportScope) -> Figure:
    totals: dict[str, int] = defaultdict(int)
    for action_type, _outcome, n in rows:
        totals[action_type] += n
    items = sorted(totals.items(), key=lambda kv: kv[1])
    fig = Figure(figsize=(8, 0.8 + 0.28 * max(len(items), 1)), dpi=100)
    ax = fig.add_subplot(1, 1, 1)
    ax.barh([k for k, _ in items], [v for _, v in items], color="#2e7d32")
    ax.set_title(f"Disruption actions by type ({scope.title})", fontsize=10)
    ax.tick_params(labelsize=7)
    return fig


def _chart_areas(rows, scope: ReportScope) -> Figure:
    totals: dict[str, int] = defaultdict(int)
    for _code, name, _month, n, _m in rows:
        totals[name] += n
    items = sorted(totals.items(), key=lambda kv: kv[1])[-20:]
    fig = Figure(figsize=(8, 0.8 + 0.28 * max(len(items), 1)), dpi=100)
    ax = fig.add_subplot(1, 1, 1)
    ax.barh([k for k, _ in items], [v for _, v in items], color="#7a0177")
    ax.set_title(f"Records by {scope.area_word.lower()} (top 20)", fontsize=10)
    ax.tick_params(labelsize=7)
    return fig


CHARTS = {
    "records-by-month": ("records-by-ward-month", _chart_records_by_month),
    "records-by-ward": ("records-by-ward-month", _chart_areas),
    "actions-by-type": ("actions-by-type-outcome", _chart_actions),
}


@standby_reads
@hotspot_access_required
@consults("Report chart", action=AccessAction.SEARCHED, aggregate=True, denied_on=())
def report_chart(request: HttpRequest, slug: str) -> HttpResponse:
    if slug not in CHARTS:
        raise Http404
    form = _form(request)
    if not form.is_valid():
        return HttpResponse(
            form.errors.as_text(), status=400, content_type="text/plain"
        )
    source, draw = CHARTS[slug]
    start, end = form.period()
    scope = form.scope()
    version = data_version_read()
    rows = _report_list(scope)[source][2](start, end)
    if source in RECORD_REPORTS:
        report_consulted(
            request,
            what=f"Report chart: {slug}",
            rows=rows,
            start=start,
            end=end,
            scope=scope,
            data_version=version,
        )
    fig = draw(rows, scope)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return HttpResponse(buf.getvalue(), content_type="image/png")
