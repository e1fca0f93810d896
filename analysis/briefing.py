"""The briefing pack: a printable A4 PDF for a tasking meeting, made with
matplotlib alone (no system libraries): the hot-spot map, the ranked hot spots
with their explanations, the hot-spot cells and their classes, open and overdue
taskings with owners, legal clocks about to run out, and the settings used."""

import io
import textwrap
from datetime import datetime

from django.utils import timezone
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from .mapimage import map_draw
from .selectors.gistar import CLASS_WORDS
from .selectors.meeting import MeetingPack

A4 = (8.27, 11.69)
LINE_H = 0.0135  # figure fraction per line at 7.5 pt
TOP, BOTTOM, LEFT = 0.95, 0.05, 0.07
WRAP = 118
STYLES = {
    "h1": {"fontsize": 14, "fontweight": "bold", "lines": 2.0},
    "h2": {"fontsize": 10.5, "fontweight": "bold", "lines": 1.7, "color": "#14213d"},
    "p": {"fontsize": 7.5, "lines": 1.0},
    "warn": {"fontsize": 7.5, "lines": 1.0, "color": "#b3261e", "fontweight": "bold"},
    "muted": {"fontsize": 6.5, "lines": 1.0, "color": "#5b6475"},
}


def _owner(t) -> str:
    officer = (
        t.owner_officer.get_full_name() or t.owner_officer.username
        if t.owner_officer
        else "no officer named"
    )
    return f"{t.get_owner_agency_display()} / {officer}"


def _target(t) -> str:
    return t.target_description or str(t.target_location or t.target_area or "a point")


def briefing_lines(
    *, pack: MeetingPack, made_by=None, now: datetime | None = None
) -> list[tuple[str, str]]:
    """The pack's text as (style, line) pairs; also what the tests read."""
    now = now or timezone.now()
    out: list[tuple[str, str]] = []
    add = out.append
    add(("h2", "Ranked hot spots (locations)"))
    if not pack.spots:
        add(("p", "No location scored in this period."))
    for s in pack.spots:
        add(("p", f"{s.rank}. {s.name} ({s.category_label}) — score {s.score:.1f}"))
        add(("muted", f"    Why: {s.explanation}"))
        add(("muted", f"    Done there: {s.done}"))
    add(("h2", "Ranked areas (wards)"))
    for a in pack.areas:
        add(("p", f"{a.rank}. {a.name} ({a.code}): {a.explanation}"))
    add(("h2", "Hot-spot cells (Getis-Ord Gi*, FDR-corrected)"))
    cells = [c for c in pack.grid.cells() if c.hot_class]
    if not cells:
        add(("p", "No cell was a significant hot spot in this or the earlier periods."))
    for c in cells[:25]:
        add(
            (
                "p",
                f"{c.hot_class.capitalize():<11} cell E {c.x0:.0f} N {c.y0:.0f}: "
                f"{c.count} records, Gi* z = {c.z:.2f}, q = {c.q:.3f}; "
                f"earlier z: {', '.join(f'{z:.1f}' for z in c.z_previous)}",
            )
        )
    for word in CLASS_WORDS.values():
        add(("muted", word))

    add(("h2", "Taskings of this meeting"))
    _taskings(add, pack.taskings)
    if pack.open_elsewhere:
        add(("h2", "Still open from earlier meetings"))
        _taskings(add, pack.open_elsewhere)

    add(("h2", "Legal clocks about to run out"))
    if not pack.clocks:
        add(("p", "No power with an end date in the next 90 days."))
    for clock in pack.clocks:
        a = clock.action
        where = a.location or a.area or "a point"
        style = "warn" if clock.state in ("due", "expired") else "p"
        add(
            (
                style,
                f"{clock.state.upper()}: {a.get_action_type_display()} at {where} — "
                f"{clock.what} {timezone.localtime(clock.ends_at):%d %b %Y %H:%M} "
                f"({clock.left_words})",
            )
        )
    add(("h2", "Settings used"))
    for line in pack.settings_lines():
        add(("p", line))
    who = made_by.get_username() if made_by else "unknown"
    add(
        (
            "muted",
            f"Made {timezone.localtime(now):%d %b %Y %H:%M} by {who}. OFFICIAL-SENSITIVE.",
        )
    )
    return out


def _taskings(add, taskings) -> None:
    if not taskings:
        add(("p", "None."))
    for t in taskings:
        overdue = getattr(t, "overdue", False)
        flag = "OVERDUE " if overdue else ""
        add(
            (
                "warn" if overdue else "p",
                f"{flag}[{t.get_status_display()}] {_target(t)} — "
                f"{t.get_priority_display()} priority, due {t.due_date:%d %b %Y}, "
                f"owner {_owner(t)}",
            )
        )
        add(("muted", f"    Reason: {t.reason}"))


def pdf_text_pages(pdf: PdfPages, lines: list[tuple[str, str]], title: str) -> int:
    pages = 0
    fig, y = None, TOP
    for style, text in lines:
        spec = STYLES[style]
        width = WRAP if spec["fontsize"] < 8 else 90
        for piece in textwrap.wrap(text, width=width, subsequent_indent="      ") or [
            ""
        ]:
            step = LINE_H * spec["lines"]
            if fig is None or y - step < BOTTOM:
                if fig is not None:
                    pdf.savefig(fig)
                fig = Figure(figsize=A4)
                pages += 1
                fig.text(LEFT, 0.975, title, fontsize=6.5, color="#5b6475")
                fig.text(0.93, 0.02, f"page {pages + 1}", fontsize=6.5, ha="right")
                y = TOP
            y -= step
            kwargs = {k: v for k, v in spec.items() if k != "lines"}
            fig.text(LEFT, y, piece, family="DejaVu Sans", **kwargs)
    if fig is not None:
        pdf.savefig(fig)
    return pages


def briefing_pdf(*, pack: MeetingPack, made_by=None) -> bytes:
    meeting = pack.meeting
    title = f"Briefing pack — {meeting} — OFFICIAL-SENSITIVE"
    buf = io.BytesIO()
    with PdfPages(buf, metadata={"Title": title, "Creator": "Intel Map"}) as pdf:
        fig = Figure(figsize=A4)
        fig.text(
            LEFT, 0.955, f"Briefing pack: {meeting}", fontsize=12.5, fontweight="bold"
        )
        fig.text(
            LEFT,
            0.935,
            f"{pack.settings.start:%d %b %Y} to {pack.settings.end:%d %b %Y} · "
            f"{len(pack.spots)} ranked locations · {len(pack.taskings)} taskings · "
            f"{sum(1 for c in pack.clocks if c.state != 'running')} legal clocks due",
            fontsize=8,
        )
        ax = fig.add_axes([0.08, 0.22, 0.86, 0.69])
        map_draw(ax=ax, grid=pack.grid, spots=pack.spots)
        y = 0.17
        fig.text(LEFT, y, "Top hot spots", fontsize=9, fontweight="bold")
        for s in pack.spots[:6]:
            y -= 0.016
            fig.text(
                LEFT,
                y,
                textwrap.shorten(f"{s.rank}. {s.name}: {s.explanation}", 135),
                fontsize=6.5,
            )
        for i, line in enumerate(pack.settings_lines()):
            fig.text(
                LEFT,
                0.04 - i * 0.012,
                textwrap.shorten("Settings: " + line, 170),
                fontsize=5,
                color="#5b6475",
            )
        pdf.savefig(fig)
        pdf_text_pages(pdf, briefing_lines(pack=pack, made_by=made_by), title)
    return buf.getvalue()
