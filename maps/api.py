"""The map's own API: heat map, areas with counts, "what is here" queries."""

from datetime import date

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view, permission_classes
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from accounts.reauth import api_export_reauth
from accounts.roles import MapReader
from accounts.tokens import MAP, READ, token_scopes
from audit.consults import consult_denied, consulted, consults
from audit.justification import FIELD, PER_EXPORT, api_justification
from audit.models import AccessAction
from common.db.router import standby_reads
from common.exports import csv_response
from common.params import (
    PERIOD_SCHEMA,
    RADIUS_MAX_M,
    BBoxParam,
    PeriodParams,
    PointParam,
    PolygonParam,
    bbox_param,
    params_parse,
    point_param,
    radius_param,
    zoom_param,
)
from disruption.selectors import disruption_filter, disruption_scope
from intelligence.grading import HEATMAP_HALF_LIFE_DAYS
from intelligence.params import (
    RECORD_KIND_GRADE_SCHEMA,
    RecordFilterParams,
    RecordKindGradeParams,
)
from intelligence.selectors import record_has_content_access
from locations.models import AreaType

from .cache import aggregate_revalidated, heatmap_cache
from .selectors import (
    WHAT_IS_HERE_CSV_HEADER,
    area_counts,
    area_polygon_size_ok,
    heatmap_cell_size,
    heatmap_compute,
    projected,
    what_is_here,
    what_is_here_csv_rows,
)


class HeatmapParams(RecordFilterParams):
    bbox = BBoxParam()
    zoom = serializers.IntegerField(min_value=5, max_value=19)
    include_low_grade = serializers.BooleanField(required=False, default=False)
    half_life = serializers.FloatField(
        required=False, min_value=1, max_value=3650, default=HEATMAP_HALF_LIFE_DAYS
    )


HEATMAP_SCHEMA = extend_schema(
    parameters=[
        bbox_param(required=True),
        zoom_param(5, 19),
        *PERIOD_SCHEMA,
        *RECORD_KIND_GRADE_SCHEMA,
        OpenApiParameter("include_low_grade", bool),
        OpenApiParameter(
            "half_life",
            {"type": "number", "minimum": 1, "maximum": 3650},
            description="days",
        ),
    ],
    responses={200: dict},
)


HEATMAP_WHAT = "Heat map"


def _as_given(params: dict) -> dict:
    """Parsed parameters back in the form the query string gives them (the
    period's defaults resolved): logged, and parsed again to derive the
    records a logged map weighed."""
    given = {}
    for key, value in params.items():
        if value is None:
            continue
        if key == "bbox":
            given[key] = ",".join(repr(v) for v in value.extent)
        elif key == "min_grade":
            given[key] = "".join(value)
        elif isinstance(value, date):
            given[key] = value.isoformat()
        else:
            given[key] = value
    return given


@standby_reads
@HEATMAP_SCHEMA
@token_scopes(READ, MAP)
@api_view(["GET"])
@permission_classes([MapReader])
@consults(HEATMAP_WHAT, action=AccessAction.SEARCHED, aggregate=True, denied_on=())
@aggregate_revalidated("heatmap")
@heatmap_cache
def heatmap(request):
    """Intelligence density, binned in PostGIS; no record content, any role.
    Logged as a consultation with its parameters as applied, the data
    version and the number of records weighed, all read by the map's own
    statement (from the cache, with the body)."""
    params = params_parse(HeatmapParams, request)
    for unused in ("point", "radius", "area"):
        params.pop(unused, None)
    applied = _as_given(params)
    zoom = params.pop("zoom")
    include_low = params.pop("include_low_grade")
    half_life = params.pop("half_life")
    cell_m = heatmap_cell_size(zoom=zoom, bbox=params["bbox"])
    result = heatmap_compute(
        user=request.user,
        params=params,
        cell_m=cell_m,
        include_low_grade=include_low,
        half_life_days=half_life,
    )
    consulted(
        request,
        count=result.pop("records_weighed"),
        params={
            **applied,
            "cell_m": cell_m,
            "data_version": result.pop("data_version"),
        },
    )
    min_grade = params.get("min_grade")
    result["settings"].update(
        {
            "since": params["since"],
            "until": params["until"],
            "zoom": zoom,
            "kind": params.get("kind") or "all",
            "min_grade": "".join(min_grade) if min_grade else None,
            "tags": params.get("tag") or [],
            "include_low_grade": include_low,
        }
    )
    return Response(result)


class AreaListParams(RecordKindGradeParams):
    type = serializers.ChoiceField(choices=AreaType.choices, default=AreaType.WARD)


@standby_reads
@extend_schema(
    parameters=[
        OpenApiParameter("type", str, enum=list(AreaType.values)),
        *PERIOD_SCHEMA,
        *RECORD_KIND_GRADE_SCHEMA,
    ],
    responses={200: dict},
)
@token_scopes(READ, MAP)
@api_view(["GET"])
@permission_classes([MapReader])
@consults("Area counts", action=AccessAction.SEARCHED, aggregate=True, denied_on=())
@aggregate_revalidated("areas")
def areas(request):
    """Areas as GeoJSON with counts for the period; small intelligence counts
    are shown as "<3" to roles without record content. Logged as a
    consultation: parameters, data version and the records counted."""
    params = params_parse(AreaListParams, request)
    period = {"since": params["since"], "until": params["until"]}
    record_params = {k: params.get(k) for k in ("kind", "min_grade", "tag")}
    consultation: dict = {}
    rows = area_counts(
        user=request.user,
        area_type=params["type"],
        params=params,
        actions=disruption_filter(qs=disruption_scope(user=request.user), **period),
        consultation=consultation,
    )
    consulted(
        request,
        count=consultation["count"],
        params={
            **_as_given({"type": params["type"], **period, **record_params}),
            "data_version": consultation["data_version"],
        },
    )
    return Response(
        {
            "type": "FeatureCollection",
            "period": period,
            "features": [
                {
                    "type": "Feature",
                    "id": row["id"],
                    "geometry": row.pop("geometry"),
                    "properties": row,
                }
                for row in rows
            ],
        }
    )


def _what_is_here(request, *, where: dict, period: dict, describe: dict, what: str):
    """Locations, intelligence counts and disruption for a radius or polygon.

    Counts by kind and grade at a chosen place single out records for a role
    cleared to see them, so such a search is logged with the ids it counted
    (read by the counts' own query); an export is always logged, with a
    reason given for it alone."""
    if not request.user.has_perm("locations.run_analysis"):
        consult_denied(request, what=what)
        raise PermissionDenied("Your role cannot run radius or area queries.")
    export = request.query_params.get("export") == "csv"
    if export:
        api_export_reauth(request)
    cleared = record_has_content_access(user=request.user)
    reason = api_justification(request, export=export) if cleared or export else ""
    # Logged: the ids come from the counts' own query.
    here = what_is_here(
        user=request.user, where=where, period=period, with_ids=bool(reason)
    )
    if reason:
        consulted(
            request,
            action=AccessAction.EXPORTED if export else AccessAction.SEARCHED,
            what=what + (" (CSV)" if export else ""),
            record_ids=here.record_ids,
            justification=reason,
        )
    query = {**describe, **period}
    if export:
        return csv_response(
            filename="what-is-here.csv",
            header=WHAT_IS_HERE_CSV_HEADER,
            rows=what_is_here_csv_rows(here=here, query=query),
        )
    result = {
        "query": query,
        "locations": here.locations,
        "intelligence": here.intelligence,
        "disruption": here.disruption,
    }
    if here.records is not None:
        # The search is logged with every record counted, these among them.
        result["records"] = here.records
    return Response(result)


class RadiusQueryParams(PeriodParams):
    point = PointParam()
    radius = serializers.IntegerField(min_value=1, max_value=RADIUS_MAX_M)


@standby_reads
@extend_schema(
    parameters=[
        point_param(required=True),
        radius_param(required=True),
        *PERIOD_SCHEMA,
        OpenApiParameter("export", str, enum=["csv"]),
    ],
    responses={
        (200, "application/json"): dict,
        (200, "text/csv"): OpenApiTypes.STR,
    },
)
@api_view(["GET"])
@permission_classes([MapReader])
@consults("What is here", action=AccessAction.SEARCHED, denied_on=())
def query_radius(request):
    params = params_parse(RadiusQueryParams, request)
    point, radius = params["point"], params["radius"]
    return _what_is_here(
        request,
        where={"point": point, "radius_m": radius},
        period={"since": params["since"], "until": params["until"]},
        describe={"point": [point.x, point.y], "radius_m": radius},
        what=f"What is here: {radius} m around {point.x:.5f},{point.y:.5f}",
    )


class AreaQueryParams(PeriodParams):
    polygon = PolygonParam()
    # Read by audit.justification for an export (?export=csv); listed here
    # so the body's schema says so.
    justification = serializers.CharField(
        required=False, max_length=500, help_text="The reason for an export."
    )


@standby_reads
@extend_schema(request=AreaQueryParams, responses={200: dict})
# A read by POST (the polygon is the body).
@token_scopes(READ)
@api_view(["POST"])
@permission_classes([MapReader])
@consults("What is here", action=AccessAction.SEARCHED, denied_on=())
def query_area(request):
    """What is inside a drawn polygon: body {"polygon": GeoJSON, "since", "until"}
    or a bare GeoJSON Polygon."""
    body = request.data if isinstance(request.data, dict) else {}
    if body.get("type") in ("Polygon", "Feature"):
        body = {"polygon": body}
    params = params_parse(AreaQueryParams, request, data=body)
    params.pop(FIELD, None)
    polygon = params["polygon"]
    if not area_polygon_size_ok(polygon=polygon):
        raise serializers.ValidationError(
            {"polygon": "The area is too large: draw at most 2,500 km²."}
        )
    return _what_is_here(
        request,
        where={"polygon": polygon},
        period={"since": params["since"], "until": params["until"]},
        describe={"polygon_area_m2": round(projected(polygon).area)},
        what="What is here: a drawn area",
    )


query_radius.cls.justification = PER_EXPORT
query_area.cls.justification = PER_EXPORT

urlpatterns = [
    path("heatmap/", heatmap, name="api-heatmap"),
    path("areas/", areas, name="api-areas"),
    path("query/radius/", query_radius, name="api-query-radius"),
    path("query/area/", query_area, name="api-query-area"),
]
