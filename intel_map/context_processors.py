"""Template context shared by every page."""

from django.conf import settings
from django.urls import reverse

from accounts.roles import can_read_map
from analysis.permissions import can_see_hotspots
from intelligence.selectors import record_can_review, record_review_due_count


def navigation(request) -> dict:
    """The main navigation, holding only the pages the signed-in user may open,
    so nobody is shown a link that answers 403."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"main_nav": []}
    if settings.OTP_REQUIRED and not user.is_verified():
        # Password given, second factor not yet: nothing to navigate to.
        return {"main_nav": []}
    hotspots = can_see_hotspots(user)
    reviews = record_can_review(user=user)
    entries = [
        ("Map", "home", True),
        ("Hot spots", "analysis:hotspots", hotspots),
        (
            "Tasking meetings",
            "analysis:meetings",
            user.has_perm("disruption.view_taskingmeeting"),
        ),
        (
            "Legal clocks",
            "analysis:clocks",
            user.has_perm("disruption.view_disruptionaction"),
        ),
        ("Reports", "analysis:reports", hotspots),
        ("Reviews due", "intelligence:review-queue", reviews),
        ("Admin", "admin:index", user.is_staff),
        ("API", "api-docs", can_read_map(user)),
    ]
    path = request.path
    nav = []
    for label, name, allowed in entries:
        if not allowed:
            continue
        url = reverse(name)
        current = path == url if url == "/" else path.startswith(url)
        item = {"label": label, "url": url, "current": current}
        if name == "intelligence:review-queue":
            item["count"] = record_review_due_count(user=user)
        nav.append(item)
    return {"main_nav": nav}
