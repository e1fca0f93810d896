"""Input parsed at the edge: bad periods, radii and cell sizes are answered
with a message, never a 500."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import Agency
from common.params import (
    DATE_BOUNDS,
)
from common.placement import BNG_MAX_EASTING, BNG_MAX_NORTHING
from disruption.models import (
    ActionType,
    Outcome,
    Priority,
    TaskingGroup,
    TaskingMeeting,
)
from disruption.services import tasking_due_default
from locations.models import AreaCommittee, AreaType, Location
from locations.selectors import location_list_shown

from .selectors.gistar import DEFAULT_CELL_M, MAX_CELL_M, MIN_CELL_M, GridSettings
from .selectors.hotspots import DEFAULT_RADIUS_M, MAX_RADIUS_M, HotspotSettings
from .selectors.reports import report_area_types
from .selectors.wdq import WDQSettings
from .selectors.weights import Weighting


def date_widget() -> forms.DateInput:
    # <input type="date"> takes ISO dates only, whatever the locale shows.
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


def period_date_field(**kwargs) -> forms.DateField:
    # Within the years a period can be counted from without overflowing.
    return forms.DateField(
        required=False, widget=date_widget(), validators=DATE_BOUNDS, **kwargs
    )


def datetime_widget() -> forms.DateTimeInput:
    return forms.DateTimeInput(
        format="%Y-%m-%dT%H:%M", attrs={"type": "datetime-local"}
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


class MeetingForm(forms.Form):
    group = forms.ChoiceField(choices=TaskingGroup.choices)
    held_on = forms.DateField(widget=date_widget())
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)


class TaskingForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    priority = forms.ChoiceField(choices=Priority.choices, initial=Priority.MEDIUM)
    owner_agency = forms.ChoiceField(choices=Agency.choices)
    owner_officer = forms.ModelChoiceField(
        queryset=get_user_model().objects.filter(is_active=True).order_by("username"),
        required=False,
    )
    due_date = forms.DateField(widget=date_widget())

    def __init__(self, *args, meeting: TaskingMeeting, reason: str = "", **kwargs):
        kwargs.setdefault(
            "initial",
            {"reason": reason, "due_date": tasking_due_default(meeting=meeting)},
        )
        super().__init__(*args, **kwargs)


# A hot-spot cell to task: within the British National Grid, and of a size
# the hot-spot grid offers (with room either side).
CELL_SIZE_MIN_M, CELL_SIZE_MAX_M = 50, 5000


def tasking_target_parse(*, user, query) -> dict:
    """What a new tasking is for, from ?location=ID (a location this user may
    choose: common.placement) or ?cell=x0,y0,size (BNG metres); a
    ValidationError saying what is wrong otherwise."""
    if "location" in query:
        try:
            return {
                "location": location_list_shown(user=user).get(
                    pk=int(query["location"])
                )
            }
        except (ValueError, Location.DoesNotExist):
            raise ValidationError("No such location.") from None
    if "cell" in query:
        try:
            x0, y0, size = (float(v) for v in query["cell"].split(","))
        except ValueError:
            raise ValidationError("A cell is given as x0,y0,size in metres.") from None
        if not (
            0 <= x0 <= BNG_MAX_EASTING
            and 0 <= y0 <= BNG_MAX_NORTHING
            and CELL_SIZE_MIN_M <= size <= CELL_SIZE_MAX_M
        ):
            raise ValidationError("That cell is not on the British National Grid.")
        return {"cell": (x0, y0, int(size))}
    raise ValidationError("Choose a location or a cell to task.")


class ActionAnswerForm(forms.Form):
    action_type = forms.ChoiceField(choices=ActionType.choices)
    outcome = forms.ChoiceField(choices=Outcome.choices)
    occurred_at = forms.DateTimeField(widget=datetime_widget())
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    staff_trained = forms.IntegerField(required=False, min_value=0)
    served_at = forms.DateTimeField(required=False, widget=datetime_widget())
    expires_at = forms.DateTimeField(
        required=False,
        label="Ends at",
        widget=datetime_widget(),
    )
    court_hearing_at = forms.DateTimeField(required=False, widget=datetime_widget())
    authorised_by = forms.CharField(required=False, max_length=120)
    authorising_rank = forms.CharField(required=False, max_length=32)
    completes = forms.BooleanField(
        required=False, label="This action completes the tasking"
    )


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
