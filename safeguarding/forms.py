from django import forms
from django.contrib.auth import get_user_model

from accounts.models import Agency
from disruption.models import TaskingMeeting
from locations.models import Location
from people.models import ScreeningOutcome, Vehicle

from .models import MaspDecision, Presence, RiskLevel, When


class ScreeningForm(forms.Form):
    """One presence/when/comment triple per indicator of the version used."""

    outcome = forms.ChoiceField(
        label="Final outcome (leave as the rule gives it unless you override)",
        choices=[("", "As the rule gives it"), *ScreeningOutcome.choices],
        required=False,
    )
    override_reason = forms.CharField(
        label="Reason for an override",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    locations = forms.ModelMultipleChoiceField(
        queryset=Location.objects.none(), required=False, label="Places named"
    )
    vehicles = forms.CharField(
        required=False, label="Vehicles named (registration marks, comma separated)"
    )

    def __init__(self, *args, indicators, locations, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = list(indicators)
        self.fields["locations"].queryset = locations
        for ind in self.indicators:
            self.fields[f"p_{ind.pk}"] = forms.ChoiceField(
                label=ind.text, choices=Presence.choices, initial=Presence.ABSENT
            )
            self.fields[f"w_{ind.pk}"] = forms.ChoiceField(
                label="When", choices=When.choices, initial=When.NOW
            )
            self.fields[f"c_{ind.pk}"] = forms.CharField(
                label="Comment", required=False, max_length=500
            )

    def rows(self):
        for ind in self.indicators:
            yield ind, self[f"p_{ind.pk}"], self[f"w_{ind.pk}"], self[f"c_{ind.pk}"]

    def clean_vehicles(self) -> list[Vehicle]:
        marks = [
            m.strip() for m in self.cleaned_data["vehicles"].split(",") if m.strip()
        ]
        return marks


class MaspReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=MaspDecision.choices)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ReturnInterviewForm(forms.Form):
    held_at = forms.DateTimeField(
        label="Interview held at",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )


class PanelSittingForm(forms.Form):
    panel = forms.ChoiceField(
        choices=[
            ("masp", "Multi-agency screening panel (MASP)"),
            ("cse_mog", "CSE and missing operational group (CMOG)"),
            ("mace", "Multi-agency child exploitation (MACE)"),
            ("perpetrator", "Perpetrator case management forum"),
        ]
    )
    held_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))


class CaseReviewForm(forms.Form):
    meeting = forms.ModelChoiceField(
        queryset=TaskingMeeting.objects.none(), label="Sitting"
    )
    risk_level = forms.ChoiceField(choices=RiskLevel.choices)
    lead_professional = forms.ModelChoiceField(queryset=get_user_model().objects.none())
    lead_agency = forms.ChoiceField(choices=Agency.choices)
    next_review = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    intervention = forms.BooleanField(
        required=False, label="Needs multi-agency intervention"
    )
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    action = forms.CharField(required=False, max_length=255, label="New action")
    action_intervention = forms.ChoiceField(
        required=False,
        choices=[
            ("action", "Multi-agency action"),
            ("cawn", "Child abduction warning notice"),
            ("sexual_risk_order", "Sexual risk order"),
            ("injunction", "Inherent-jurisdiction injunction"),
        ],
        label="Kind",
    )
    action_due = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), label="Due"
    )

    def __init__(self, *args, users, sittings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_professional"].queryset = users
        self.fields["meeting"].queryset = sittings


class SafetyPlanForm(forms.Form):
    police_contact = forms.ModelChoiceField(queryset=get_user_model().objects.none())
    lead_professional = forms.ModelChoiceField(queryset=get_user_model().objects.none())
    starts_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    locations = forms.ModelMultipleChoiceField(
        queryset=Location.objects.none(), required=False, label="Trigger places"
    )
    vehicles = forms.CharField(
        required=False, label="Trigger vehicles (registration marks, comma separated)"
    )

    def __init__(self, *args, police, professionals, locations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["police_contact"].queryset = police
        self.fields["lead_professional"].queryset = professionals
        self.fields["locations"].queryset = locations

    def clean_vehicles(self) -> list[str]:
        return [
            m.strip() for m in self.cleaned_data["vehicles"].split(",") if m.strip()
        ]
