"""Finding a subject or a vehicle: by reference or descriptor words, by
registration mark or licence plate. Each answer is a consultation, logged
with every subject or vehicle it names; roles that do not see subjects get
404, as for a subject's page."""

from django.utils.decorators import method_decorator
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.roles import MapReader
from audit.consults import consults
from audit.justification import SESSION_OR_HEADER, api_justification
from audit.models import AccessAction
from common.params import params_parse
from common.schema import NOT_FOUND

from .models import Subject, SubjectKind, Vehicle
from .registration import registration_normalise
from .selectors import subject_can_view, subject_search, vehicle_search
from .web import consultation_write


class SubjectSearchParams(serializers.Serializer):
    q = serializers.CharField(max_length=100, trim_whitespace=True)
    kind = serializers.ChoiceField(choices=SubjectKind.values, required=False)


class SubjectSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Subject
        fields = ["id", "reference", "kind", "age_band", "sex", "descriptors", "url"]

    def get_url(self, obj) -> str:
        return obj.get_absolute_url()


# A search answers with at most this many subjects: a reference or a few
# descriptor words narrow it, not paging.
SEARCH_MAX = 50


class SubjectSearchView(APIView):
    """Subjects by reference (whole or part) or descriptor words; young
    people only for roles cleared for them. A consultation, logged."""

    permission_classes = [MapReader]
    justification = SESSION_OR_HEADER

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, required=True, description="reference or words"),
            OpenApiParameter("kind", str, enum=SubjectKind.values),
        ],
        responses={200: SubjectSerializer(many=True), 404: NOT_FOUND},
    )
    @method_decorator(consults("Subject search", action=AccessAction.SEARCHED))
    def get(self, request):
        if not subject_can_view(user=request.user):
            raise NotFound()
        params = params_parse(SubjectSearchParams, request)
        reason = api_justification(request)
        qs = subject_search(user=request.user, q=params["q"])
        if kind := params.get("kind"):
            qs = qs.filter(kind=kind)
        subjects = list(qs.order_by("-id")[:SEARCH_MAX])
        consultation_write(
            request=request,
            action=AccessAction.SEARCHED,
            what="Subject search",
            justification=reason,
            subject_ids=[s.pk for s in subjects],
        )
        return Response(SubjectSerializer(subjects, many=True).data)


class VehicleSearchParams(serializers.Serializer):
    q = serializers.CharField(max_length=20, trim_whitespace=True)

    def validate_q(self, value: str) -> str:
        if not registration_normalise(value):
            raise serializers.ValidationError(
                "Give a registration mark, or its first letters and numbers."
            )
        return value


class VehicleSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Vehicle
        fields = ["id", "registration", "make", "model", "colour", "url"]

    def get_url(self, obj) -> str:
        return obj.get_absolute_url()


class VehicleSearchView(APIView):
    """Vehicles whose mark starts with what was typed (spaces and case do
    not matter), or whose licence plate number it is. A consultation,
    logged."""

    permission_classes = [MapReader]
    justification = SESSION_OR_HEADER

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, required=True, description="mark, or its start"),
        ],
        responses={200: VehicleSerializer(many=True), 404: NOT_FOUND},
    )
    @method_decorator(consults("Vehicle search", action=AccessAction.SEARCHED))
    def get(self, request):
        if not subject_can_view(user=request.user):
            raise NotFound()
        params = params_parse(VehicleSearchParams, request)
        reason = api_justification(request)
        qs = vehicle_search(user=request.user, q=params["q"])
        vehicles = list(qs.order_by("registration")[:SEARCH_MAX])
        consultation_write(
            request=request,
            action=AccessAction.SEARCHED,
            what="Vehicle search",
            justification=reason,
            vehicle_ids=[v.pk for v in vehicles],
        )
        return Response(VehicleSerializer(vehicles, many=True).data)
