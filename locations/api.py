"""Locations API: GeoJSON lists, nearest, detail and concern flags."""

from django.core.paginator import InvalidPage
from django.db import transaction
from django.urls import reverse
from django.utils.decorators import method_decorator
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework_gis.fields import GeometrySerializerMethodField
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from common.db.router import standby_reads
from common.pagination import GeoJsonPagination
from common.params import (
    AREA_CODE_SCHEMA,
    SPATIAL_SCHEMA,
    BBoxParam,
    PointParam,
    bbox_param,
    params_parse,
    point_param,
    radius_param,
    zoom_param,
)
from common.schema import ErrorSerializer
from history.serializers import ChangeSerializer

from .models import Category, ConcernFlag, FlagAction, Location, RiskLevel
from .params import (
    LocationFilterParams,
)
from .selectors import (
    MARKERS_MAX,
    area_ids_for_code,
    location_change_history,
    location_clusters,
    location_feature_collection,
    location_features,
    location_features_page,
    location_flag_history,
    location_list_filtered,
    location_markers,
    location_nearest,
    location_scope,
)
from .services import StaleEdit, location_flag


class LocationSerializer(GeoFeatureModelSerializer):
    """A location where this user may see it; restricted ones lose the address
    and are placed on the grid for roles not cleared for their position."""

    # An annotation (locations.selectors.location_scope), not a model field.
    display_point = GeometrySerializerMethodField()
    category_label = serializers.CharField(source="get_category_display")
    concern_label = serializers.CharField(source="get_concern_level_display")
    position_approximate = serializers.BooleanField(read_only=True)
    distance_m = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Location
        geo_field = "display_point"
        fields = [
            "id",
            "name",
            "category",
            "category_label",
            "address",
            "postcode",
            "concern_level",
            "concern_label",
            "concern_review_date",
            "position_approximate",
            "distance_m",
            "url",
        ]

    def get_display_point(self, obj):
        return obj.display_point

    def get_distance_m(self, obj) -> float | None:
        distance = getattr(obj, "distance", None)
        return round(distance.m, 1) if distance is not None else None

    def get_url(self, obj) -> str:
        return reverse("location-page", args=[obj.pk])

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if getattr(instance, "position_approximate", False):
            data["properties"]["address"] = ""
            data["properties"]["postcode"] = ""
        return data


class LocationDetailSerializer(LocationSerializer):
    class Meta(LocationSerializer.Meta):
        fields = LocationSerializer.Meta.fields + [
            "premises_licence_number",
            "licence_holder",
            "fhrs_id",
            "fhrs_rating",
            "version",
        ]


class FlagSerializer(serializers.ModelSerializer):
    created_by = serializers.CharField(source="created_by.username", read_only=True)
    version = serializers.IntegerField(
        write_only=True,
        required=False,
        help_text="The location's version the edit was based on; a stale one "
        "is refused with 409.",
    )

    class Meta:
        model = ConcernFlag
        fields = [
            "id",
            "action",
            "risk_level",
            "reason",
            "review_date",
            "agency",
            "created_by",
            "created_at",
            "version",
        ]
        read_only_fields = ["agency", "created_by", "created_at"]

    def validate(self, attrs):
        if attrs["action"] == FlagAction.FLAG:
            errors = {}
            if attrs.get("risk_level") not in RiskLevel.values:
                errors["risk_level"] = "Choose a risk level: low, medium or high."
            if not attrs.get("review_date"):
                errors["review_date"] = "A flag needs a review date."
            if errors:
                raise serializers.ValidationError(errors)
        return attrs


class NearestParams(serializers.Serializer):
    point = PointParam()
    k = serializers.IntegerField(min_value=1, max_value=100, default=10)


def location_queryset_for(request) -> object:
    params = params_parse(LocationFilterParams, request)
    area_ids = None
    if code := params.pop("area", None):
        area_ids = area_ids_for_code(code=code)
        if not area_ids:
            raise serializers.ValidationError({"area": f"No area has code {code}."})
    qs = location_scope(user=request.user)
    return location_list_filtered(qs=qs, area_ids=area_ids, **params)


class MarkerParams(serializers.Serializer):
    bbox = BBoxParam()
    zoom = serializers.IntegerField(min_value=0, max_value=22)


MARKER_FIELDS = [
    "id",
    "lon",
    "lat",
    "category",
    "concern_level",
    "position_approximate",
    "name",
]


class LocationPagination(GeoJsonPagination):
    page_size = 500
    max_page_size = 5000
    page_size_query_param = "page_size"

    def paginate_features(self, queryset, request) -> list[dict]:
        """paginate_queryset, with the page's rows built as GeoJSON in SQL
        (locations.selectors.location_features) rather than as instances, and
        the total counted by the same query rather than a second scan."""
        page_size = self.get_page_size(request)
        paginator = self.django_paginator_class(queryset, page_size)
        number = self.get_page_number(request, paginator)
        if str(number).isdigit() and int(number) >= 1:
            features, total = location_features_page(
                qs=queryset, offset=(int(number) - 1) * page_size, limit=page_size
            )
            if total is not None or int(number) == 1:
                # The paginator's count, known without its own query.
                paginator.__dict__["count"] = total or 0
                self.page = paginator.page(int(number))
                self.request = request
                return features
        # "last", a page past the end or a malformed number: Django's
        # paginator decides, with its count query and its messages.
        try:
            self.page = paginator.page(number)
        except InvalidPage as exc:
            raise NotFound(str(exc)) from None
        self.request = request
        return location_features(qs=self.page.object_list)


# The list's filters; the map's markers take the same.
LOCATION_FILTERS = [
    OpenApiParameter("category", str, many=True, enum=Category.values),
    OpenApiParameter("flagged", bool),
    OpenApiParameter("risk", str, enum=["low", "medium", "high"]),
    OpenApiParameter("q", str, description="name, address or postcode"),
]


@extend_schema_view(list=extend_schema(parameters=[*LOCATION_FILTERS, *SPATIAL_SCHEMA]))
class LocationViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = LocationSerializer
    pagination_class = LocationPagination
    filter_backends: list = []

    def get_queryset(self):
        if self.action == "list":
            return location_queryset_for(self.request).order_by("name", "id")
        return location_scope(user=self.request.user)

    def get_serializer_class(self):
        if self.action == "retrieve":
            return LocationDetailSerializer
        if self.action == "flags":
            return FlagSerializer
        return LocationSerializer

    def list(self, request, *args, **kwargs):
        features = self.paginator.paginate_features(self.get_queryset(), request)
        return self.paginator.get_paginated_response({"features": features})

    @extend_schema(
        parameters=[
            point_param(required=True),
            OpenApiParameter(
                "k",
                {"type": "integer", "minimum": 1, "maximum": 100},
                description="how many",
            ),
        ],
        responses=LocationSerializer(many=True),
    )
    @action(detail=False)
    def nearest(self, request, format=None):
        params = params_parse(NearestParams, request)
        qs = location_nearest(
            point=params["point"],
            k=params["k"],
            qs=location_scope(user=request.user),
        )
        return Response(location_feature_collection(qs=qs))

    @extend_schema(
        parameters=[
            *LOCATION_FILTERS,
            bbox_param(required=True),
            point_param(),
            radius_param(),
            AREA_CODE_SCHEMA,
            zoom_param(0, 22),
        ],
        responses={200: dict},
    )
    @action(detail=False)
    @method_decorator(standby_reads)
    def markers(self, request, format=None):
        """The list's filters, answered for the map: each location as a compact
        row while few are in view, else grid clusters binned in PostGIS."""
        zoom = params_parse(MarkerParams, request)["zoom"]
        qs = location_queryset_for(request)
        count, rows = location_markers(qs=qs)
        body = {"count": count, "fields": MARKER_FIELDS, "markers": rows}
        if count > MARKERS_MAX:
            body["clusters"] = location_clusters(qs=qs, zoom=zoom)
            body["cluster_fields"] = ["lon", "lat", "count", "flagged"]
        return Response(body)

    @extend_schema(methods=["GET"], responses=FlagSerializer(many=True))
    @extend_schema(
        methods=["POST"],
        request=FlagSerializer,
        responses={
            201: FlagSerializer,
            409: OpenApiResponse(
                ErrorSerializer, description="The location changed since it was read."
            ),
        },
    )
    @action(detail=True, methods=["get", "post"])
    def flags(self, request, pk=None, format=None):
        location = self.get_object()
        if request.method == "GET":
            flags = location_flag_history(location=location)
            return Response(FlagSerializer(flags, many=True).data)
        if not request.user.has_perm("locations.add_concernflag"):
            raise PermissionDenied("Your role cannot flag locations.")
        serializer = FlagSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = data.pop("version", None)
        try:
            with transaction.atomic():
                flag = location_flag(
                    location=location, user=request.user, version=version, **data
                )
        except StaleEdit as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
        return Response(FlagSerializer(flag).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=ChangeSerializer(many=True))
    @action(detail=True, pagination_class=None)
    def history(self, request, pk=None, format=None):
        """Who changed this location and its concern flags, when, from what to
        what; newest first. A protected location's position and address are
        withheld from roles that see it on the grid."""
        changes = location_change_history(location=self.get_object(), limit=None)
        return Response(ChangeSerializer(changes, many=True).data)


# Routed by the API's one router (intel_map/api_urls.py).
