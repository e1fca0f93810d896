"""The records register's filters (django-filter)."""

import re

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.utils import timezone
from django_filters import CharFilter, ChoiceFilter, MultipleChoiceFilter

from locations.register_filters import RegisterFilterSet

from .grading import grade_at_least, grade_can, graded_q
from .models import (
    HANDLING_CODE_3X5X2,
    HANDLING_CODE_5X5X5,
    IndicatorTag,
    RecordKind,
    RecordStatus,
    SourceType,
)

# The full-text configuration of the summaries' GIN index (migration 0006):
# the search must use the same expression for the index to answer it.
SEARCH_CONFIG = "english"
SUMMARY_VECTOR = SearchVector("summary", config=SEARCH_CONFIG)

GRADE_CHOICES = [(f"{s}{a}", f"{s}{a} or better") for s in "123" for a in "ABCDE"]
HANDLING_CHOICES = [
    *[(code, f"{code}: {label}") for code, label in HANDLING_CODE_3X5X2.items()],
    *[
        (code, f"{code} (5x5x5): {label}")
        for code, label in HANDLING_CODE_5X5X5.items()
    ],
]


# Where a record is: graded (the default: only graded records count), awaiting
# grading (offered to those who grade), or graded and due for its MoPI review.
STATUS_GRADED, STATUS_AWAITING, STATUS_DUE = "graded", "awaiting", "due"
STATUS_CHOICES = [
    (STATUS_GRADED, "Graded"),
    (STATUS_AWAITING, "Awaiting grading"),
    (STATUS_DUE, "Due for review"),
]


def vehicle_mark_normalise(text: str) -> str:
    """A registration mark as records keep it: upper case, no spaces."""
    return re.sub(r"[^A-Z0-9]", "", text.upper())


class RecordFilter(RegisterFilterSet):
    q = CharFilter(label="Summary contains", method="filter_text", max_length=200)
    kind = ChoiceFilter(choices=RecordKind.choices, empty_label="Any kind")
    grade = ChoiceFilter(
        label="Grade", choices=GRADE_CHOICES, method="filter_grade", empty_label="Any"
    )
    handling_code = ChoiceFilter(
        label="Handling code", choices=HANDLING_CHOICES, empty_label="Any"
    )
    tag = MultipleChoiceFilter(
        label="Indicator", choices=IndicatorTag.choices, method="filter_tags"
    )
    vehicle = CharFilter(label="Vehicle mark", method="filter_vehicle", max_length=16)
    source_type = ChoiceFilter(
        label="Source type", choices=SourceType.choices, empty_label="Any source"
    )
    status = ChoiceFilter(
        label="Status", choices=STATUS_CHOICES, method="filter_status", empty_label=None
    )

    def __init__(self, data=None, *args, request=None, **kwargs):
        super().__init__(data, *args, request=request, **kwargs)
        user = getattr(request, "user", None)
        if user is None or not grade_can(user=user):
            field = self.filters["status"]
            field.extra["choices"] = [
                c for c in STATUS_CHOICES if c[0] != STATUS_AWAITING
            ]

    def filter_queryset(self, queryset):
        # With no status chosen the register lists graded records, as it
        # always has; submissions are found by asking for them.
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.filter(graded_q())
        return super().filter_queryset(queryset)

    def filter_status(self, qs, name, value):
        if value == STATUS_AWAITING:
            return qs.filter(status=RecordStatus.AWAITING)
        qs = qs.filter(graded_q())
        if value == STATUS_DUE:
            qs = qs.filter(review_date__lte=timezone.localdate())
        return qs

    def filter_text(self, qs, name, value):
        query = SearchQuery(value, config=SEARCH_CONFIG, search_type="websearch")
        return qs.alias(summary_vector=SUMMARY_VECTOR).filter(summary_vector=query)

    def filter_grade(self, qs, name, value):
        return qs.filter(grade_at_least(source=value[0], assessment=value[1]))

    def filter_tags(self, qs, name, value):
        return qs.filter(tags__overlap=list(value)) if value else qs

    def filter_vehicle(self, qs, name, value):
        mark = vehicle_mark_normalise(value)
        # GIN on vehicle_marks answers @> (contains) from the index.
        return qs.filter(vehicle_marks__contains=[mark]) if mark else qs.none()
