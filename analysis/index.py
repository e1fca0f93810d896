"""The analysis index (/analysis/): each page with what it is for, and whether
a user may open it."""

from accounts.roles import can_read_map, can_see_hotspots
from safeguarding.selectors import aggregates_can_view

# The analysis index (/analysis/): each page with what it is for, and whether
# a user may open it. The navigation offers the index to whoever may open
# at least one of them.
ANALYSIS_PAGES = [
    (
        "Hot spots",
        "analysis:hotspots",
        "Locations and grid cells ranked by recent, well-graded intelligence, "
        "with the score explained, and the Gi* map.",
        can_see_hotspots,
    ),
    (
        "Tasking meetings",
        "analysis:meetings",
        "Meetings, their taskings and owners, and the briefing pack (PDF).",
        lambda user: user.has_perm("disruption.view_taskingmeeting"),
    ),
    (
        "Legal clocks",
        "analysis:clocks",
        "s.116 notices, closure notices, CAWNs, sexual risk orders and licence "
        "reviews about to run out.",
        lambda user: user.has_perm("disruption.view_disruptionaction"),
    ),
    (
        "Reports",
        "analysis:reports",
        "Board and area committee reports by ward, constituency, neighbourhood "
        "policing area or committee, with charts and CSV.",
        can_see_hotspots,
    ),
    (
        "Near repeat",
        "analysis:near-repeat",
        "The Knox test: do records close in space also come close in time, more "
        "than chance gives? Space and time bands with Monte Carlo significance.",
        can_read_map,
    ),
    (
        "When",
        "analysis:when",
        "Time of day by day of week for an area, a radius, a premises or a hot "
        "spot, with records known only within a window spread over its hours.",
        can_read_map,
    ),
    (
        "Period change by area",
        "analysis:period-change",
        "Each ward (or other area) this period against the last and a year ago, "
        "with the changes that are more than chance flagged, and a map.",
        can_read_map,
    ),
    (
        "Repeat locations",
        "analysis:repeat-locations",
        "How far records concentrate on a few premises: the share at the busiest "
        "10 % and 20 %, the Lorenz curve and the premises list.",
        can_read_map,
    ),
    (
        "Problem profiles",
        "analysis:problems",
        "A named problem and the selection that defines it: every analysis of "
        "it on one page, the disruption done there, a PDF for the board, and "
        "the same definition re-run next quarter.",
        can_see_hotspots,
    ),
    (
        "Safeguarding reports",
        "safeguarding:reports",
        "School absence as a CSE indicator (with its interval), children in "
        "supported accommodation, and the safeguarding board's monthly figures: "
        "counts only, under 3 suppressed.",
        lambda user: aggregates_can_view(user=user),
    ),
]


def analysis_index_entries(user) -> list[tuple[str, str, str]]:
    """(title, url name, what it is for) of the analysis pages this user may
    open."""
    return [
        (title, name, words)
        for title, name, words, allowed in ANALYSIS_PAGES
        if user.is_authenticated and allowed(user)
    ]
