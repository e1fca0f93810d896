"""A problem profile as a PDF for the board, made with matplotlib alone as
the briefing pack is: the definition and key figures, the when-grid and the
Lorenz curve drawn, then the Knox table, the period change, the premises and
the disruption done, as text."""

import io
import textwrap

import numpy as np
from django.utils import timezone
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from .briefing import A4, LEFT, pdf_text_pages
from .mapimage import matplotlib  # noqa: F401  (its rcParams: names as typed)
from .selectors.when import DAYS


def _cell(value) -> str:
    return "–" if value is None else f"{value}"


def _gini(repeat: dict) -> str:
    return "–" if repeat["gini"] is None else f"{repeat['gini']:.2f}"


def problem_lines(*, problem, presented: dict, made_by=None) -> list[tuple[str, str]]:
    """The profile's text as (style, line) pairs; also what the tests read."""
    out: list[tuple[str, str]] = []
    add = out.append
    knox = presented["knox"]
    add(("h2", "Near repeat (Knox test)"))
    if knox is None:
        add(("warn", presented["knox_refused"] or "Not run."))
    else:
        add(("muted", knox["settings"]["describe"]))
        add(
            (
                "p",
                "Near-repeat pattern: significant cells marked *."
                if knox["any_significant"]
                else "No near-repeat pattern: no cell significant.",
            )
        )
        bands = [f"{a}–{b} days" for a, b in knox["time_bands_days"]]
        add(("p", "Distance        " + " | ".join(f"{b:>16}" for b in bands)))
        for row in knox["rows"]:
            lo, hi = row["space_band_m"]
            cells = [
                f"{_cell(c['ratio']):>6} ({c['observed']}){'*' if c['significant'] else ' '}"
                for c in row["cells"]
            ]
            add(("p", f"{lo}–{hi} m".ljust(16) + " | ".join(f"{c:>16}" for c in cells)))
    change = presented["change"]
    add(("h2", f"Period change ({presented['change_area_type']})"))
    add(("muted", change["periods"]["describe"]))
    for a in change["areas"]:
        flags = []
        if a["significant_previous"]:
            flags.append("significant against the last period")
        if a["significant_year"]:
            flags.append("significant against a year ago")
        add(
            (
                "p",
                f"{a['name']} ({a['code']}): {a['current']} this period, "
                f"{a['previous']} last ({_cell(a['change_previous'])}), "
                f"{a['year_ago']} a year ago ({_cell(a['change_year'])})"
                + (f" — {'; '.join(flags)}" if flags else ""),
            )
        )
    repeat = presented["repeat"]
    add(("h2", "Repeat locations"))
    add(
        (
            "p",
            f"{repeat['records_at_premises']} records at {repeat['premises']} premises; "
            f"busiest 10 %: {repeat['top10_percent']}; busiest 20 %: "
            f"{repeat['top20_percent']}; Gini {_gini(repeat)}",
        )
    )
    for n, p in enumerate(repeat["premises_list"] or [], start=1):
        if n > 25:
            break
        add(("p", f"{n}. {p['name']} ({p['category']}): {p['records']} records"))
    add(("h2", "Disruption done in the selection"))
    if not presented["actions"]:
        add(("p", "None recorded in the period."))
    for a in presented["actions"]:
        add(
            (
                "p",
                f"{a['occurred_at']:%d %b %Y} {a['action_type']} at "
                f"{a['location'] or 'a point'} ({a['agency']}): {a['outcome']}",
            )
        )
    made = f" by {made_by.get_username()}" if made_by is not None else ""
    add(("muted", f"Made {timezone.now():%d %b %Y %H:%M} UTC{made}."))
    return out


def problem_pdf(*, problem, presented: dict, made_by=None) -> bytes:
    title = f"Problem profile — {problem.name} — OFFICIAL-SENSITIVE"
    buf = io.BytesIO()
    when = presented["when"]
    repeat = presented["repeat"]
    with PdfPages(buf, metadata={"Title": title, "Creator": "Intel Map"}) as pdf:
        fig = Figure(figsize=A4)
        fig.text(
            LEFT,
            0.955,
            f"Problem profile: {problem.name}",
            fontsize=12.5,
            fontweight="bold",
        )
        fig.text(
            LEFT,
            0.935,
            textwrap.shorten(
                f"{problem.get_status_display()} · owner {problem.owner.get_username()} · "
                + presented["selection"].describe(),
                150,
            ),
            fontsize=7,
        )
        for i, line in enumerate(textwrap.wrap(problem.description or "", 120)[:4]):
            fig.text(LEFT, 0.915 - i * 0.013, line, fontsize=7.5)
        ax = fig.add_axes([0.1, 0.56, 0.82, 0.26])
        grid = np.array(
            [[c["value"] or 0 for c in row["cells"]] for row in when["rows"]],
            dtype=float,
        )
        ax.imshow(grid, cmap="Oranges", aspect="auto")
        ax.set_yticks(range(7), [d[:3] for d in DAYS], fontsize=6)
        ax.set_xticks(
            range(0, 24, 2), [f"{h:02d}" for h in range(0, 24, 2)], fontsize=6
        )
        ax.set_title(
            f"When: {when['records']} records, {when['spread_aoristically']} spread "
            "over a window (local time)",
            fontsize=8,
        )
        lorenz = np.array(repeat["lorenz"]) if repeat["lorenz"] else np.zeros((0, 2))
        ax2 = fig.add_axes([0.1, 0.12, 0.36, 0.36])
        ax2.plot([0, 1], [0, 1], color="#9ca3af", linestyle="--", linewidth=0.8)
        if len(lorenz):
            ax2.plot(lorenz[:, 0], lorenz[:, 1], color="#d7301f", linewidth=1.8)
        ax2.set_xlabel("share of premises, busiest first", fontsize=6)
        ax2.set_ylabel("share of records", fontsize=6)
        ax2.tick_params(labelsize=5)
        ax2.set_title("Repeat locations: Lorenz curve", fontsize=8)
        fig.text(
            0.55,
            0.44,
            "\n".join(
                [
                    f"Records at premises: {repeat['records_at_premises']}",
                    f"Premises: {repeat['premises']}",
                    f"Share at the busiest 10 %: {repeat['top10_percent']}",
                    f"Share at the busiest 20 %: {repeat['top20_percent']}",
                    f"Gini: {_gini(repeat)}",
                ]
            ),
            fontsize=7.5,
            va="top",
        )
        pdf.savefig(fig)
        pdf_text_pages(
            pdf,
            problem_lines(problem=problem, presented=presented, made_by=made_by),
            title,
        )
    return buf.getvalue()
