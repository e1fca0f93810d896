"""The link graph's API: expansion, shortest paths and the CSV edge list.

The JSON contract is the link chart's (people/templates, static/js): nodes
the viewer is not cleared for are not in the answer at all. Every answer
that shows subjects or records is a consultation: it needs the session's
reason (or the X-Justification header), and is logged with every record
(audit) and every subject and vehicle (people.SubjectConsultation) shown.
"""

from django.urls import path
from django.utils.decorators import method_decorator
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.roles import MapReader
from audit.consults import consult_denied, consulted, consults
from audit.justification import PER_EXPORT, SESSION_OR_HEADER, api_justification
from audit.models import AccessAction
from common.exports import csv_response
from common.params import DATE_BOUNDS, params_parse
from common.schema import NOT_FOUND
from intelligence.models import INTELLIGENCE_ASSESSMENT_3X5X2
from locations.models import Location

from .api_search import SubjectSearchView, VehicleSearchView
from .graph import (
    GraphFilter,
    edges_describe,
    graph_expand,
    graph_payload,
    node_visible,
    nodes_describe,
    path_find,
    path_nodes,
)
from .models import LinkType
from .nodes import Node, node_parse
from .selectors import (
    link_counts_only,
    location_linked_people,
    subject_can_view,
)
from .web import consultation_log


class NodeParam(serializers.CharField):
    def to_internal_value(self, data) -> Node:
        try:
            return node_parse(super().to_internal_value(data))
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from None


class FilterParams(serializers.Serializer):
    since = serializers.DateField(required=False, validators=DATE_BOUNDS)
    until = serializers.DateField(required=False, validators=DATE_BOUNDS)
    min_grade = serializers.ChoiceField(
        choices=list(INTELLIGENCE_ASSESSMENT_3X5X2), required=False
    )
    link_types = serializers.ListField(
        child=serializers.ChoiceField(choices=LinkType.values), required=False
    )

    def validate(self, attrs):
        if (
            attrs.get("since")
            and attrs.get("until")
            and attrs["since"] > attrs["until"]
        ):
            raise serializers.ValidationError({"since": "since must be before until."})
        return attrs


class GraphParams(FilterParams):
    centre = NodeParam()
    hops = serializers.IntegerField(min_value=1, max_value=3, default=1)


class PathParams(FilterParams):
    # `from` is a Python keyword: the field is named in __init__.
    to = NodeParam()
    max_hops = serializers.IntegerField(min_value=1, max_value=4, default=4)

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = NodeParam()
        return fields


def _filter(params: dict) -> GraphFilter:
    return GraphFilter(
        since=params.get("since"),
        until=params.get("until"),
        min_grade=params.get("min_grade"),
        link_types=tuple(params.get("link_types") or ()),
    )


_FILTER_SCHEMA = [
    OpenApiParameter("since", OpenApiTypes.DATE, description="records from this day"),
    OpenApiParameter("until", OpenApiTypes.DATE, description="records to this day"),
    OpenApiParameter(
        "min_grade",
        str,
        enum=list(INTELLIGENCE_ASSESSMENT_3X5X2),
        description="lowest intelligence assessment a link's records may have",
    ),
    OpenApiParameter("link_types", str, many=True, enum=LinkType.values, explode=False),
]
_NODE_PATTERN = "^(location|subject|vehicle|record):[0-9]+$"
_CENTRE = OpenApiParameter(
    "centre",
    str,
    required=True,
    pattern=_NODE_PATTERN,
    description="the entity at the centre, e.g. location:12",
)
_HOPS = OpenApiParameter(
    "hops",
    {"type": "integer", "minimum": 1, "maximum": 3},
    description="1 to 3 (default 1)",
)
_NODE = inline_serializer(
    "LinkNode",
    {
        "id": serializers.CharField(),
        "type": serializers.ChoiceField(
            choices=["location", "subject", "vehicle", "record"]
        ),
        "label": serializers.CharField(),
        "kind": serializers.CharField(),
        "url": serializers.CharField(allow_null=True),
        "hops": serializers.IntegerField(),
    },
)
_EDGE = inline_serializer(
    "LinkEdge",
    {
        "id": serializers.CharField(),
        "source": serializers.CharField(),
        "target": serializers.CharField(),
        "type": serializers.ChoiceField(choices=LinkType.values),
        "confidence": serializers.ChoiceField(choices=["high", "medium", "low"]),
        "records": serializers.ListField(child=serializers.IntegerField()),
        "first_seen": serializers.DateField(allow_null=True),
        "last_seen": serializers.DateField(allow_null=True),
    },
)
GRAPH_SCHEMA = inline_serializer(
    "LinkGraph",
    {
        "centre": serializers.CharField(),
        "nodes": _NODE.__class__(many=True),
        "edges": _EDGE.__class__(many=True),
        "suppressed": serializers.DictField(child=serializers.JSONField()),
        "truncated": serializers.BooleanField(),
    },
)
PATH_SCHEMA = inline_serializer(
    "LinkPaths",
    {
        "from": serializers.CharField(),
        "to": serializers.CharField(),
        "paths": inline_serializer(
            "LinkPath",
            {
                "nodes": _NODE.__class__(many=True),
                "edges": _EDGE.__class__(many=True),
            },
        ).__class__(many=True),
    },
)


def _counts_payload(*, user, centre: Node) -> dict:
    """For roles that see that a premises has linked people or vehicles,
    never who: the centre alone and two counts, small ones suppressed."""
    if centre.type != "location" or not node_visible(user=user, node=centre):
        raise NotFound()
    location = Location.objects.get(pk=centre.id)
    counts = location_linked_people(user=user, location=location)
    return {
        "centre": str(centre),
        "nodes": nodes_describe(keys=[centre.key], hops={centre.key: 0}),
        "edges": [],
        "suppressed": {
            "linked_subjects": counts["subjects_count"],
            "linked_vehicles": counts["vehicles_count"],
        },
        "truncated": False,
    }


class _GraphBase(APIView):
    permission_classes = [MapReader]
    what = "Link chart"

    def _centre_checked(self, request, node: Node) -> None:
        if not node_visible(user=request.user, node=node):
            consult_denied(
                request,
                what=f"{self.what}: {node}",
                record_ids=[node.id] if node.type == "record" else [],
            )
            raise NotFound()

    def _graph(self, request) -> tuple[dict, Node]:
        params = params_parse(GraphParams, request)
        centre = params["centre"]
        graph = graph_expand(
            user=request.user, centre=centre, hops=params["hops"], flt=_filter(params)
        )
        return graph_payload(user=request.user, graph=graph), centre


class GraphView(_GraphBase):
    """The graph around one entity, `hops` links out (1 to 3); with
    ?format=csv, the CSV edge list (an export: GraphCsvView)."""

    justification = SESSION_OR_HEADER

    def perform_content_negotiation(self, request, force=False):
        # ?format=csv is answered by the export below, not by a renderer.
        csv = request.query_params.get("format") == "csv"
        return super().perform_content_negotiation(request, force=force or csv)

    @extend_schema(
        parameters=[_CENTRE, _HOPS, *_FILTER_SCHEMA],
        responses={200: GRAPH_SCHEMA, 404: NOT_FOUND},
    )
    # Counts-only roles see an aggregate (no reason asked); the graph itself
    # is logged with the reason it asked for.
    @method_decorator(consults("Link chart", aggregate=True, denied_on=(NotFound,)))
    def get(self, request):
        if request.query_params.get("format") == "csv":
            return GraphCsvView.export(self, request)
        if link_counts_only(user=request.user):
            params = params_parse(GraphParams, request)
            payload = _counts_payload(user=request.user, centre=params["centre"])
            consulted(request, what=f"{self.what}: counts at {params['centre']}")
            return Response(payload)
        if not subject_can_view(user=request.user):
            raise NotFound()
        params = params_parse(GraphParams, request)
        self._centre_checked(request, params["centre"])
        reason = api_justification(request)
        payload, centre = self._graph(request)
        consultation_log(
            request=request,
            action=AccessAction.LISTED,
            what=f"{self.what}: {centre}",
            payload=payload,
            justification=reason,
        )
        return Response(payload)


EXPORT_WHAT = "Link chart: CSV export"
EXPORT_HEADER = [
    "source",
    "source_label",
    "target",
    "target_label",
    "type",
    "confidence",
    "records",
]


class GraphCsvView(_GraphBase):
    """The same graph as a CSV edge list: an export, with its own reason."""

    justification = PER_EXPORT

    @extend_schema(
        parameters=[_CENTRE, _HOPS, *_FILTER_SCHEMA],
        responses={(200, "text/csv"): OpenApiTypes.STR, 404: NOT_FOUND},
    )
    @method_decorator(consults(EXPORT_WHAT, denied_on=(NotFound,)))
    def get(self, request):
        return self.export(request)

    def export(self, request):
        if not subject_can_view(user=request.user):
            raise NotFound()
        if not request.user.has_perm("intelligence.export_records"):
            consult_denied(request, what=EXPORT_WHAT)
            raise PermissionDenied("Your role cannot export intelligence.")
        params = params_parse(GraphParams, request)
        self._centre_checked(request, params["centre"])
        reason = api_justification(request, export=True)
        payload, centre = self._graph(request)
        consultation_log(
            request=request,
            action=AccessAction.EXPORTED,
            what=f"{EXPORT_WHAT}: {centre}",
            payload=payload,
            justification=reason,
        )
        labels = {n["id"]: n["label"] for n in payload["nodes"]}
        rows = (
            [
                e["source"],
                labels.get(e["source"], ""),
                e["target"],
                labels.get(e["target"], ""),
                e["type"],
                e["confidence"],
                " ".join(str(r) for r in e["records"]),
            ]
            for e in payload["edges"]
        )
        return csv_response(
            filename=f"link-chart-{centre.type}-{centre.id}.csv",
            header=EXPORT_HEADER,
            rows=rows,
        )


class PathView(_GraphBase):
    """How are these two connected: up to five shortest paths of at most
    `max_hops` links (1 to 4), each step with the records it rests on."""

    justification = SESSION_OR_HEADER
    what = "Link chart: paths"

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "from",
                str,
                required=True,
                pattern=_NODE_PATTERN,
                description="e.g. subject:3",
            ),
            OpenApiParameter(
                "to",
                str,
                required=True,
                pattern=_NODE_PATTERN,
                description="e.g. location:9",
            ),
            OpenApiParameter(
                "max_hops",
                {"type": "integer", "minimum": 1, "maximum": 4},
                description="1 to 4 (default 4)",
            ),
            *_FILTER_SCHEMA,
        ],
        responses={200: PATH_SCHEMA, 404: NOT_FOUND},
    )
    @method_decorator(consults("Link chart: paths", denied_on=(NotFound,)))
    def get(self, request):
        if not subject_can_view(user=request.user):
            raise NotFound()
        params = params_parse(PathParams, request)
        source, target = params["from"], params["to"]
        self._centre_checked(request, source)
        self._centre_checked(request, target)
        reason = api_justification(request)
        found = path_find(
            user=request.user,
            source=source,
            target=target,
            max_hops=params["max_hops"],
            flt=_filter(params),
        )
        paths = []
        for edges in found:
            keys = path_nodes(source=source, path=edges)
            hops = {k: i for i, k in enumerate(keys)}
            paths.append(
                {
                    "nodes": nodes_describe(keys=keys, hops=hops),
                    "edges": edges_describe(edges=edges),
                }
            )
        payload = {"from": str(source), "to": str(target), "paths": paths}
        shown = {
            "nodes": [n for p in paths for n in p["nodes"]],
            "edges": [e for p in paths for e in p["edges"]],
        }
        consultation_log(
            request=request,
            action=AccessAction.LISTED,
            what=f"{self.what}: {source} to {target}",
            payload=shown,
            justification=reason,
        )
        return Response(payload)


urlpatterns = [
    path("subjects/", SubjectSearchView.as_view(), name="api-subject-search"),
    path("vehicles/", VehicleSearchView.as_view(), name="api-vehicle-search"),
    path("links/graph/", GraphView.as_view(), name="api-link-graph"),
    path("links/graph.csv", GraphCsvView.as_view(), name="api-link-graph-csv"),
    path("links/path/", PathView.as_view(), name="api-link-path"),
]
