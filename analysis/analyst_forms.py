"""The selection an analysis runs on, and each analysis's own settings,
parsed at the edge: a bad date, radius, band or premises is a message on the
form (a 400), never a 500. The pages and the API read the same forms, run
the analysis through them (`form.run()`) and log the run the same way."""

from dataclasses import dataclass
from datetime import timedelta

from django import forms
from django.contrib.gis.geos import Point
from django.utils import timezone
from rest_framework import serializers

from audit.consults import consulted
from audit.models import AccessAction
from common.params import PointParam
from intelligence.models import IndicatorTag, RecordKind
from locations.models import Area, AreaType, Category, Location
from locations.selectors import location_list_shown

from .forms import period_date_field
from .models import ProblemStatus
from .selectors.analyses import change_run, knox_run, repeat_run, when_run
from .selectors.change import ChangePeriods
from .selectors.hotspots import DEFAULT_RADIUS_M
from .selectors.knox import (
    DEFAULT_PERMUTATIONS,
    DEFAULT_SEED,
    DEFAULT_SPACE_EDGES_M,
    DEFAULT_TIME_EDGES_DAYS,
    KnoxSettings,
)
from .selectors.selection import Selection

MAX_SELECTION_RADIUS_M = 5_000
MAX_DAYS = 730


@dataclass(frozen=True)
class AnalysisRun:
    """One run of an analysis: its result, and what the access log says of it."""

    result: object
    what: str
    count: int
    selection: Selection | None = None


def analysis_run_log(*, request, run: AnalysisRun, justification: str) -> None:
    """A run weighs intelligence: a consultation (DPA 2018 s.62), logged with
    the reason and how many records it weighed."""
    consulted(
        request,
        action=AccessAction.SEARCHED,
        what=run.what[:200],
        count=run.count,
        justification=justification,
    )


class SelectionForm(forms.Form):
    """Period, place (an area, a radius, a premises, or a hot spot's point
    and radius) and which records."""

    default_days = 90

    until = period_date_field(label="Period ends")
    days = forms.IntegerField(required=False, min_value=7, max_value=MAX_DAYS)
    area = forms.ModelChoiceField(
        queryset=Area.objects.order_by("area_type", "name"),
        required=False,
        empty_label="Anywhere",
    )
    point = forms.CharField(
        required=False,
        max_length=60,
        label="Point (lon,lat)",
        widget=forms.TextInput(attrs={"placeholder": "-1.5106,52.4081"}),
    )
    radius_m = forms.IntegerField(
        required=False,
        min_value=25,
        max_value=MAX_SELECTION_RADIUS_M,
        label="Radius (m)",
    )
    location = forms.IntegerField(
        required=False, min_value=1, label="Premises id", widget=forms.HiddenInput
    )
    hotspot = forms.IntegerField(
        required=False,
        min_value=1,
        label="Hot spot (premises id)",
        widget=forms.HiddenInput,
    )
    kind = forms.MultipleChoiceField(
        choices=RecordKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Kinds",
    )
    tag = forms.MultipleChoiceField(
        choices=IndicatorTag.choices,
        required=False,
        label="Indicators",
        widget=forms.SelectMultiple(attrs={"size": 3}),
    )
    include_low_grade = forms.BooleanField(
        required=False, label="Include grade E and source 3"
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["days"].widget.attrs["placeholder"] = str(self.default_days)

    def clean_point(self) -> Point | None:
        value = self.cleaned_data.get("point")
        if not value:
            return None
        try:
            return PointParam().to_internal_value(value)
        except serializers.ValidationError as exc:
            raise forms.ValidationError(exc.detail) from None

    def clean_location(self) -> Location | None:
        pk = self.cleaned_data.get("location")
        if pk is None:
            return None
        # A protected place is left out for roles not cleared for its
        # position, as did-it-work leaves it out: as if it did not exist.
        found = location_list_shown(user=self.user).filter(pk=pk).first()
        if found is None:
            raise forms.ValidationError("No such premises.")
        return found

    def clean_hotspot(self) -> Location | None:
        pk = self.cleaned_data.get("hotspot")
        if pk is None:
            return None
        found = location_list_shown(user=self.user).filter(pk=pk).first()
        if found is None:
            raise forms.ValidationError("No such hot spot.")
        return found

    def clean(self):
        data = super().clean()
        if (spot := data.get("hotspot")) is not None:
            # A ranked hot spot: the circle it was scored on. Protected places
            # are not hot spots for roles not cleared for their position.
            if data.get("point") is not None or self.errors.get("point"):
                raise forms.ValidationError("Give a hot spot or a point, not both.")
            data["point"] = spot.point
            data["radius_m"] = data.get("radius_m") or DEFAULT_RADIUS_M
        point, radius = data.get("point"), data.get("radius_m")
        if (point is None) != (radius is None) and not self.errors.get("point"):
            missing = "radius_m" if point is not None else "point"
            self.add_error(missing, "A point and a radius go together.")
        places = [
            name
            for name, given in (
                ("area", data.get("area") is not None),
                ("point", point is not None),
                ("location", data.get("location") is not None),
            )
            if given
        ]
        if len(places) > 1:
            raise forms.ValidationError(
                "Choose one place: an area, a point and radius, or a premises."
            )
        return data

    def selection(self) -> Selection:
        data = self.cleaned_data
        until = data.get("until") or timezone.localdate()
        days = data.get("days") or self.default_days
        return Selection(
            since=until - timedelta(days=days - 1),
            until=until,
            area=data.get("area"),
            point=data.get("point"),
            radius_m=data.get("radius_m") if data.get("point") else None,
            location=data.get("location"),
            kinds=tuple(data.get("kind") or ()),
            tags=tuple(data.get("tag") or ()),
            include_low_grade=bool(data.get("include_low_grade")),
            label=f"hot spot {spot.name}" if (spot := data.get("hotspot")) else "",
        )


def _edges(value: str, *, what: str, unit: str, low: int, high: int) -> tuple:
    parts = [p.strip() for p in (value or "").split(",") if p.strip()]
    if not parts:
        return ()
    try:
        edges = tuple(int(p) for p in parts)
    except ValueError:
        raise forms.ValidationError(
            f"Give the {what} as whole {unit}, by commas, e.g. 100,200,400."
        ) from None
    if not 1 <= len(edges) <= 6:
        raise forms.ValidationError(f"Give between one and six {what}.")
    if edges[0] < low or edges[-1] > high:
        raise forms.ValidationError(f"The {what} run from {low} to {high} {unit}.")
    if any(b <= a for a, b in zip(edges, edges[1:], strict=False)):
        raise forms.ValidationError(f"The {what} must rise, each above the last.")
    return edges


class KnoxForm(SelectionForm):
    default_days = 365

    space_bands = forms.CharField(
        required=False,
        max_length=60,
        label="Space band edges (m)",
        widget=forms.TextInput(
            attrs={"placeholder": ",".join(map(str, DEFAULT_SPACE_EDGES_M))}
        ),
    )
    time_bands = forms.CharField(
        required=False,
        max_length=60,
        label="Time band edges (days)",
        widget=forms.TextInput(
            attrs={"placeholder": ",".join(map(str, DEFAULT_TIME_EDGES_DAYS))}
        ),
    )
    permutations = forms.IntegerField(
        required=False,
        min_value=19,
        max_value=9999,
        widget=forms.NumberInput(attrs={"placeholder": str(DEFAULT_PERMUTATIONS)}),
    )
    seed = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=2**31 - 1,
        widget=forms.NumberInput(attrs={"placeholder": str(DEFAULT_SEED)}),
    )

    def clean_space_bands(self) -> tuple:
        return _edges(
            self.cleaned_data.get("space_bands"),
            what="space band edges",
            unit="metres",
            low=10,
            high=2000,
        )

    def clean_time_bands(self) -> tuple:
        return _edges(
            self.cleaned_data.get("time_bands"),
            what="time band edges",
            unit="days",
            low=0,
            high=365,
        )

    def run(self) -> AnalysisRun:
        """Raises AnalysisRefused when the selection is too large."""
        selection = self.selection()
        result = knox_run(
            user=self.user, selection=selection, settings=self.knox_settings()
        )
        return AnalysisRun(
            result=result,
            what=f"Near repeat (Knox): {selection.where_words()}",
            count=result.records,
            selection=selection,
        )

    def knox_settings(self) -> KnoxSettings:
        data = self.cleaned_data
        permutations = data.get("permutations")
        seed = data.get("seed")
        return KnoxSettings(
            space_edges_m=data.get("space_bands") or DEFAULT_SPACE_EDGES_M,
            time_edges_days=data.get("time_bands") or DEFAULT_TIME_EDGES_DAYS,
            permutations=DEFAULT_PERMUTATIONS if permutations is None else permutations,
            seed=DEFAULT_SEED if seed is None else seed,
        )


class RepeatForm(SelectionForm):
    default_days = 365

    category = forms.MultipleChoiceField(
        choices=Category.choices,
        required=False,
        label="Premises categories",
        widget=forms.SelectMultiple(attrs={"size": 3}),
    )

    def run(self) -> AnalysisRun:
        selection = self.selection()
        result = repeat_run(
            user=self.user,
            selection=selection,
            categories=tuple(self.cleaned_data.get("category") or ()),
        )
        return AnalysisRun(
            result=result,
            what=f"Repeat locations: {selection.where_words()}",
            count=result.records_at_premises,
            selection=selection,
        )


class WhenForm(SelectionForm):
    default_days = 90

    def run(self) -> AnalysisRun:
        selection = self.selection()
        grid = when_run(user=self.user, selection=selection)
        return AnalysisRun(
            result=grid,
            what=f"When (time of day, day of week): {selection.where_words()}",
            count=grid.records,
            selection=selection,
        )


class ChangeForm(forms.Form):
    area_type = forms.ChoiceField(
        choices=AreaType.choices, required=False, label="Areas"
    )
    until = period_date_field(label="Period ends")
    days = forms.IntegerField(
        required=False,
        min_value=7,
        max_value=182,
        widget=forms.NumberInput(attrs={"placeholder": "28"}),
    )
    kind = SelectionForm.base_fields["kind"]
    tag = SelectionForm.base_fields["tag"]
    include_low_grade = SelectionForm.base_fields["include_low_grade"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def periods(self) -> ChangePeriods:
        data = self.cleaned_data
        return ChangePeriods(
            until=data.get("until") or timezone.localdate(),
            days=data.get("days") or 28,
        )

    def run(self) -> AnalysisRun:
        data, periods = self.cleaned_data, self.periods()
        area_type = self.chosen_area_type()
        rows = change_run(
            user=self.user,
            area_type=area_type,
            periods=periods,
            kinds=tuple(data.get("kind") or ()),
            tags=tuple(data.get("tag") or ()),
            include_low_grade=bool(data.get("include_low_grade")),
        )
        return AnalysisRun(
            result=rows,
            what=f"Period change by {area_type}: {periods.describe()}",
            count=sum(r.current + r.previous + r.year_ago for r in rows),
        )

    def chosen_area_type(self) -> str:
        return self.cleaned_data.get("area_type") or AreaType.WARD


class ProblemForm(SelectionForm):
    """A problem profile: a name and description, and the selection (from
    the query of the analysis page or map it was started from)."""

    name = forms.CharField(max_length=200)
    description = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3, "cols": 60})
    )
    status = forms.ChoiceField(choices=ProblemStatus.choices, initial="open")
    keep_period_end = forms.BooleanField(
        required=False,
        label="Keep the period's end fixed (else each run ends on its own day)",
    )

    field_order = ["name", "description", "status"]

    def problem_fields(self) -> dict:
        data = self.cleaned_data
        selection = self.selection()
        return {
            "name": data["name"],
            "description": data.get("description") or "",
            "status": data["status"],
            "area": selection.area,
            "point": selection.point,
            "radius_m": selection.radius_m,
            "location": selection.location,
            "days": selection.days,
            "until": selection.until if data.get("keep_period_end") else None,
            "kinds": list(selection.kinds),
            "tags": list(selection.tags),
            "include_low_grade": selection.include_low_grade,
        }
