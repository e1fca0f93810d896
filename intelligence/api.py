"""Intelligence API: GeoJSON lists of the records a user may see."""

from django.http import Http404
from django.urls import include, path
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.routers import DefaultRouter
from rest_framework_gis.fields import GeometrySerializerMethodField
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from audit.justification import SESSION_OR_HEADER, api_justification
from audit.models import AccessAction
from audit.web import access_log_denied, access_log_request, record_id_asked
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
from .selectors import record_filter, record_has_content_access, record_list


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
    """Records within need-to-know: always through visible_to(user). Each
    answer is written to the access log with the ids it shows; a role without
    record content is answered with nothing and the attempt logged as denied."""

    serializer_class = RecordSerializer
    pagination_class = RecordPagination
    filter_backends: list = []
    justification = SESSION_OR_HEADER

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.reason = (
            api_justification(request)
            if record_has_content_access(user=request.user)
            else ""
        )

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

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        self.shown_ids = [r.pk for r in page] if page is not None else []
        return page

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        if not self.reason:
            access_log_denied(request=request, what="Intelligence API: list")
        else:
            access_log_request(
                request=request,
                action=AccessAction.LISTED,
                what="Intelligence API: list",
                record_ids=self.shown_ids,
                justification=self.reason,
            )
        return response

    def retrieve(self, request, *args, **kwargs):
        try:
            response = super().retrieve(request, *args, **kwargs)
        except Http404:
            access_log_denied(
                request=request,
                what="Intelligence API: record",
                record_ids=record_id_asked(kwargs.get("pk")),
            )
            raise
        access_log_request(
            request=request,
            action=AccessAction.OPENED,
            what="Intelligence API: record",
            record_ids=record_id_asked(kwargs.get("pk")),
            justification=self.reason,
        )
        return response


router = DefaultRouter()
router.include_root_view = False
router.register("intelligence", RecordViewSet, basename="api-intelligence")

urlpatterns = [path("", include(router.urls))]
