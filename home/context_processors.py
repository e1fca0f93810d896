"""Template context shared by every page."""

from django.conf import settings
from django.urls import reverse

from accounts.roles import can_read_map
from analysis.index import analysis_index_entries
from intelligence.grading import grade_can, submit_can
from intelligence.selectors import (
    record_can_review,
    record_has_content_access,
    record_review_due_count,
)
from intelligence.triage.selectors import triage_awaiting_count
from licensing.selectors import licensing_can_view
from notifications.selectors import notification_unread
from people.selectors import subject_can_view
from safeguarding.selectors import alerts_can_view, safeguarding_can_view

# Pages a user opens less often sit in a menu of the bar, so that every page
# of a busy role still fits on one line of a 1280-pixel screen (a tasking
# meeting's projector). A role with few pages (a partner's) sees them flat.
MENU_OF = {
    "people:subjects": "People",
    "people:vehicles": "People",
    "people:link_chart": "People",
    "intelligence:review-queue": "Work",
    "intelligence:triage": "Work",
    "intelligence:submit": "Work",
    "intelligence:submissions": "Work",
    # A police contact's safety-plan alerts (safeguarding).
    "safeguarding:alerts": "Work",
    "api-docs": "More",
    "api-tokens": "More",
    "admin:index": "More",
}
FLAT_UP_TO = 7


def navigation(request) -> dict:
    """The main navigation, holding only the pages the signed-in user may open,
    so nobody is shown a link that answers 403. Every other page is one more
    click away: the analysis pages from /analysis/, records and premises from
    the home page, the map and the registers."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"main_nav": []}
    if settings.OTP_REQUIRED and not user.is_verified():
        # Password given, second factor not yet: nothing to navigate to.
        return {"main_nav": []}
    reads_map = can_read_map(user)
    entries = [
        ("Home", "home", True),
        ("Map", "map", reads_map),
        ("Records", "intelligence:register", record_has_content_access(user=user)),
        ("Premises", "location-register", reads_map),
        (
            "Actions",
            "disruption:actions",
            user.has_perm("disruption.view_disruptionaction"),
        ),
        ("Subjects", "people:subjects", subject_can_view(user=user)),
        ("Vehicles", "people:vehicles", subject_can_view(user=user)),
        # The council's taxi register: licensing officers, analysts, admins.
        ("Licensing", "licensing:drivers", licensing_can_view(user=user)),
        # Who and what connects places: counts only for roles without
        # subjects (people.selectors).
        ("Link chart", "people:link_chart", reads_map),
        ("Safeguarding", "safeguarding:index", safeguarding_can_view(user=user)),
        (
            "Safety-plan alerts",
            "safeguarding:alerts",
            alerts_can_view(user=user) and not safeguarding_can_view(user=user),
        ),
        ("Analysis", "analysis:index", bool(analysis_index_entries(user))),
        ("Reviews due", "intelligence:review-queue", record_can_review(user=user)),
        ("Triage", "intelligence:triage", grade_can(user=user)),
        ("Submit", "intelligence:submit", submit_can(user=user)),
        ("My submissions", "intelligence:submissions", submit_can(user=user)),
        ("Notifications", "notifications:list", True),
        ("Admin", "admin:index", user.is_staff),
        ("API", "api-docs", reads_map),
        # Every role has a scope it can use (a partner's: submitting).
        ("API tokens", "api-tokens", True),
    ]
    path = request.path
    nav = []
    for label, name, allowed in entries:
        if not allowed:
            continue
        url = reverse(name)
        current = path == url if url == "/" else path.startswith(url)
        item = {"label": label, "url": url, "current": current, "name": name}
        if name == "intelligence:review-queue":
            item["count"] = record_review_due_count(user=user)
            item["count_title"] = "records due"
        elif name == "intelligence:triage":
            item["count"] = triage_awaiting_count(user=user)
            item["count_title"] = "awaiting grading"
        elif name == "notifications:list":
            # Read at most 100 ids rather than count them all: "99+" is as
            # much as the badge says.
            unread = len(notification_unread(user=user).values_list("pk")[:100])
            item["count"] = "99+" if unread > 99 else unread
            item["count_title"] = "unread"
        nav.append(item)
    return {"main_nav": _menus(nav)}


def _menus(items: list[dict]) -> list[dict]:
    """Gathers the items of each menu into one entry where the first of them
    stood: {"menu": label, "items": [...], "count": sum of their counts}. A
    menu of one item is that item."""
    if len(items) <= FLAT_UP_TO:
        return items
    grouped: list[dict] = []
    menus: dict[str, dict] = {}
    for item in items:
        label = MENU_OF.get(item.pop("name"))
        if label is None:
            grouped.append(item)
            continue
        if label not in menus:
            menus[label] = {"menu": label, "items": [], "count": 0, "current": False}
            grouped.append(menus[label])
        menu = menus[label]
        menu["items"].append(item)
        menu["count"] += item.get("count") if isinstance(item.get("count"), int) else 0
        menu["current"] = menu["current"] or item["current"]
    return [g["items"][0] if len(g.get("items", ())) == 1 else g for g in grouped]
