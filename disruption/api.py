"""Disruption API: list actions a user may read, log new ones."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework_gis.fields import GeometrySerializerMethodField
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from common.pagination import GeoJsonPagination
from common.params import (
    PERIOD_SCHEMA,
    SPATIAL_SCHEMA,
    PeriodParams,
    SpatialParams,
    params_parse,
)
from locations.selectors import area_ids_for_code

from .models import DisruptionAction
from .selectors import disruption_filter, disruption_scope
from .services import disruption_log


class ActionSerializer(GeoFeatureModelSerializer):
    action_type_label = serializers.CharField(source="get_action_type_display")
    outcome_label = serializers.CharField(source="get_outcome_display")
    agency_label = serializers.CharField(source="get_agency_display")
    location_name = serializers.CharField(source="location.name", default="")
    officer = serializers.CharField(source="officer.get_full_name", default="")
    # Where the user may see it (disruption.selectors.disruption_scope).
    display_point = GeometrySerializerMethodField()
    position_approximate = serializers.BooleanField(read_only=True, default=False)

    class Meta:
        model = DisruptionAction
        geo_field = "display_point"
        fields = [
            "id",
            "position_approximate",
            "action_type",
            "action_type_label",
            "agency",
            "agency_label",
            "officer",
            "occurred_at",
            "location",
            "location_name",
            "outcome",
            "outcome_label",
            "notes",
            "staff_trained",
            "follow_up_date",
            "sector",
            "checklist",
            "joined_watch_scheme",
            "served_at",
            "expires_at",
        ]

    def get_display_point(self, obj):
        return getattr(obj, "display_point", obj.point)


class ActionCreateSerializer(serializers.ModelSerializer):
    """What an officer logs; agency and officer come from the signed-in user."""

    class Meta:
        model = DisruptionAction
        fields = [
            "action_type",
            "occurred_at",
            "location",
            "outcome",
            "notes",
            "staff_trained",
            "follow_up_date",
            "sector",
            "checklist",
            "joined_watch_scheme",
            "served_at",
            "expires_at",
            "authorised_by",
            "authorising_rank",
            "tasking",
        ]
        extra_kwargs = {"location": {"required": True, "allow_null": False}}


class ActionFilterParams(SpatialParams, PeriodParams):
    location = serializers.IntegerField(required=False, min_value=1)

    def validate(self, attrs):
        attrs = SpatialParams.validate(self, attrs)
        return PeriodParams.validate(self, attrs)


class ActionPagination(GeoJsonPagination):
    page_size = 200
    max_page_size = 2000
    page_size_query_param = "page_size"


@extend_schema_view(
    list=extend_schema(
        parameters=[
            *PERIOD_SCHEMA,
            *SPATIAL_SCHEMA,
            OpenApiParameter("location", int, description="a location's id"),
        ]
    ),
    # Logged with what the officer sends; answered as the list shows it.
    create=extend_schema(
        request=ActionCreateSerializer, responses={201: ActionSerializer}
    ),
)
class ActionViewSet(
    mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    serializer_class = ActionSerializer
    pagination_class = ActionPagination
    filter_backends: list = []

    def get_queryset(self):
        qs = disruption_scope(user=self.request.user)
        params = params_parse(ActionFilterParams, self.request)
        area_ids = None
        if code := params.pop("area", None):
            area_ids = area_ids_for_code(code=code)
            if not area_ids:
                raise serializers.ValidationError({"area": f"No area has code {code}."})
        location_id = params.pop("location", None)
        return disruption_filter(
            qs=qs, area_ids=area_ids, location_id=location_id, **params
        )

    def get_serializer_class(self):
        return ActionCreateSerializer if self.action == "create" else ActionSerializer

    def create(self, request, *args, **kwargs):
        if not request.user.has_perm("disruption.add_disruptionaction"):
            raise PermissionDenied("Your role cannot log disruption actions.")
        serializer = ActionCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        logged = disruption_log(officer=request.user, **serializer.validated_data)
        return Response(ActionSerializer(logged).data, status=status.HTTP_201_CREATED)


# Routed by the API's one router (intel_map/api_urls.py).
