"""Licensing reports: chart, table and PDF. Figures only (licence numbers,
no names): licensing officers, analysts and administrators."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from audit.consults import consulted, consults
from audit.justification import justification_required

from ..reports import (
    report_by_licence_type,
    report_by_operator,
    report_not_compliant,
    report_staff_by_directorate,
)
from ..selectors import licensing_can_view, staff_can_view
from .reportpdf import chart_png, report_pdf


def _shows(user) -> bool:
    return licensing_can_view(user=user)


def _figures(request: HttpRequest, *, what: str) -> dict:
    if not licensing_can_view(user=request.user):
        raise PermissionDenied("Licensing reports are for licensing roles.")
    staff = report_staff_by_directorate() if staff_can_view(user=request.user) else []
    not_compliant = list(report_not_compliant()[:500])
    # Licence numbers with days overdue: logged as the drivers shown.
    consulted(
        request,
        what=what,
        count=len(not_compliant),
        params={"driver_ids": [d.pk for d in not_compliant]},
    )
    return {
        "by_type": report_by_licence_type(),
        "by_operator": report_by_operator(),
        "not_compliant": not_compliant,
        "staff": staff,
    }


@require_GET
@justification_required(_shows)
@consults("Licensing reports")
def reports_page(request: HttpRequest) -> HttpResponse:
    figures = _figures(request, what="Licensing reports")
    months = [d for d, _ in figures["by_type"]]

    def table(series):
        labels = sorted({label for _, shares in series for label in shares})
        return {
            "labels": labels,
            "rows": [
                (day, [shares.get(label) for label in labels]) for day, shares in series
            ],
            # One row per type or operator, a column per month end.
            "by_label": [
                (label, [shares.get(label) for _, shares in series]) for label in labels
            ],
        }

    return render(
        request,
        "licensing/reports.html",
        {
            **figures,
            "months": months,
            "type_table": table(figures["by_type"]),
            "operator_table": table(figures["by_operator"]),
            "type_chart": chart_png("licence type", figures["by_type"]),
            "operator_chart": chart_png("operator", figures["by_operator"]),
            "staff_chart": chart_png("staff", figures["staff"])
            if figures["staff"]
            else "",
        },
    )


@require_GET
@justification_required(_shows)
@consults("Licensing reports (PDF)", action="exported")
def reports_pdf(request: HttpRequest) -> HttpResponse:
    figures = _figures(request, what="Licensing reports (PDF)")
    response = HttpResponse(report_pdf(**figures), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="licensing-compliance-{timezone.localdate():%Y-%m-%d}.pdf"'
    )
    return response
