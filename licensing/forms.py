from django import forms
from django.utils import timezone

from locations.models import Category, Location

from .models import ActionKind, CheckOutcome, LicensedVehicle


class LicenceActionForm(forms.Form):
    kind = forms.ChoiceField(label="Decision", choices=ActionKind.choices)
    effective_on = forms.DateField(
        label="From", widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 3}))


class ImportForm(forms.Form):
    file = forms.FileField(label="Register (CSV)")
    column_map = forms.FileField(
        label="Column map (YAML or JSON; the sample map if none)", required=False
    )
    register = forms.ChoiceField(
        label="Register",
        choices=[
            ("drivers", "Drivers, vehicles and operators"),
            ("staff", "Staff and councillors"),
        ],
    )


class TaxiCheckForm(forms.Form):
    plate = forms.CharField(
        label="Vehicle plate or registration mark", max_length=20, required=False
    )
    driver_licence = forms.CharField(
        label="Driver's licence number", max_length=40, required=False
    )
    location = forms.ModelChoiceField(
        label="Where",
        queryset=Location.objects.filter(
            # Where taxi checks are done: ranks, operators' bases, stations.
            category__in=[
                Category.TAXI_RANK,
                Category.PRIVATE_HIRE_BASE,
                Category.TRANSPORT_HUB,
            ]
        ).order_by("name"),
    )
    occurred_at = forms.DateTimeField(
        label="When",
        initial=timezone.now,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    outcome = forms.ChoiceField(label="Outcome", choices=CheckOutcome.choices)
    notes = forms.CharField(
        label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def plate_vehicle(self) -> LicensedVehicle | None:
        text = self.cleaned_data.get("plate", "").strip()
        if not text:
            return None
        mark = text.replace(" ", "").replace("-", "").upper()
        return (
            LicensedVehicle.objects.select_related("driver", "vehicle")
            .filter(plate_number__iexact=text)
            .first()
            or LicensedVehicle.objects.select_related("driver", "vehicle")
            .filter(vehicle__registration=mark)
            .first()
        )
