"""Intelligence API: GeoJSON lists of the records a user may see."""

from django.urls import include, path
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter
from rest_framework_gis.fields import GeometrySerializerMethodField
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from history.serializers import ChangeSerializer
from intel_map.pagination import GeoJsonPagination
from locations.selectors import area_ids_for_code
from maps.params import (
    PERIOD_SCHEMA,
    RECORD_KIND_GRADE_SCHEMA,
    SPATIAL_SCHEMA,
    RecordFilterParams,
    params_parse,
)

from .models import IntelligenceRecord
from .selectors import record_change_history, record_filter, record_list


class RecordSerializer(GeoFeatureModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display")
    grade = serializers.CharField(read_only=True)
    # Where the user may see it (intelligence.selectors.record_list).
    display_point = GeometrySerializerMethodField()
    position_approximate = serializers.BooleanField(read_only=True, default=False)

    class Meta:
        model = IntelligenceRecord
        geo_field = "display_point"
        fields = [
            "id",
            "position_approximate",
            "reference",
            "kind",
            "kind_label",
            "missing_point",
            "occurred_from",
            "occurred_to",
            "received_on",
            "source_type",
            "grading_scheme",
            "grade",
            "handling_code",
            "handling_conditions",
            "summary",
            "tags",
            "precision_m",
            "review_date",
        ]

    def get_display_point(self, obj):
        return getattr(obj, "display_point", obj.point)


class RecordPagination(GeoJsonPagination):
    page_size = 200
    max_page_size = 2000
    page_size_query_param = "page_size"


@extend_schema_view(
    list=extend_schema(
        parameters=[*PERIOD_SCHEMA, *RECORD_KIND_GRADE_SCHEMA, *SPATIAL_SCHEMA]
    )
)
class RecordViewSet(viewsets.ReadOnlyModelViewSet):
    """Records within need-to-know: always through visible_to(user)."""

    serializer_class = RecordSerializer
    pagination_class = RecordPagination
    filter_backends: list = []

    def get_queryset(self):
        qs = record_list(user=self.request.user)
        if self.action != "list":
            return qs
        params = params_parse(RecordFilterParams, self.request)
        area_ids = None
        if code := params.pop("area", None):
            area_ids = area_ids_for_code(code=code)
            if not area_ids:
                raise serializers.ValidationError({"area": f"No area has code {code}."})
        return record_filter(qs=qs, area_ids=area_ids, **params).order_by(
            "-occurred_from", "id"
        )

    @extend_schema(responses=ChangeSerializer(many=True))
    @action(detail=True, pagination_class=None)
    def history(self, request, pk=None):
        """Who changed this record and its location links, when, from what to
        what; newest first. Only for users who may see the record (404
        otherwise)."""
        changes = record_change_history(record=self.get_object())
        return Response(ChangeSerializer(changes, many=True).data)


router = DefaultRouter()
router.include_root_view = False
router.register("intelligence", RecordViewSet, basename="api-intelligence")

urlpatterns = [path("", include(router.urls))]
