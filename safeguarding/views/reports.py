"""The safeguarding reports: charts (matplotlib), tables and a PDF of them,
counts under 3 suppressed (safeguarding.reports). Aggregates only: logged
as a consultation without a reason asked."""

import base64
import io

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from audit.consults import consulted, consults
from audit.models import AccessAction
from people.models import ScreeningOutcome

from ..reports import (
    SUPPRESSED,
    absence_by_outcome,
    board_figures,
    supported_accommodation,
)
from ..selectors import aggregates_can_view

COLOURS = {
    "no_current_risk": "#4caf50",
    "at_risk": "#ff9800",
    "significant_risk": "#c62828",
}


def _num(v):
    return None if v == SUPPRESSED else v


def _absence_figure(rows) -> Figure:
    fig = Figure(figsize=(6.5, 3.2))
    ax = fig.add_subplot()
    shown = [r for r in rows if r.share is not None]
    xs = range(len(shown))
    ax.bar(
        xs,
        [r.share * 100 for r in shown],
        yerr=[
            [(r.share - r.low) * 100 for r in shown],
            [(r.high - r.share) * 100 for r in shown],
        ],
        color=[COLOURS[r.outcome] for r in shown],
        capsize=6,
    )
    ax.set_xticks(list(xs), [r.label for r in shown])
    ax.set_ylabel("% with persistent absence")
    ax.set_ylim(0, 100)
    ax.set_title("Persistent school absence by screening outcome (95% Wilson CI)")
    if len(shown) < len(rows):
        ax.text(
            0.99,
            0.95,
            "Outcomes with counts under 3 not shown",
            transform=ax.transAxes,
            ha="right",
            fontsize=7,
        )
    fig.tight_layout()
    return fig


def _placement_figure(rows) -> Figure:
    fig = Figure(figsize=(6.5, 3.2))
    ax = fig.add_subplot()
    shown = [r for r in rows if _num(r.episodes) is not None]
    ax.barh([r.ward for r in shown], [r.episodes for r in shown], color="#1f4e9c")
    ax.set_xlabel("Missing episodes of children placed there")
    ax.set_title("Children's homes and supported accommodation, by ward")
    fig.tight_layout()
    return fig


def _board_figure(rows) -> Figure:
    fig = Figure(figsize=(6.5, 3.2))
    ax = fig.add_subplot()
    months = [r.month for r in rows]
    for outcome in ScreeningOutcome:
        ax.plot(
            months,
            [_num(r.screenings[outcome.value]) for r in rows],
            marker="o",
            label=outcome.label,
            color=COLOURS[outcome.value],
        )
    ax.plot(
        months,
        [_num(r.masp_reviewed) for r in rows],
        marker="s",
        linestyle="--",
        color="#555",
        label="Episodes reviewed by MASP",
    )
    ax.set_title("Screenings by outcome and MASP reviews, by month")
    ax.legend(fontsize=7)
    ax.tick_params(axis="x", labelsize=7, rotation=30)
    fig.tight_layout()
    return fig


def _png(fig: Figure) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110)
    return base64.b64encode(buf.getvalue()).decode()


def _reader(request: HttpRequest) -> None:
    if not aggregates_can_view(user=request.user):
        raise Http404("No such page.")


@require_GET
@consults("Safeguarding reports", aggregate=True, denied_on=())
def reports(request: HttpRequest) -> HttpResponse:
    _reader(request)
    absence, placed, board = (
        absence_by_outcome(),
        supported_accommodation(),
        board_figures(),
    )
    consulted(request, count=0)
    return render(
        request,
        "safeguarding/reports.html",
        {
            "absence": absence,
            "placed": placed,
            "board": board,
            "outcomes": ScreeningOutcome.choices,
            "charts": {
                "absence": _png(_absence_figure(absence)),
                "placed": _png(_placement_figure(placed)),
                "board": _png(_board_figure(board)),
            },
        },
    )


def _table_figure(title: str, header: list[str], rows: list[list]) -> Figure:
    fig = Figure(figsize=(8.27, 11.69))
    fig.text(0.07, 0.95, title, fontsize=12, fontweight="bold")
    ax = fig.add_axes([0.05, 0.1, 0.9, 0.8])
    ax.axis("off")
    table = ax.table(
        cellText=[[str(c) for c in r] for r in rows] or [["—"] * len(header)],
        colLabels=header,
        loc="upper center",
    )
    table.auto_set_font_size(False)
    table.set_fontsize(7)
    return fig


@require_GET
@consults(
    "Safeguarding reports (PDF)",
    action=AccessAction.EXPORTED,
    aggregate=True,
    denied_on=(),
)
def reports_pdf(request: HttpRequest) -> HttpResponse:
    _reader(request)
    absence, placed, board = (
        absence_by_outcome(),
        supported_accommodation(),
        board_figures(),
    )
    consulted(request, count=0)
    buf = io.BytesIO()
    title = "Safeguarding reports — OFFICIAL-SENSITIVE — counts under 3 suppressed"
    with PdfPages(buf, metadata={"Title": title, "Creator": "Intel Map"}) as pdf:
        for fig in (
            _absence_figure(absence),
            _placement_figure(placed),
            _board_figure(board),
        ):
            pdf.savefig(fig)
        pdf.savefig(
            _table_figure(
                "Persistent absence by screening outcome",
                ["Outcome", "Screened", "Absent", "Share", "95% CI"],
                [
                    [
                        r.label,
                        r.screened,
                        r.absent,
                        f"{r.share:.0%}" if r.share is not None else "—",
                        f"{r.low:.0%}–{r.high:.0%}" if r.low is not None else "—",
                    ]
                    for r in absence
                ],
            )
        )
        pdf.savefig(
            _table_figure(
                "Safeguarding board figures by month",
                [
                    "Month",
                    "None",
                    "At risk",
                    "Significant",
                    "CMOG",
                    "Interv.",
                    "MASP",
                    "RHI",
                    "≤72h",
                    "Median h",
                    "PCMF",
                    "Civil",
                ],
                [
                    [
                        f"{r.month:%b %Y}",
                        *r.screenings.values(),
                        r.cmog_triaged,
                        r.cmog_intervention,
                        r.masp_reviewed,
                        r.interviews,
                        f"{r.within_72h_share:.0%}"
                        if r.within_72h_share is not None
                        else "—",
                        f"{r.median_hours:.0f}" if r.median_hours is not None else "—",
                        r.perpetrator_cases,
                        r.perpetrator_interventions,
                    ]
                    for r in board
                ],
            )
        )
    response = HttpResponse(buf.getvalue(), content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="safeguarding-reports.pdf"'
    return response
