"""The two decisions of a retention review, as forms: each says what is wrong
in the field's own words; the services check the same again."""

from django import forms
from django.utils import timezone


class _ReviewForm(forms.Form):
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Say why: the reason is kept with the decision."},
    )
    # The review date the reviewer saw: a decision on a record someone else
    # reviewed meanwhile is refused rather than made twice.
    review_due = forms.DateField(widget=forms.HiddenInput)

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(
                "Say why: the reason is kept with the decision."
            )
        return reason


class RetainForm(_ReviewForm):
    prefix = "retain"
    next_review_date = forms.DateField(
        label="Next review date",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": "A retained record needs a next review date.",
            "invalid": "Enter the next review date as a date, e.g. 2027-06-30.",
        },
    )
    field_order = ["next_review_date", "reason", "review_due"]

    def clean_next_review_date(self):
        value = self.cleaned_data["next_review_date"]
        if value <= timezone.localdate():
            raise forms.ValidationError("The next review date must be in the future.")
        return value


class DisposeForm(_ReviewForm):
    prefix = "dispose"
    confirm = forms.BooleanField(
        label="I understand the record's content and links are deleted for good",
        error_messages={
            "required": "Tick to confirm: disposal cannot be undone.",
        },
    )
