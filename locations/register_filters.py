"""Filters every register shares: a period, an area, and a place on the map
(a point and radius, or a drawn polygon: "list these" from a map selection).

Spatial filters go through common.placement, so restricted rows match by
where the user may see them, never by their exact position.
"""

from django import forms
from django.contrib.gis.geos import GEOSGeometry, Point
from django.core.exceptions import ValidationError
from django_filters import (
    CharFilter,
    DateFilter,
    FilterSet,
    ModelChoiceFilter,
    NumberFilter,
)
from rest_framework import serializers

from common.params import (
    DATE_BOUNDS,
    PERIOD_MAX_DAYS,
    RADIUS_MAX_M,
    PointParam,
    PolygonParam,
    period_bounds,
)
from common.placement import placement_filter, placement_in_polygon, placement_within
from locations.models import Area, AreaType

DATE_INPUT = forms.DateInput(attrs={"type": "date"})


def _drf_to_django(field, value, name: str):
    try:
        return field.to_internal_value(value)
    except serializers.ValidationError as exc:
        detail = exc.detail if isinstance(exc.detail, list) else [exc.detail]
        raise ValidationError({name: [str(d) for d in detail]}) from None


class RegisterForm(forms.Form):
    """Checks the filters that go together: a period in order and not too
    long, a point with its radius."""

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until:
            if since > until:
                self.add_error("since", "The period must start before it ends.")
            elif (until - since).days > PERIOD_MAX_DAYS:
                self.add_error(
                    "since", f"The period can be at most {PERIOD_MAX_DAYS} days."
                )
        if bool(data.get("point")) != bool(data.get("radius")):
            missing = "radius" if data.get("point") else "point"
            self.add_error(missing, "A point and a radius go together.")
        if data.get("point"):
            try:
                data["point"] = _drf_to_django(PointParam(), data["point"], "point")
            except ValidationError as exc:
                self.add_error("point", exc.message_dict["point"])
        if data.get("polygon"):
            try:
                data["polygon"] = _drf_to_django(
                    PolygonParam(), data["polygon"], "polygon"
                )
            except ValidationError as exc:
                self.add_error("polygon", exc.message_dict["polygon"])
        return data


class RegisterFilterSet(FilterSet):
    """The shared filters; `date_field` names the moment a row happened."""

    date_field = "occurred_from"

    since = DateFilter(
        label="From", method="filter_period", widget=DATE_INPUT, validators=DATE_BOUNDS
    )
    until = DateFilter(
        label="To", method="filter_period", widget=DATE_INPUT, validators=DATE_BOUNDS
    )
    area = ModelChoiceFilter(
        label="Area",
        # Wards, neighbourhood policing areas and constituencies: the areas
        # people work by (LSOAs run to tens of thousands nationally).
        queryset=Area.objects.exclude(area_type=AreaType.LSOA)
        .only("id", "name", "code", "area_type")
        .order_by("area_type", "name"),
        method="filter_area",
        empty_label="Any area",
    )
    point = CharFilter(label="Near (lon,lat)", method="filter_place")
    radius = NumberFilter(
        label="Within (m)",
        method="filter_place",
        min_value=1,
        max_value=RADIUS_MAX_M,
    )
    polygon = CharFilter(
        label="Inside (GeoJSON polygon)",
        method="filter_place",
        widget=forms.HiddenInput,
    )

    class Meta:
        form = RegisterForm
        fields: list[str] = []

    def filter_period(self, qs, name, value):
        # Both ends are applied together, once, from the cleaned form.
        if name != "since":
            return qs
        since = self.form.cleaned_data.get("since")
        until = self.form.cleaned_data.get("until")
        if not since and not until:
            return qs
        start, end = period_bounds(since=since or until, until=until or since)
        lookups = {}
        if since:
            lookups[f"{self.date_field}__gte"] = start
        if until:
            lookups[f"{self.date_field}__lt"] = end
        return qs.filter(**lookups)

    def filter_area(self, qs, name, value):
        return placement_filter(qs=qs, area_ids=[value.pk]) if value else qs

    def filter_place(self, qs, name, value):
        # The form's clean() has turned the text into geometries.
        data = self.form.cleaned_data
        if name == "point" and isinstance(value, Point):
            return placement_within(qs=qs, point=value, radius_m=float(data["radius"]))
        if name == "polygon" and isinstance(value, GEOSGeometry):
            return placement_in_polygon(qs=qs, polygon=value)
        return qs

    def filter_queryset(self, queryset):
        # The period's "until" half and the radius are read with their
        # partners; make sure "since" runs even when only "until" is given.
        data = self.form.cleaned_data
        if data.get("until") and not data.get("since"):
            queryset = self.filter_period(queryset, "since", None)
        return super().filter_queryset(queryset)
