"""The settings a hot-spot, Gi* or did-it-work score is made with.

The weights, the age decay, low grade and well graded are intelligence.grading's,
the same the heat map uses, so the map and the ranked list agree. A tasking
meeting has its own half-life (it looks at the last weeks, not the last year)
and may ask for the low grades too.
"""

from dataclasses import dataclass, field

from intelligence.grading import (
    ASSESSMENT_WEIGHT,
    HOTSPOT_HALF_LIFE_DAYS,
    SOURCE_WEIGHT,
    age_weight_sql,
    countable_sql,
    grade_weight_sql,
)


@dataclass(frozen=True)
class Weighting:
    """The settings a score was made with; shown and kept with the result."""

    half_life_days: float = HOTSPOT_HALF_LIFE_DAYS
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

    def grade_sql(self, alias: str = "r") -> str:
        """SQL for the grade part of a record's weight."""
        return grade_weight_sql(
            source_weight=self.source_weight,
            assessment_weight=self.assessment_weight,
            alias=alias,
        )

    def age_sql(self, *, as_of: str, alias: str = "r") -> str:
        """SQL for the age part at `as_of` (SQL, e.g. a placeholder)."""
        return age_weight_sql(
            as_of=as_of, half_life_days=f"{float(self.half_life_days)}", alias=alias
        )

    def filter_sql(self, alias: str = "r") -> str:
        """SQL: the records this score counts."""
        return countable_sql(include_low_grade=self.include_low_grade, alias=alias)


def _fmt(weights: dict) -> str:
    return ", ".join(f"{k} {v:g}" for k, v in weights.items())
