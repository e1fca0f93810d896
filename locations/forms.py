"""The flag / clear form on a location's page."""

from django import forms
from django.utils import timezone

from .models import FlagAction, RiskLevel


class FlagForm(forms.Form):
    action = forms.ChoiceField(
        choices=FlagAction.choices, widget=forms.RadioSelect, initial=FlagAction.FLAG
    )
    risk_level = forms.ChoiceField(
        label="Risk level", choices=[("", "—")] + RiskLevel.choices, required=False
    )
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    review_date = forms.DateField(
        label="Review date",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    # The location's version when the page was drawn: a flag on a location
    # someone changed meanwhile is refused rather than silently overwriting.
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if data.get("action") == FlagAction.FLAG:
            if not data.get("risk_level"):
                self.add_error("risk_level", "Choose a risk level for the flag.")
            review = data.get("review_date")
            if not review:
                self.add_error("review_date", "A flag needs a review date.")
            elif review <= timezone.localdate():
                self.add_error("review_date", "The review date must be in the future.")
        return data
