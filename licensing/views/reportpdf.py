"""The licensing reports as charts (matplotlib, as the briefing pack's) and
as a PDF for a cabinet member's briefing."""

import base64
import io

from django.utils import timezone
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from analysis.briefing import A4, LEFT, pdf_text_pages
from analysis.mapimage import matplotlib  # noqa: F401  (its rcParams)


def _line_chart(ax, series, title: str) -> None:
    """series: [(month end, {label: Share})]."""
    labels = sorted({label for _, shares in series for label in shares})
    days = [d for d, _ in series]
    for label in labels:
        values = [
            shares[label].percent if label in shares else None for _, shares in series
        ]
        ax.plot(
            days,
            [v if v is not None else float("nan") for v in values],
            marker="o",
            markersize=3,
            label=label,
        )
    ax.set_ylim(0, 105)
    ax.set_ylabel("% compliant")
    ax.set_title(title, fontsize=9)
    ax.tick_params(labelsize=7)
    ax.legend(fontsize=6, loc="lower left")
    ax.grid(alpha=0.3)
    for tick in ax.get_xticklabels():
        tick.set_rotation(30)


def _staff_chart(ax, rows) -> None:
    names = [r["directorate"] for r in rows]
    bottoms = [0] * len(rows)
    for key, colour, label in (
        ("compliant", "#2e7d32", "Compliant"),
        ("due", "#f9a825", "Due within 30 days"),
        ("not_compliant", "#b3261e", "Not compliant"),
    ):
        values = [r[key] for r in rows]
        ax.barh(names, values, left=bottoms, color=colour, label=label)
        bottoms = [b + v for b, v in zip(bottoms, values, strict=True)]
    ax.set_title("Staff and councillors by directorate or ward", fontsize=9)
    ax.tick_params(labelsize=7)
    ax.legend(fontsize=6)


def chart_png(kind: str, data) -> str:
    """A chart as a data: URI for the page."""
    fig = Figure(figsize=(7, 3.2))
    ax = fig.add_subplot()
    if kind == "staff":
        _staff_chart(ax, data)
    else:
        _line_chart(ax, data, "Drivers compliant by " + kind)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=96)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


def report_lines(
    *, by_type, by_operator, not_compliant, staff
) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    add = out.append
    add(("h2", "Drivers compliant by licence type (last month end shown)"))
    day, shares = by_type[-1]
    for label, s in shares.items():
        add(
            (
                "p",
                f"{label}: {s.compliant} of {s.total} ({s.percent if s.percent is not None else '–'} %)",
            )
        )
    add(("h2", "Drivers compliant by operator"))
    day, shares = by_operator[-1]
    for label, s in sorted(shares.items()):
        add(
            (
                "p",
                f"{label}: {s.compliant} of {s.total} ({s.percent if s.percent is not None else '–'} %)",
            )
        )
    add(("h2", f"Drivers not compliant ({len(not_compliant)}), longest overdue first"))
    for d in not_compliant:
        add(
            (
                "p",
                f"{d.licence_number} ({d.get_licence_type_display()}): {d.days_overdue} days overdue",
            )
        )
    add(("h2", "Staff and councillors by directorate or ward"))
    for r in staff:
        add(
            (
                "p",
                f"{r['directorate']}: {r['compliant']} compliant, {r['due']} due, "
                f"{r['not_compliant']} not compliant of {r['total']}",
            )
        )
    return out


def report_pdf(*, by_type, by_operator, not_compliant, staff) -> bytes:
    title = f"Taxi licensing and safeguarding compliance — {timezone.localdate():%d %b %Y} — OFFICIAL-SENSITIVE"
    buf = io.BytesIO()
    with PdfPages(buf, metadata={"Title": title, "Creator": "Intel Map"}) as pdf:
        fig = Figure(figsize=A4)
        fig.text(
            LEFT,
            0.955,
            "Taxi licensing and safeguarding compliance",
            fontsize=12.5,
            fontweight="bold",
        )
        fig.text(
            LEFT,
            0.935,
            f"As of {timezone.localdate():%d %b %Y}: DBS and CSE "
            "training, computed from the register's dates",
            fontsize=8,
        )
        _line_chart(
            fig.add_axes([0.1, 0.66, 0.84, 0.24]),
            by_type,
            "Drivers compliant by licence type",
        )
        _line_chart(
            fig.add_axes([0.1, 0.36, 0.84, 0.24]),
            by_operator,
            "Drivers compliant by operator",
        )
        _staff_chart(fig.add_axes([0.3, 0.06, 0.64, 0.22]), staff)
        pdf.savefig(fig)
        pdf_text_pages(
            pdf,
            report_lines(
                by_type=by_type,
                by_operator=by_operator,
                not_compliant=not_compliant,
                staff=staff,
            ),
            title,
        )
    return buf.getvalue()
