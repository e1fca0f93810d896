import posixpath
import re
from functools import cache

from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from accounts.roles import can_read_map, can_see_hotspots
from disruption.legal import WARN_DAYS, legal_clocks_due_for
from intelligence.grading import HEATMAP_HALF_LIFE_DAYS
from intelligence.models import IndicatorTag, RecordKind
from intelligence.selectors import record_has_content_access
from locations.models import RESTRICTED_CATEGORIES, Category
from people.selectors import link_counts_only, subject_can_view
from safeguarding.selectors import alerts_can_view, safeguarding_can_view

# The radius tool's choices, in metres (the API accepts 1..50,000).
RADIUS_CHOICES_M = [100, 200, 400, 800, 1000, 2000]
PERIOD_CHOICES_DAYS = [28, 90, 365]


_IMPORT = re.compile(r"""\b(?:import|export)\b[^;"']*?["'](\.{1,2}/[^"']+\.js)["']""")


@cache
def module_graph(entry: str) -> list[str]:
    """Every static path the ES module `entry` imports, directly or not.

    The map page names them as modulepreload links, so the browser fetches
    the whole graph at once instead of discovering it one level per round
    trip (three levels deep; docs/scaling.md has what that cost).
    """
    seen: list[str] = []
    todo = [entry]
    while todo:
        path = todo.pop()
        found = finders.find(path)
        if not found:
            continue
        with open(found, encoding="utf-8") as f:
            source = f.read()
        for rel in _IMPORT.findall(source):
            dep = posixpath.normpath(posixpath.join(posixpath.dirname(path), rel))
            if dep not in seen and dep != entry:
                seen.append(dep)
                todo.append(dep)
    return sorted(seen)


def map_page(request: HttpRequest) -> HttpResponse:
    """The map workspace, one click from every role's home page."""
    user = request.user
    if not can_read_map(user):
        # A partner submits and reads nothing: no map content, no counts.
        raise PermissionDenied("Your role submits intelligence and reads no map.")
    safety_places = alerts_can_view(user=user) or safeguarding_can_view(user=user)
    config = {
        "urls": {
            "locations": reverse("api-location-list"),
            "markers": reverse("api-location-markers"),
            # "{id}" is replaced in the browser by a location's id.
            "locationDetail": reverse("api-location-detail", args=[0]).replace(
                "/0/", "/{id}/"
            ),
            "nearest": reverse("api-location-nearest"),
            "heatmap": reverse("api-heatmap"),
            "areas": reverse("api-areas"),
            "disruptions": reverse("api-disruption-list"),
            "queryRadius": reverse("api-query-radius"),
            "queryArea": reverse("api-query-area"),
            "hotspots": reverse("api-hotspots"),
            "justification": reverse("api-justification"),
            "linkGraph": reverse("api-link-graph"),
            "subjectSearch": reverse("api-subject-search"),
            "vehicleSearch": reverse("api-vehicle-search"),
            "linkChart": reverse("people:link_chart"),
            "justifyPage": reverse("audit:justify"),
            "safetyPlaces": reverse("api-safety-plan-places")
            if safety_places
            else None,
            # A radius on the map can become a problem profile's place.
            "problems": reverse("analysis:problems")
            if can_see_hotspots(user)
            else None,
        },
        # The registers this role may open: "show these on the map" reads
        # their rows, "list these" opens them on a map selection.
        "registers": {
            "records": reverse("intelligence:register")
            if record_has_content_access(user=user)
            else None,
            "locations": reverse("location-register"),
            "actions": reverse("disruption:actions")
            if user.has_perm("disruption.view_disruptionaction")
            else None,
        },
        "categories": [
            {
                "value": c.value,
                "label": c.label,
                "restricted": c in RESTRICTED_CATEGORIES,
            }
            for c in Category
        ],
        "kinds": [{"value": k.value, "label": k.label} for k in RecordKind],
        "tags": [{"value": t.value, "label": t.label} for t in IndicatorTag],
        "radii": RADIUS_CHOICES_M,
        "periods": PERIOD_CHOICES_DAYS,
        "halfLifeDays": HEATMAP_HALF_LIFE_DAYS,
        "can": {
            "query": user.has_perm("locations.run_analysis"),
            "records": user.has_perm("intelligence.view_record_content"),
            "disruption": user.has_perm("disruption.view_disruptionaction"),
            "hotspots": can_see_hotspots(user),
            # Who is linked to a place (and where a subject or vehicle has
            # been), or only how many: people.selectors decides which.
            "links": subject_can_view(user=user),
            "linkCounts": link_counts_only(user=user),
            # Live safety plans' trigger places, never the child.
            "safetyPlaces": safety_places,
        },
    }
    return render(
        request,
        "maps/map.html",
        {
            "config": config,
            "modules": module_graph("js/map.js"),
            "clocks_due": legal_clocks_due_for(user=user),
            "warn_days": WARN_DAYS,
        },
    )
