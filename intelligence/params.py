"""The record filters of the API, parsed at the edge (common.params for the
shared spatial and period parameters)."""

from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

from common.params import PeriodParams, SpatialParams

from .models import IndicatorTag, RecordKind


def min_grade_parse(value: str) -> tuple[str, str]:
    value = value.strip().upper()
    if len(value) != 2 or value[0] not in "123" or value[1] not in "ABCDE":
        raise serializers.ValidationError(
            "Give a 3x5x2 grade such as 2B: source 1-3, then assessment A-E."
        )
    return value[0], value[1]


class RecordKindGradeParams(PeriodParams):
    """The period plus what kind of records and how well graded."""

    kind = serializers.ChoiceField(choices=RecordKind.choices, required=False)
    min_grade = serializers.CharField(required=False)
    tag = serializers.ListField(
        child=serializers.ChoiceField(choices=IndicatorTag.choices), required=False
    )

    def validate_min_grade(self, value: str) -> tuple[str, str]:
        return min_grade_parse(value)


class RecordFilterParams(SpatialParams, RecordKindGradeParams):
    def validate(self, attrs):
        attrs = SpatialParams.validate(self, attrs)
        return PeriodParams.validate(self, attrs)


RECORD_KIND_GRADE_SCHEMA = [
    OpenApiParameter("kind", str, enum=RecordKind.values),
    OpenApiParameter(
        "min_grade",
        str,
        pattern="^[1-3][A-Ea-e]$",
        description="lowest 3x5x2 grade, e.g. 2B",
    ),
    OpenApiParameter("tag", str, many=True, enum=IndicatorTag.values),
]
