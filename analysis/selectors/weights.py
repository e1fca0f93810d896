"""How much one record counts: by its grade and by its age.

DESIGN.md: heat maps and hot spots weight each record by its grade and age and
leave out grade E and source 3 unless asked. The weights live here once, as SQL,
so every score, grid and report counts the same way, in the database.
"""

from dataclasses import dataclass, field

# 3x5x2 source evaluation: 1 reliable, 2 untested, 3 not reliable.
SOURCE_WEIGHT = {"1": 1.0, "2": 0.7, "3": 0.3}
# Intelligence assessment: A known directly ... E suspected false.
ASSESSMENT_WEIGHT = {"A": 1.0, "B": 0.8, "C": 0.6, "D": 0.4, "E": 0.1}
# Legacy 5x5x5 grades, mapped to the nearest 3x5x2 meaning.
LEGACY_SOURCE_WEIGHT = {"A": 1.0, "B": 1.0, "C": 0.7, "D": 0.3, "E": 0.7}
LEGACY_ASSESSMENT_WEIGHT = {"1": 1.0, "2": 1.0, "3": 0.8, "4": 0.4, "5": 0.1}
# A record loses half its weight every HALF_LIFE_DAYS.
HALF_LIFE_DAYS = 28


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
            "all grades"
            if self.include_low_grade
            else "grade E and source 3 left out (legacy: 5 and D)"
        )
        return (
            f"weight = source ({_fmt(self.source_weight)}) x assessment "
            f"({_fmt(self.assessment_weight)}) x age (halves every "
            f"{self.half_life_days:g} days); {grades}"
        )


def _fmt(weights: dict) -> str:
    return ", ".join(f"{k} {v:g}" for k, v in weights.items())


def _case(column: str, modern: dict, legacy: dict, alias: str) -> str:
    arms = [
        f"WHEN {alias}.grading_scheme = '3x5x2' AND {alias}.{column} = '{k}' THEN {v}"
        for k, v in modern.items()
    ] + [
        f"WHEN {alias}.grading_scheme = '5x5x5' AND {alias}.{column} = '{k}' THEN {v}"
        for k, v in legacy.items()
    ]
    return "(CASE " + " ".join(arms) + " ELSE 0 END)"


def grade_weight_sql(weighting: Weighting, alias: str = "r") -> str:
    """SQL for the grade part of a record's weight (keys are fixed, not user text)."""
    return (
        _case(
            "source_evaluation",
            weighting.source_weight,
            LEGACY_SOURCE_WEIGHT,
            alias,
        )
        + " * "
        + _case(
            "intelligence_assessment",
            weighting.assessment_weight,
            LEGACY_ASSESSMENT_WEIGHT,
            alias,
        )
    )


def age_weight_sql(weighting: Weighting, *, as_of_param: str, alias: str = "r") -> str:
    """SQL for the age part: 0.5 ** (age in days / half-life), never above 1."""
    return (
        f"power(0.5, greatest(0, extract(epoch FROM ({as_of_param} - "
        f"{alias}.occurred_from)) / 86400.0) / {float(weighting.half_life_days)})"
    )


def grade_filter_sql(weighting: Weighting, alias: str = "r") -> str:
    """Grade E and source 3 (legacy: intelligence 5 and source D) are left out
    unless asked for."""
    if weighting.include_low_grade:
        return "TRUE"
    return (
        f"NOT ({alias}.grading_scheme = '3x5x2' AND "
        f"({alias}.intelligence_assessment = 'E' OR {alias}.source_evaluation = '3'))"
        f" AND NOT ({alias}.grading_scheme = '5x5x5' AND "
        f"({alias}.intelligence_assessment = '5' OR {alias}.source_evaluation = 'D'))"
    )


def well_graded_sql(alias: str = "r") -> str:
    """'2B or better': source 1 or 2 and assessment A or B (legacy A/B and 1-3)."""
    return (
        f"(({alias}.grading_scheme = '3x5x2' AND {alias}.source_evaluation IN ('1','2')"
        f" AND {alias}.intelligence_assessment IN ('A','B')) OR "
        f"({alias}.grading_scheme = '5x5x5' AND {alias}.source_evaluation IN ('A','B')"
        f" AND {alias}.intelligence_assessment IN ('1','2','3')))"
    )
