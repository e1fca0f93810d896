"""A subject's retention review: retain (with the next review date) or
dispose, each with its reason; the services check the same again."""

from django import forms

from intelligence.models import ReviewDecision


class SubjectReviewForm(forms.Form):
    decision = forms.ChoiceField(
        choices=ReviewDecision.choices, widget=forms.RadioSelect
    )
    next_review_date = forms.DateField(
        required=False,
        label="Next review date (if retained)",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter the date as a date, e.g. 2027-06-30."},
    )
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Say why: the reason is kept with the decision."},
    )
