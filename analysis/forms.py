"""Input parsed at the edge: bad periods, radii and cell sizes are answered
with a message, never a 500."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django import forms
from django.utils import timezone

from common.params import DATE_BOUNDS
from common.widgets import date_widget
from locations.models import AreaCommittee, AreaType

from .selectors.gistar import DEFAULT_CELL_M, MAX_CELL_M, MIN_CELL_M, GridSettings
from .selectors.hotspots import DEFAULT_RADIUS_M, MAX_RADIUS_M, HotspotSettings
from .selectors.reports import report_area_types
from .selectors.wdq import WDQSettings
from .selectors.weights import Weighting


def period_date_field(**kwargs) -> forms.DateField:
    # Within the years a period can be counted from without overflowing.
    return forms.DateField(
        required=False, widget=date_widget(), validators=DATE_BOUNDS, **kwargs
    )


class HotspotParamsForm(forms.Form):
    end = period_date_field(label="Period ends")
    days = forms.IntegerField(
        required=False,
        min_value=7,
        max_value=365,
        widget=forms.NumberInput(attrs={"placeholder": "28"}),
    )
    radius_m = forms.IntegerField(
        required=False,
        min_value=25,
        max_value=MAX_RADIUS_M,
        label="Radius (m)",
        widget=forms.NumberInput(attrs={"placeholder": str(DEFAULT_RADIUS_M)}),
    )
    cell_m = forms.IntegerField(
        required=False,
        min_value=MIN_CELL_M,
        max_value=MAX_CELL_M,
        label="Cell (m)",
        widget=forms.NumberInput(attrs={"placeholder": str(DEFAULT_CELL_M)}),
    )
    include_low_grade = forms.BooleanField(
        required=False, label="Include grade E and source 3"
    )

    def end_at(self) -> datetime:
        day = self.cleaned_data.get("end") or timezone.localdate()
        return timezone.make_aware(datetime.combine(day + timedelta(days=1), time()))

    def weighting(self) -> Weighting:
        return Weighting(include_low_grade=self.cleaned_data.get("include_low_grade"))

    def hotspot_settings(self) -> HotspotSettings:
        end = self.end_at()
        days = self.cleaned_data.get("days") or 28
        return HotspotSettings(
            start=end - timedelta(days=days),
            end=end,
            radius_m=self.cleaned_data.get("radius_m") or DEFAULT_RADIUS_M,
            weighting=self.weighting(),
        )

    def grid_settings(self, *, restricted_exact: bool = False) -> GridSettings:
        return GridSettings(
            end=self.end_at(),
            days=self.cleaned_data.get("days") or 28,
            cell_m=self.cleaned_data.get("cell_m") or DEFAULT_CELL_M,
            weighting=self.weighting(),
            restricted_exact=restricted_exact,
        )


class MeetingSettingsForm(HotspotParamsForm):
    """A meeting's period always ends on the meeting day."""

    end = None


class WDQForm(forms.Form):
    at = period_date_field(label="Date of the disruption")
    days = forms.IntegerField(required=False, min_value=7, max_value=730)
    radius_m = forms.IntegerField(required=False, min_value=25, max_value=2000)
    buffer_m = forms.IntegerField(required=False, min_value=50, max_value=5000)
    control_m = forms.IntegerField(required=False, min_value=100, max_value=20000)

    def clean(self):
        data = super().clean()
        r = data.get("radius_m") or 200
        b = data.get("buffer_m") or 500
        c = data.get("control_m") or 2000
        if not r < b < c:
            raise forms.ValidationError(
                "The rings must grow outwards: radius < buffer < control distance."
            )
        return data

    def wdq_settings(self, *, default_at: datetime) -> WDQSettings:
        day = self.cleaned_data.get("at")
        at = timezone.make_aware(datetime.combine(day, time())) if day else default_at
        return WDQSettings(
            at=at,
            days=self.cleaned_data.get("days") or 90,
            radius_m=self.cleaned_data.get("radius_m") or 200,
            buffer_m=self.cleaned_data.get("buffer_m") or 500,
            control_m=self.cleaned_data.get("control_m") or 2000,
        )


@dataclass(frozen=True)
class ReportScope:
    area_type: str
    area_ids: list[int] | None
    # "Ward", "Constituency", ...: the tables' first column.
    area_word: str
    # What the report covers, for its heading.
    title: str


class ReportForm(forms.Form):
    start = period_date_field(label="From")
    end = period_date_field(label="To")
    area_type = forms.ChoiceField(label="By", required=False)
    committee = forms.ModelChoiceField(
        queryset=AreaCommittee.objects.all(),
        required=False,
        label="Area committee",
        empty_label="All areas",
        help_text="A committee's report is by its wards.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the area types that are loaded; wards when none are yet.
        self.fields["area_type"].choices = report_area_types() or [
            (AreaType.WARD.value, AreaType.WARD.label)
        ]

    def scope(self) -> ReportScope:
        committee = self.cleaned_data.get("committee")
        if committee is not None:
            ids = list(committee.wards.values_list("pk", flat=True))
            return ReportScope(AreaType.WARD, ids, "Ward", f"{committee} committee")
        area_type = self.cleaned_data.get("area_type") or AreaType.WARD
        word = AreaType(area_type).label
        return ReportScope(area_type, None, word, f"every {word.lower()}")

    def clean(self):
        data = super().clean()
        end = data.get("end") or timezone.localdate()
        start = data.get("start") or (end - timedelta(days=365))
        if start >= end:
            raise forms.ValidationError("The start must be before the end.")
        data["start"], data["end"] = start, end
        return data

    def period(self):
        """[start, end) with the end day included."""
        return self.cleaned_data["start"], self.cleaned_data["end"] + timedelta(days=1)
