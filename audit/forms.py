from django import forms
from django.core.exceptions import ValidationError

from .justification import (
    JUSTIFICATION_MAX_CHARS,
    justification_clean,
)


class JustificationForm(forms.Form):
    justification = forms.CharField(
        label="Why are you consulting intelligence in this session?",
        max_length=JUSTIFICATION_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why you need to see this intelligence."},
        help_text=(
            "For example: preparing the CSE operational group of 4 March; "
            "operation reference; safeguarding referral number. Logged with "
            "every record you see until you sign out."
        ),
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_justification(self) -> str:
        try:
            return justification_clean(text=self.cleaned_data["justification"])
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["justification"]) from None


class AccessLogSearchForm(forms.Form):
    user = forms.CharField(required=False, max_length=150, label="Username")
    record = forms.IntegerField(
        required=False, min_value=1, max_value=2**63 - 1, label="Record id"
    )
    since = forms.DateField(
        required=False,
        label="From (UTC date)",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    until = forms.DateField(
        required=False,
        label="To (UTC date, inclusive)",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", "The end date is before the start date.")
        return data

    def search_kwargs(self) -> dict:
        d = self.cleaned_data
        return {
            "user": d.get("user") or None,
            "record_id": d.get("record"),
            "since": d.get("since"),
            "until": d.get("until"),
        }
