"""The agenda pack of a panel sitting: an A4 PDF made with matplotlib, as
the briefing pack is (analysis.briefing): per case, a small map of the
linked places, the recent records, the actions done and due, and the
clocks."""

import io
import textwrap

from django.contrib.gis.db.models.functions import Transform
from django.utils import timezone
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from analysis.briefing import A4, LEFT, pdf_text_pages
from locations.selectors import location_scope
from people.selectors import subject_order_clocks

from ..selectors import case_places, case_records


def _case_lines(case, records, actions, clocks) -> list[tuple[str, str]]:
    today = timezone.localdate()
    out = [
        ("h2", f"{case.subject.reference} — {case.get_risk_level_display()} risk"),
        (
            "p",
            f"Lead: {case.lead_professional or 'not named'} "
            f"({case.get_lead_agency_display() or 'agency not recorded'}) · "
            f"review due {case.next_review:%d %b %Y}"
            + (" · needs multi-agency intervention" if case.intervention else ""),
        ),
        ("p", "Recent records:"),
    ]
    out += [
        (
            "muted",
            f"    {r.reference} · {r.get_kind_display()} · {r.occurred_from:%d %b %Y}",
        )
        for r in records
    ] or [("muted", "    None.")]
    out.append(("p", "Actions:"))
    for a in actions:
        state = (
            f"done {a.done_at:%d %b %Y}"
            if a.done_at
            else ("OVERDUE" if a.due_date < today else "due")
            + f" {a.due_date:%d %b %Y}"
        )
        style = "warn" if not a.done_at and a.due_date < today else "muted"
        out.append(
            (
                style,
                f"    {a.get_intervention_display()}: {a.description} · "
                f"{a.owner} ({a.get_owner_agency_display()}) · {state}",
            )
        )
    if not actions:
        out.append(("muted", "    None recorded."))
    out.append(("p", "Legal clocks:"))
    out += [
        (
            "warn" if c.state != "running" else "muted",
            f"    {c.action.get_action_type_display()} ends {c.ends_at:%d %b %Y} "
            f"({c.left_words})",
        )
        for c in clocks
    ] or [("muted", "    None.")]
    return out


def agenda_pdf(*, meeting, agenda, user) -> tuple[bytes, list[int]]:
    """The PDF and the ids of the records it carries (for the access log)."""
    title = f"Agenda pack — {meeting} — OFFICIAL-SENSITIVE"
    buf = io.BytesIO()
    record_ids: list[int] = []
    with PdfPages(buf, metadata={"Title": title, "Creator": "Intel Map"}) as pdf:
        fig = Figure(figsize=A4)
        fig.text(LEFT, 0.955, f"Agenda: {meeting}", fontsize=12.5, fontweight="bold")
        fig.text(LEFT, 0.935, f"{len(agenda)} cases due for review", fontsize=8)
        y = 0.9
        for i, case in enumerate(agenda, 1):
            y -= 0.018
            fig.text(
                LEFT,
                y,
                textwrap.shorten(
                    f"{i}. {case.subject.reference} ({case.subject.get_kind_display()})"
                    f" — {case.get_risk_level_display()} risk",
                    120,
                ),
                fontsize=8,
            )
        pdf.savefig(fig)
        for case in agenda:
            records = list(case_records(case=case))
            record_ids += [r.pk for r in records]
            places = location_scope(user=user, qs=case_places(case=case)).annotate(
                bng=Transform("display_point", 27700)
            )
            fig = Figure(figsize=A4)
            fig.text(
                LEFT, 0.955, f"{case.subject.reference}", fontsize=12, fontweight="bold"
            )
            ax = fig.add_axes([0.12, 0.55, 0.76, 0.36])
            xs = [p.bng.x for p in places]
            ys = [p.bng.y for p in places]
            ax.scatter(xs, ys, s=30, c="#b3261e", zorder=2)
            for p in places:
                ax.annotate(
                    "protective place" if p.position_approximate else p.name[:30],
                    (p.bng.x, p.bng.y),
                    fontsize=6,
                    xytext=(3, 3),
                    textcoords="offset points",
                )
            ax.set_title("Linked places (British National Grid, metres)", fontsize=8)
            ax.tick_params(labelsize=6)
            ax.set_aspect("equal", adjustable="datalim")
            if not xs:
                ax.text(
                    0.5, 0.5, "No linked places", ha="center", transform=ax.transAxes
                )
            lines = _case_lines(
                case,
                records,
                list(case.actions.select_related("owner")),
                subject_order_clocks(subject=case.subject),
            )
            for j, (style, text) in enumerate(lines[:28]):
                fig.text(
                    LEFT,
                    0.5 - j * 0.016,
                    textwrap.shorten(text, 130),
                    fontsize=7.5 if style != "h2" else 10,
                    color="#b3261e" if style == "warn" else "black",
                )
            pdf.savefig(fig)
        if not agenda:
            pdf_text_pages(pdf, [("p", "No case is due at this sitting.")], title)
    return buf.getvalue(), record_ids
