"""Triage forms: what the analyst decides. The services check again."""

from django import forms
from django.contrib.gis.geos import Point

from intelligence.intake.forms import UK_BOUNDS
from intelligence.models import (
    HANDLING_CODE_3X5X2,
    INTELLIGENCE_ASSESSMENT_3X5X2,
    SOURCE_EVALUATION_3X5X2,
    LinkType,
)
from intelligence.validators import free_text_check


def _choices(table: dict) -> list[tuple[str, str]]:
    return [(k, f"{k}: {v}") for k, v in table.items()]


class GradeForm(forms.Form):
    prefix = "grade"
    source_evaluation = forms.ChoiceField(
        label="Source evaluation",
        choices=_choices(SOURCE_EVALUATION_3X5X2),
        widget=forms.RadioSelect,
    )
    intelligence_assessment = forms.ChoiceField(
        label="Intelligence assessment",
        choices=_choices(INTELLIGENCE_ASSESSMENT_3X5X2),
        widget=forms.RadioSelect,
    )
    handling_code = forms.ChoiceField(
        label="Handling code",
        choices=_choices(HANDLING_CODE_3X5X2),
        widget=forms.RadioSelect,
    )
    handling_conditions = forms.CharField(
        label="Handling conditions",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        help_text="Required with handling code C: shown wherever the record is.",
    )
    summary = forms.CharField(
        label="Sanitised summary",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=3000,
        validators=[free_text_check],
        help_text="May be shared more widely than the original: nothing that "
        "identifies the source or a child.",
        error_messages={"required": "Write the sanitised summary."},
    )
    lon = forms.FloatField(widget=forms.HiddenInput)
    lat = forms.FloatField(widget=forms.HiddenInput)
    precision_m = forms.IntegerField(
        label="Precision (metres)", min_value=1, max_value=50000
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if (
            data.get("handling_code") == "C"
            and not (data.get("handling_conditions") or "").strip()
        ):
            self.add_error(
                "handling_conditions", "Handling code C needs its conditions."
            )
        lon, lat = data.get("lon"), data.get("lat")
        if lon is not None and lat is not None:
            west, south, east, north = UK_BOUNDS
            if not (west <= lon <= east and south <= lat <= north):
                self.add_error("precision_m", "The point is outside the UK: move it.")
            else:
                data["point"] = Point(lon, lat, srid=4326)
        return data


LINK_TYPES = [(t.value, t.label) for t in LinkType]


class LinkForm(forms.Form):
    location = forms.IntegerField(widget=forms.HiddenInput)
    link_type = forms.ChoiceField(label="How", choices=LINK_TYPES)


class DuplicateForm(forms.Form):
    of = forms.IntegerField(widget=forms.HiddenInput)
    action = forms.ChoiceField(
        choices=[("duplicate", "Mark as duplicate"), ("merge", "Merge into it")]
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
