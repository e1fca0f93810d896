"""The disruption visit form on a location's page."""

from django import forms
from django.utils import timezone

from .checklists import CHECKLISTS
from .models import ActionType, Outcome, Sector

ALL_SIGNS = [item for items in CHECKLISTS.values() for item in items]


class DisruptionLogForm(forms.Form):
    action_type = forms.ChoiceField(label="Action", choices=ActionType.choices)
    occurred_at = forms.DateTimeField(
        label="When",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    outcome = forms.ChoiceField(choices=Outcome.choices)
    staff_trained = forms.IntegerField(
        label="Staff trained", min_value=0, max_value=500, required=False
    )
    sector = forms.ChoiceField(
        label="Checklist", choices=[("", "—")] + Sector.choices, required=False
    )
    checklist = forms.MultipleChoiceField(
        label="Warning signs covered",
        choices=ALL_SIGNS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    joined_watch_scheme = forms.NullBooleanField(
        label="Joined the hotel / business watch scheme",
        required=False,
        widget=forms.Select(
            choices=[("unknown", "Not asked"), ("true", "Yes"), ("false", "No")]
        ),
    )
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    follow_up_date = forms.DateField(
        label="Follow-up date",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    served_at = forms.DateTimeField(
        label="Notice served",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    expires_at = forms.DateTimeField(
        label="Notice ends",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    authorised_by = forms.CharField(label="Authorised by", required=False)
    authorising_rank = forms.CharField(label="Authorising rank", required=False)

    def clean(self):
        data = super().clean()
        if data.get("occurred_at") and data["occurred_at"] > timezone.now():
            self.add_error("occurred_at", "A visit is logged after it happened.")
        if data.get("action_type") == ActionType.AWARENESS_VISIT:
            if not data.get("sector"):
                self.add_error("sector", "Choose the sector's checklist.")
            if data.get("outcome") == Outcome.STAFF_TRAINED and not data.get(
                "staff_trained"
            ):
                self.add_error("staff_trained", "Say how many staff were trained.")
        return data

    def service_fields(self) -> dict:
        """The cleaned data as disruption_log() takes it."""
        data = dict(self.cleaned_data)
        data["checklist"] = list(data.get("checklist") or [])
        for text in ("notes", "sector", "authorised_by", "authorising_rank"):
            data[text] = data.get(text) or ""
        return data
