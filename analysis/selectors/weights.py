"""How much one record counts: by its grade and by its age.

DESIGN.md: heat maps and hot spots weight each record by its grade and age and
leave out grade E and source 3 unless asked. The grade weights are the heat
map's (maps.selectors), and legacy 5x5x5 grades are read as their nearest
3x5x2 equivalent (intelligence.selectors), so the map and the ranked list
agree. The age weight has its own half-life: a tasking meeting looks at the
last weeks, not the last year.
"""

from dataclasses import dataclass, field

from intelligence.grading import graded_sql
from intelligence.selectors import LEGACY_ASSESSMENT_AS_3X5X2, LEGACY_SOURCE_AS_3X5X2
from maps.selectors import ASSESSMENT_WEIGHT, SOURCE_WEIGHT

# A record loses half its weight every HALF_LIFE_DAYS.
HALF_LIFE_DAYS = 28
# "Well graded": 2B or better.
WELL_GRADED_SOURCES = ("1", "2")
WELL_GRADED_ASSESSMENTS = ("A", "B")


@dataclass(frozen=True)
class Weighting:
    """The settings a score was made with; shown and kept with the result."""

    half_life_days: float = HALF_LIFE_DAYS
    include_low_grade: bool = False
    kinds: tuple[str, ...] = ("intelligence", "missing", "incident")
    source_weight: dict = field(default_factory=lambda: dict(SOURCE_WEIGHT))
    assessment_weight: dict = field(default_factory=lambda: dict(ASSESSMENT_WEIGHT))

    def describe(self) -> str:
        grades = (
            "all grades" if self.include_low_grade else "grade E and source 3 left out"
        )
        return (
            f"weight = source ({_fmt(self.source_weight)}) x assessment "
            f"({_fmt(self.assessment_weight)}) x age (halves every "
            f"{self.half_life_days:g} days); {grades}; legacy 5x5x5 grades read as "
            "their 3x5x2 equivalent"
        )


def _fmt(weights: dict) -> str:
    return ", ".join(f"{k} {v:g}" for k, v in weights.items())


def _case(column: str, modern: dict, legacy: dict, alias: str) -> str:
    arms = [
        f"WHEN {alias}.grading_scheme = '3x5x2' AND {alias}.{column} = '{k}' THEN {v}"
        for k, v in modern.items()
    ] + [
        f"WHEN {alias}.grading_scheme = '5x5x5' AND {alias}.{column} = '{k}' "
        f"THEN {modern[v]}"
        for k, v in legacy.items()
    ]
    return "(CASE " + " ".join(arms) + " ELSE 0 END)"


def grade_weight_sql(weighting: Weighting, alias: str = "r") -> str:
    """SQL for the grade part of a record's weight (keys are fixed, not user text)."""
    return (
        _case(
            "source_evaluation", weighting.source_weight, LEGACY_SOURCE_AS_3X5X2, alias
        )
        + " * "
        + _case(
            "intelligence_assessment",
            weighting.assessment_weight,
            LEGACY_ASSESSMENT_AS_3X5X2,
            alias,
        )
    )


def age_weight_sql(weighting: Weighting, *, as_of_param: str, alias: str = "r") -> str:
    """SQL for the age part: 0.5 ** (age in days / half-life), never above 1."""
    return (
        f"power(0.5::float8, greatest(0, extract(epoch FROM ({as_of_param} - "
        f"{alias}.occurred_from)) / 86400.0) / {float(weighting.half_life_days)})"
    )


def _in(values) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


def _grade_sql(alias: str, sources, assessments) -> str:
    """Records whose (3x5x2 or mapped legacy) grade is in the given letters."""
    legacy_sources = [k for k, v in LEGACY_SOURCE_AS_3X5X2.items() if v in sources]
    legacy_assessments = [
        k for k, v in LEGACY_ASSESSMENT_AS_3X5X2.items() if v in assessments
    ]
    return (
        f"(({alias}.grading_scheme = '3x5x2' AND {alias}.source_evaluation IN "
        f"{_in(sources)} AND {alias}.intelligence_assessment IN {_in(assessments)}) "
        f"OR ({alias}.grading_scheme = '5x5x5' AND {alias}.source_evaluation IN "
        f"{_in(legacy_sources)} AND {alias}.intelligence_assessment IN "
        f"{_in(legacy_assessments)}))"
    )


def grade_filter_sql(weighting: Weighting, alias: str = "r") -> str:
    """Graded records only (intelligence.grading); grade E and source 3 (and
    their legacy equivalents) are left out unless asked for."""
    if weighting.include_low_grade:
        return graded_sql(alias)
    return f"{graded_sql(alias)} AND " + _grade_sql(
        alias, ("1", "2"), ("A", "B", "C", "D")
    )


def well_graded_sql(alias: str = "r") -> str:
    """'2B or better'."""
    return _grade_sql(alias, WELL_GRADED_SOURCES, WELL_GRADED_ASSESSMENTS)
