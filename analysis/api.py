"""Hot spots, did-it-work and legal clocks over the API (GET only)."""

from dataclasses import asdict

from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.decorators import method_decorator
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.roles import MapReader, can_see_hotspots
from accounts.tokens import MAP, READ
from audit.consults import consults
from audit.models import AccessAction
from common.placement import placement_sees_exact
from common.schema import NOT_FOUND
from disruption.legal import legal_clock_list
from disruption.selectors import disruption_scope
from intelligence.data_version import data_version_read
from locations.selectors import location_list_shown
from maps.cache import aggregate_revalidated

from .consultations import hotspots_consulted, wdq_consult
from .forms import HotspotParamsForm, WDQForm
from .selectors.gistar import cells_geojson, hotspot_grid
from .selectors.hotspots import hotspot_location_list
from .selectors.wdq import wdq_default_at


class CanSeeHotspots(BasePermission):
    message = "Hot spots need intelligence access."

    def has_permission(self, request, view) -> bool:
        return can_see_hotspots(request.user)


def form_parameters(form_class) -> list[OpenApiParameter]:
    """The query parameters a form reads, typed and bounded as it checks them."""
    params = []
    for name, field in form_class.base_fields.items():
        if isinstance(field, forms.DateField):
            schema = OpenApiTypes.DATE
        elif isinstance(field, forms.BooleanField):
            schema = OpenApiTypes.BOOL
        elif isinstance(field, forms.ModelChoiceField):
            schema = {"type": "integer", "minimum": 1}
        elif isinstance(field, forms.MultipleChoiceField):
            schema = {
                "type": "array",
                "items": {"type": "string", "enum": [k for k, _ in field.choices]},
            }
        elif isinstance(field, forms.ChoiceField):
            schema = {"type": "string", "enum": [k for k, _ in field.choices if k]}
        elif isinstance(field, forms.IntegerField):
            schema = {"type": "integer"}
            if field.min_value is not None:
                schema["minimum"] = field.min_value
            if field.max_value is not None:
                schema["maximum"] = field.max_value
        else:
            schema = OpenApiTypes.STR
        params.append(
            OpenApiParameter(
                name, schema, required=field.required, description=field.label or ""
            )
        )
    return params


class HotspotAPI(APIView):
    """Gi* cells (GeoJSON, WGS84) for the period, with their class, and the
    ranked locations with their explanations. Query: end (date), days,
    cell_m, radius_m, include_low_grade, all (every non-empty cell)."""

    permission_classes = [MapReader, CanSeeHotspots]
    token_scopes = frozenset({READ, MAP})

    @extend_schema(
        parameters=[
            *form_parameters(HotspotParamsForm),
            OpenApiParameter("all", bool, description="every non-empty cell"),
        ],
        responses={200: dict},
    )
    @method_decorator(
        consults(
            "Hot spots", action=AccessAction.SEARCHED, aggregate=True, denied_on=()
        )
    )
    @method_decorator(aggregate_revalidated("hotspots"))
    def get(self, request):
        form = HotspotParamsForm(request.query_params)
        if not form.is_valid():
            raise ValidationError(form.errors.as_data())
        include_restricted = placement_sees_exact(user=request.user)
        grid_settings = form.grid_settings(restricted_exact=include_restricted)
        settings = form.hotspot_settings()
        version = data_version_read()
        try:
            result = hotspot_grid(settings=grid_settings)
        except ValueError as exc:
            raise ValidationError({"cell_m": [str(exc)]}) from None
        hotspots_consulted(
            request, grid=result, given=form.cleaned_data, data_version=version
        )
        cells = result.cells(only_interesting=True)
        if request.query_params.get("all") in ("1", "true"):
            cells = [
                c
                for c in result.cells(only_interesting=False)
                if c.count or c.hot_class
            ]
        spots = hotspot_location_list(
            settings=settings,
            include_restricted=include_restricted,
        )
        return Response(
            {
                "type": "FeatureCollection",
                "features": cells_geojson(cells=cells),
                "settings": {
                    "grid": grid_settings.describe(),
                    "scoring": settings.describe(),
                    "cell_m": grid_settings.cell_m,
                    "days": grid_settings.days,
                    "end": grid_settings.end.isoformat(),
                    "previous_periods": grid_settings.previous,
                    "fdr_alpha": grid_settings.alpha,
                },
                "locations": [
                    {k: v for k, v in asdict(s).items() if k not in ("x", "y")}
                    for s in spots
                ],
            }
        )


class DidItWorkAPI(APIView):
    """Weighted displacement quotient for a location: ?location=ID&at=date&days
    &radius_m&buffer_m&control_m."""

    permission_classes = [MapReader, CanSeeHotspots]

    @extend_schema(
        parameters=[
            OpenApiParameter("location", int, required=True),
            *form_parameters(WDQForm),
        ],
        responses={200: dict, 404: NOT_FOUND},
    )
    @method_decorator(
        consults(
            "Did it work?", action=AccessAction.SEARCHED, aggregate=True, denied_on=()
        )
    )
    def get(self, request):
        try:
            pk = int(request.query_params.get("location", ""))
        except ValueError:
            raise ValidationError({"location": ["Give a location id."]}) from None
        location = get_object_or_404(location_list_shown(user=request.user), pk=pk)
        form = WDQForm(request.query_params)
        if not form.is_valid():
            raise ValidationError(form.errors.as_data())
        settings = form.wdq_settings(
            default_at=wdq_default_at(
                location=location, days=form.cleaned_data.get("days") or 90
            )
        )
        result = wdq_consult(request, location_id=location.pk, settings=settings)
        return Response(
            {
                "location": location.pk,
                "settings": settings.describe(),
                "at": settings.at.isoformat(),
                **asdict(result),
            }
        )


class LegalClockSerializer(serializers.Serializer):
    action = serializers.IntegerField()
    action_type = serializers.CharField()
    location = serializers.IntegerField(allow_null=True)
    ends_at = serializers.DateTimeField()
    what = serializers.CharField()
    state = serializers.ChoiceField(choices=["expired", "due", "running"])
    left = serializers.CharField()


class LegalClockAPI(APIView):
    permission_classes = [MapReader]

    @extend_schema(responses={200: LegalClockSerializer(many=True)})
    def get(self, request):
        if not request.user.has_perm("disruption.view_disruptionaction"):
            raise PermissionDenied("Your role cannot see disruption actions.")
        qs = disruption_scope(user=request.user)
        return Response(
            [
                {
                    "action": c.action.pk,
                    "action_type": c.action.action_type,
                    "location": c.action.location_id,
                    "ends_at": c.ends_at.isoformat(),
                    "what": c.what,
                    "state": c.state,
                    "left": c.left_words,
                }
                for c in legal_clock_list(qs=qs)
            ]
        )
