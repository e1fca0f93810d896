"""The premises filters of the API, parsed at the edge (common.params for
the shared spatial and period parameters)."""

from rest_framework import serializers

from common.params import SpatialParams

from .models import Category, ConcernLevel


class CategoryParam(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=Category.choices, **kwargs)
        self.error_messages["invalid_choice"] = '"{input}" is not a known category.'


class LocationFilterParams(SpatialParams):
    category = serializers.ListField(child=CategoryParam(), required=False)
    flagged = serializers.BooleanField(required=False, default=False)
    risk = serializers.ChoiceField(
        choices=[c for c in ConcernLevel.values if c != "none"], required=False
    )
    q = serializers.CharField(required=False, max_length=100, trim_whitespace=True)
