"""The flag / clear form on a location's page."""

from django import forms
from django.utils import timezone

from common.postcodes import postcode_display

from .models import Category, FlagAction, RiskLevel


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


class PremisesForm(forms.Form):
    """A licensing officer's premises: added or edited in the browser.

    The pin is the point; left empty it is placed at the postcode's centre
    from the postcode table, and the officer can drag it to the door."""

    name = forms.CharField(max_length=255)
    category = forms.ChoiceField(choices=Category.choices)
    address = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )
    postcode = forms.CharField(max_length=10, required=False)
    lon = forms.FloatField(
        required=False, widget=forms.HiddenInput, min_value=-180, max_value=180
    )
    lat = forms.FloatField(
        required=False, widget=forms.HiddenInput, min_value=-90, max_value=90
    )
    premises_licence_number = forms.CharField(
        label="Premises licence number", max_length=64, required=False
    )
    licence_holder = forms.CharField(max_length=255, required=False)
    fhrs_id = forms.CharField(label="FHRS id", max_length=32, required=False)
    # Ticked after the likely duplicates were shown: it is a different place.
    not_duplicate = forms.BooleanField(
        label="It is not one of these: save it anyway", required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean_postcode(self):
        return postcode_display(self.cleaned_data.get("postcode"))

    def clean(self):
        data = super().clean()
        lon, lat = data.get("lon"), data.get("lat")
        if (lon is None) != (lat is None):
            self.add_error(None, "Place the pin on the map, or give a postcode.")
        return data

    def location_fields(self, point) -> dict:
        data = self.cleaned_data
        names = (
            "name",
            "category",
            "address",
            "postcode",
            "premises_licence_number",
            "licence_holder",
            "fhrs_id",
        )
        return {**{n: data[n] for n in names}, "point": point}
