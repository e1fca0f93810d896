"""The premises register's filters (django-filter)."""

from django.db.models import Q, Value
from django.db.models.functions import Replace, Upper
from django_filters import (
    BooleanFilter,
    CharFilter,
    ChoiceFilter,
    MultipleChoiceFilter,
)

from common.postcodes import postcode_normalise
from locations.register_filters import RegisterFilterSet

from .models import Category, ConcernLevel
from .selectors import location_list_shown


class LocationFilter(RegisterFilterSet):
    name = CharFilter(label="Name", lookup_expr="icontains", max_length=100)
    category = MultipleChoiceFilter(choices=Category.choices)
    flagged = BooleanFilter(label="Flagged only", method="filter_flagged")
    risk = ChoiceFilter(
        label="Risk",
        field_name="concern_level",
        choices=[c for c in ConcernLevel.choices if c[0] != ConcernLevel.NONE],
        empty_label="Any risk",
    )
    licence = CharFilter(
        label="Licence reference", method="filter_licence", max_length=64
    )
    fhrs_id = CharFilter(label="Food hygiene (FHRS) id", max_length=32)
    postcode = CharFilter(label="Postcode", method="filter_postcode", max_length=10)

    class Meta(RegisterFilterSet.Meta):
        pass

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A location register has no period: premises are not events.
        for name in ("since", "until"):
            self.filters.pop(name)
            self.form.fields.pop(name, None)

    def filter_flagged(self, qs, name, value):
        return qs.exclude(concern_level=ConcernLevel.NONE) if value else qs

    def filter_licence(self, qs, name, value):
        return qs.filter(
            Q(premises_licence_number__iexact=value.strip())
            | Q(premises_licence_number__istartswith=value.strip())
        )

    def filter_postcode(self, qs, name, value):
        code = postcode_normalise(value)
        if not code:
            return qs
        qs = qs.alias(
            postcode_key=Replace(Upper("postcode"), Value(" "), Value(""))
        ).filter(postcode_key__startswith=code)
        # A protected place's postcode is withheld, so it cannot be found by it.
        return location_list_shown(user=self.request.user, qs=qs)
