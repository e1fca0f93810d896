"""Intelligence API: GeoJSON lists of the records a user may see."""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework_gis.fields import GeometrySerializerMethodField
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from accounts.roles import MapReader
from audit.justification import PER_EXPORT, SESSION_OR_HEADER, api_justification
from audit.models import AccessAction
from audit.web import access_log_denied, access_log_request, record_id_asked
from common.exports import csv_response
from common.pagination import GeoJsonPagination
from common.params import (
    PERIOD_SCHEMA,
    SPATIAL_SCHEMA,
    params_parse,
)
from history.serializers import ChangeSerializer
from locations.selectors import area_ids_for_code

from .intake.api import SubmissionCreateMixin, Submitter
from .models import IntelligenceRecord
from .params import (
    RECORD_KIND_GRADE_SCHEMA,
    RecordFilterParams,
)
from .selectors import (
    record_change_history,
    record_filter,
    record_has_content_access,
    record_list,
)


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


# One export holds at most this many records; more asks for narrower filters.
EXPORT_MAX_ROWS = 10_000
EXPORT_HEADER = [
    "id",
    "reference",
    "kind",
    "occurred_from",
    "occurred_to",
    "received_on",
    "source_type",
    "grading_scheme",
    "grade",
    "handling_conditions",
    "summary",
    "tags",
    "lon",
    "lat",
    "position_approximate",
    "precision_m",
    "review_date",
]


def _export_row(r: IntelligenceRecord) -> list:
    point = getattr(r, "display_point", None) or r.point
    return [
        r.pk,
        r.reference,
        r.get_kind_display(),
        r.occurred_from.isoformat(),
        r.occurred_to.isoformat() if r.occurred_to else "",
        r.received_on.isoformat(),
        r.get_source_type_display(),
        r.grading_scheme,
        r.grade,
        r.handling_conditions,
        r.summary,
        " ".join(r.tags),
        round(point.x, 6),
        round(point.y, 6),
        bool(getattr(r, "position_approximate", False)),
        r.precision_m,
        r.review_date.isoformat(),
    ]


_FILTERS = [*PERIOD_SCHEMA, *RECORD_KIND_GRADE_SCHEMA, *SPATIAL_SCHEMA]


@extend_schema_view(
    list=extend_schema(parameters=_FILTERS),
    export=extend_schema(
        parameters=_FILTERS, responses={(200, "text/csv"): OpenApiTypes.STR}
    ),
)
class RecordViewSet(SubmissionCreateMixin, viewsets.ReadOnlyModelViewSet):
    """Records within need-to-know: always through visible_to(user). Each
    answer is written to the access log with the ids it shows; a role without
    record content is answered with nothing and the attempt logged as denied.
    POST submits a record for grading (intake.api), for every role that
    submits, partners included; it shows no record, so asks no reason."""

    serializer_class = RecordSerializer
    pagination_class = RecordPagination
    filter_backends: list = []

    @property
    def justification(self) -> str:
        """What the access log needs (read by the schema too)."""
        if getattr(self, "action", None) == "export":
            return PER_EXPORT
        return SESSION_OR_HEADER

    def get_permissions(self):
        if self.action == "create":
            return [Submitter()]
        return [MapReader()]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if self.action == "create":
            self.reason = ""
        elif self.action == "export":
            if not request.user.has_perm("intelligence.export_records"):
                access_log_denied(request=request, what="Intelligence API: CSV export")
                raise PermissionDenied("Your role cannot export intelligence records.")
            self.reason = api_justification(request, export=True)
        elif record_has_content_access(user=request.user):
            self.reason = api_justification(request)
        else:
            self.reason = ""

    def get_queryset(self):
        qs = record_list(user=self.request.user)
        if self.action not in ("list", "export"):
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
    def history(self, request, pk=None, format=None):
        """Who changed this record and its location links, when, from what to
        what; newest first. Only for users who may see the record (404
        otherwise)."""
        try:
            record = self.get_object()
        except Http404:
            access_log_denied(
                request=request,
                what="Intelligence API: record history",
                record_ids=record_id_asked(pk),
            )
            raise
        changes = record_change_history(record=record)
        # A record's past values are its content: reading them is a
        # consultation like opening it.
        access_log_request(
            request=request,
            action=AccessAction.OPENED,
            what="Intelligence API: record history",
            record_ids=[record.pk],
            justification=self.reason,
        )
        return Response(ChangeSerializer(changes, many=True).data)

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

    @action(detail=False, methods=["get"], pagination_class=None)
    def export(self, request, format=None):
        """The filtered records as CSV: the list's filters, a reason given
        with this request, and the export_records permission."""
        records = list(self.get_queryset()[: EXPORT_MAX_ROWS + 1])
        if len(records) > EXPORT_MAX_ROWS:
            raise serializers.ValidationError(
                {
                    "export": f"More than {EXPORT_MAX_ROWS:,} records match: "
                    "narrow the period, area or filters."
                }
            )
        access_log_request(
            request=request,
            action=AccessAction.EXPORTED,
            what="Intelligence API: CSV export",
            record_ids=[r.pk for r in records],
            justification=self.reason,
        )
        return csv_response(
            filename="intelligence-records.csv",
            header=EXPORT_HEADER,
            rows=(_export_row(r) for r in records),
        )


# Routed by the API's one router (intel_map/api_urls.py).
