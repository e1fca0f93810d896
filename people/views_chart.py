"""The link chart page: the network around one entity, drawn in the browser
(static/js/linkchart.js) from the graph and path APIs (people/api.py). The
page holds no intelligence itself: what each role sees is decided there."""

from django.conf import settings
from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from accounts.roles import MAP_READ_PERMISSION
from audit.justification import justification_required
from maps.views import module_graph

from .models import LinkType
from .nodes import node_parse
from .selectors import link_counts_only, subject_can_view

GRAPH_HOPS = (1, 2, 3)
PATH_HOPS = (1, 2, 3, 4)
# The intelligence assessment, the 3x5x2 grade's letter: "B" keeps A and B.
GRADES = [
    ("A", "A: known directly"),
    ("B", "B or better: corroborated"),
    ("C", "C or better: known indirectly"),
    ("D", "D or better: not known"),
]


def _chart_config(*, centre: str, counts_only: bool) -> dict:
    return {
        "centre": centre,
        "countsOnly": counts_only,
        "urls": {
            "page": reverse("people:link_chart"),
            "map": reverse("map"),
            "graph": reverse("api-link-graph"),
            "graphCsv": reverse("api-link-graph-csv"),
            "path": reverse("api-link-path"),
            "justification": reverse("api-justification"),
            # "{id}" is replaced in the browser by a record's id.
            "record": reverse("intelligence:record", args=[0]).replace("/0/", "/{id}/"),
        },
        "linkTypes": [{"value": t.value, "label": t.label} for t in LinkType],
    }


@require_GET
@permission_required(MAP_READ_PERMISSION, raise_exception=True)
@justification_required(lambda user: subject_can_view(user=user))
def link_chart(request: HttpRequest) -> HttpResponse:
    if "centre" not in request.GET:
        # From the navigation: where a chart starts from.
        return render(
            request,
            "people/link_chart_start.html",
            {"people": subject_can_view(user=request.user)},
        )
    try:
        centre = node_parse(request.GET.get("centre"))
    except ValueError as exc:
        return render(
            request,
            "people/link_chart_bad.html",
            {"message": f"centre: {exc}"},
            status=400,
        )
    counts_only = link_counts_only(user=request.user)
    # Licensing and community safety officers see how many people and
    # vehicles are linked to a premises, never who: no chart of anything else.
    if counts_only and centre.type != "location":
        raise Http404("No chart here.")
    return render(
        request,
        "people/link_chart.html",
        {
            "config": _chart_config(centre=str(centre), counts_only=counts_only),
            "centre_label": str(centre),
            "counts_only": counts_only,
            "grades": [{"value": v, "label": label} for v, label in GRADES],
            "hops_choices": GRAPH_HOPS,
            "path_hops_choices": PATH_HOPS,
            "modules": module_graph("js/linkchart.js"),
            "layout_scripts": list(settings.NODE_MODULE_FILES),
        },
    )
