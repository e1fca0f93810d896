"""The licensing API: a vehicle mark's licence, for the roles that see
licences beside records (licensing.view_licence). Drivers' names only for
roles that see them (licensing.view_driver). A consultation, logged."""

from django.urls import path
from django.utils.decorators import method_decorator
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.roles import MapReader
from audit.consults import consulted, consults
from audit.justification import SESSION_OR_HEADER, api_justification
from audit.models import AccessAction
from common.params import params_parse
from common.schema import NOT_FOUND
from people.models import Vehicle
from people.registration import registration_normalise

from .compliance import compliance_missing
from .selectors import (
    licence_summary_can_view,
    licensed_vehicles_for_vehicle_ids,
    licensing_can_view,
)


class LicenceLookupParams(serializers.Serializer):
    registration = serializers.CharField(max_length=20, trim_whitespace=True)


class LicenceSerializer(serializers.Serializer):
    plate_number = serializers.CharField()
    licence_type = serializers.CharField()
    status = serializers.CharField()
    plate_expires_on = serializers.DateField()
    registration = serializers.CharField(source="vehicle.registration")
    driver_licence = serializers.CharField(
        source="driver.licence_number", allow_null=True, default=None
    )
    driver_status = serializers.CharField(
        source="driver.status", allow_null=True, default=None
    )
    compliance = serializers.CharField(
        source="driver.compliance", allow_null=True, default=None
    )
    days_overdue = serializers.IntegerField(
        source="driver.days_overdue", allow_null=True, default=None
    )
    missing = serializers.ListField(child=serializers.CharField())
    operator = serializers.CharField(
        source="operator_shown.name", allow_null=True, default=None
    )


class LicenceLookupView(APIView):
    """The licence of the car with this registration mark, if it is one."""

    permission_classes = [MapReader]
    justification = SESSION_OR_HEADER

    @extend_schema(
        parameters=[OpenApiParameter("registration", str, required=True)],
        responses={200: LicenceSerializer(many=True), 404: NOT_FOUND},
    )
    @method_decorator(consults("Licence lookup", action=AccessAction.SEARCHED))
    def get(self, request):
        if not licence_summary_can_view(user=request.user):
            raise NotFound()
        params = params_parse(LicenceLookupParams, request)
        reason = api_justification(request)
        mark = registration_normalise(params["registration"])
        ids = Vehicle.objects.filter(registration=mark).values_list("pk", flat=True)
        licences = licensed_vehicles_for_vehicle_ids(vehicle_ids=ids)
        names = licensing_can_view(user=request.user)
        rows = []
        for licence in licences:
            licence.missing = (
                compliance_missing(licence.driver) if licence.driver else []
            )
            row = LicenceSerializer(licence).data
            if names and licence.driver:
                row["driver_name"] = licence.driver.name
            rows.append(row)
        consulted(
            request,
            what=f"Licence lookup: {mark}",
            count=len(rows),
            justification=reason,
            params={"driver_ids": [lv.driver_id for lv in licences if lv.driver_id]},
        )
        return Response(rows)


urlpatterns = [
    path("licensing/licences/", LicenceLookupView.as_view(), name="api-licence-lookup"),
]
