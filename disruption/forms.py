"""The disruption visit form on a location's page."""

from django import forms
from django.utils import timezone

from people.models import ORDER_TYPES, SubjectKind
from people.selectors import subject_can_view, subject_scope

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

    def __init__(self, *args, user=None, **kwargs):
        """For a role that sees subjects, a child abduction warning notice or
        sexual risk order asks whom it was served on (people.SubjectOrder);
        for others there is no such field."""
        super().__init__(*args, **kwargs)
        self.user = user
        if user is not None and subject_can_view(user=user):
            self.fields["served_on"] = forms.CharField(
                label="Served on (person of interest)",
                required=False,
                max_length=32,
                help_text="For a child abduction warning notice or sexual risk "
                "order: the subject reference of the person it was served on, "
                "e.g. S-2026-000042.",
            )

    def clean_served_on(self):
        ref = " ".join((self.cleaned_data.get("served_on") or "").split())
        if not ref:
            return None
        people = subject_scope(user=self.user)
        subject = (
            people.filter(reference=ref.upper()).first()
            or people.filter(former_ref=ref).first()
        )
        if subject is None:
            raise forms.ValidationError(
                f"No subject you may see has the reference “{ref}”."
            )
        if subject.kind != SubjectKind.PERSON_OF_INTEREST:
            raise forms.ValidationError(
                f"{subject.reference} is not a person of interest: an order is "
                "served on a person of interest."
            )
        return subject

    def clean(self):
        data = super().clean()
        if "served_on" in self.fields and not self.has_error("served_on"):
            if data.get("action_type") in ORDER_TYPES and not data.get("served_on"):
                self.add_error(
                    "served_on",
                    "Say whom it was served on: the person of interest's "
                    "subject reference.",
                )
            elif data.get("served_on") and data.get("action_type") not in ORDER_TYPES:
                self.add_error(
                    "served_on",
                    "Only a child abduction warning notice or a sexual risk order "
                    "is served on a person: leave this empty.",
                )
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
        data.pop("served_on", None)
        data["checklist"] = list(data.get("checklist") or [])
        for text in ("notes", "sector", "authorised_by", "authorising_rank"):
            data[text] = data.get(text) or ""
        return data
