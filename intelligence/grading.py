"""How much a record counts: the one home of the grading rules.

Which records count: only a graded record is counted or shown anywhere a
record is read (heat maps, hot spots, Gi*, did-it-work, what-is-here, reports,
record lists). A submission awaiting grading is counted only as that, in
triage; a duplicate or a record merged into another is never counted (its
report is counted once, in the record it duplicates).

How much: a record weighs source weight x assessment weight x age weight, so
one well-graded recent report outweighs several poor old ones. Low grade
(source 3 or assessment E) is left out of heat maps and hot spots unless
asked for; "well graded" is 2B or better. Legacy 5x5x5 grades are read as
their nearest 3x5x2 equivalent for filtering and weighting only (the record
keeps and shows its original grade).

Each rule is written once here and given in two forms: a Q for the ORM's
selectors and SQL for the aggregates written in SQL (heat map, hot spots,
Gi*, did-it-work). The SQL holds only the fixed letters and numbers below,
never user text.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q

from .models import GradingScheme, RecordStatus

# Source evaluation (3x5x2): 1 reliable, 2 untested, 3 not reliable.
SOURCE_WEIGHT = {"1": 1.0, "2": 0.6, "3": 0.2}
# Intelligence assessment: A known directly ... E suspected false.
ASSESSMENT_WEIGHT = {"A": 1.0, "B": 0.8, "C": 0.5, "D": 0.3, "E": 0.1}
# Age: the weight halves every half-life before the end of the period. The
# heat map looks back over months; a tasking meeting's hot spots over weeks.
HEATMAP_HALF_LIFE_DAYS = 60
HOTSPOT_HALF_LIFE_DAYS = 28

# Legacy 5x5x5 grades read as their nearest 3x5x2 equivalent.
# Source: A always / B mostly reliable -> 1; C sometimes reliable and
# E untested -> 2; D unreliable -> 3.
LEGACY_SOURCE_AS_3X5X2 = {"A": "1", "B": "1", "C": "2", "E": "2", "D": "3"}
# Intelligence: 1 known true, 2 known personally to the source -> A;
# 3 corroborated -> B; 4 cannot be judged -> D; 5 suspected false -> E.
LEGACY_ASSESSMENT_AS_3X5X2 = {"1": "A", "2": "A", "3": "B", "4": "D", "5": "E"}

# Low grade: source 3 (not reliable) or assessment E (suspected false).
LOW_GRADE_SOURCES = ("3",)
LOW_GRADE_ASSESSMENTS = ("E",)
# "Well graded": 2B or better.
WELL_GRADED_SOURCES = ("1", "2")
WELL_GRADED_ASSESSMENTS = ("A", "B")


def graded_q() -> Q:
    return Q(status=RecordStatus.GRADED)


def graded_sql(alias: str = "r") -> str:
    return f"{alias}.status = '{RecordStatus.GRADED.value}'"


def _legacy(letters, legacy: dict[str, str]) -> list[str]:
    """The legacy letters read as one of these 3x5x2 letters."""
    return [k for k, v in legacy.items() if v in letters]


def _grade_in_q(sources, assessments) -> Q:
    """Records whose (3x5x2 or mapped legacy) grade has both a source in
    `sources` and an assessment in `assessments`."""
    return Q(
        grading_scheme=GradingScheme.G3X5X2,
        source_evaluation__in=list(sources),
        intelligence_assessment__in=list(assessments),
    ) | Q(
        grading_scheme=GradingScheme.G5X5X5,
        source_evaluation__in=_legacy(sources, LEGACY_SOURCE_AS_3X5X2),
        intelligence_assessment__in=_legacy(assessments, LEGACY_ASSESSMENT_AS_3X5X2),
    )


def _in(values) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


def _grade_in_sql(alias: str, sources, assessments) -> str:
    """SQL form of _grade_in_q."""
    legacy_sources = _legacy(sources, LEGACY_SOURCE_AS_3X5X2)
    legacy_assessments = _legacy(assessments, LEGACY_ASSESSMENT_AS_3X5X2)
    return (
        f"(({alias}.grading_scheme = '3x5x2' AND {alias}.source_evaluation IN "
        f"{_in(sources)} AND {alias}.intelligence_assessment IN {_in(assessments)}) "
        f"OR ({alias}.grading_scheme = '5x5x5' AND {alias}.source_evaluation IN "
        f"{_in(legacy_sources)} AND {alias}.intelligence_assessment IN "
        f"{_in(legacy_assessments)}))"
    )


def grade_at_least(*, source: str, assessment: str) -> Q:
    """Records graded source <= source and assessment <= assessment (e.g. 2B)."""
    legacy_sources = [k for k, v in LEGACY_SOURCE_AS_3X5X2.items() if v <= source]
    legacy_assessments = [
        k for k, v in LEGACY_ASSESSMENT_AS_3X5X2.items() if v <= assessment
    ]
    return Q(
        grading_scheme=GradingScheme.G3X5X2,
        source_evaluation__lte=source,
        intelligence_assessment__lte=assessment,
    ) | Q(
        grading_scheme=GradingScheme.G5X5X5,
        source_evaluation__in=legacy_sources,
        intelligence_assessment__in=legacy_assessments,
    )


def _one_of(field: str, letters) -> Q:
    letters = list(letters)
    if len(letters) == 1:
        return Q(**{field: letters[0]})
    return Q(**{f"{field}__in": letters})


def low_grade() -> Q:
    """Source 3 (not reliable) or assessment E (suspected false), and the
    legacy equivalents."""
    return Q(grading_scheme=GradingScheme.G3X5X2) & (
        _one_of("source_evaluation", LOW_GRADE_SOURCES)
        | _one_of("intelligence_assessment", LOW_GRADE_ASSESSMENTS)
    ) | Q(grading_scheme=GradingScheme.G5X5X5) & (
        _one_of("source_evaluation", _legacy(LOW_GRADE_SOURCES, LEGACY_SOURCE_AS_3X5X2))
        | _one_of(
            "intelligence_assessment",
            _legacy(LOW_GRADE_ASSESSMENTS, LEGACY_ASSESSMENT_AS_3X5X2),
        )
    )


def not_low_grade_sql(alias: str = "r") -> str:
    """SQL: the record is not low grade (the complement of low_grade())."""
    return _grade_in_sql(
        alias,
        [s for s in SOURCE_WEIGHT if s not in LOW_GRADE_SOURCES],
        [a for a in ASSESSMENT_WEIGHT if a not in LOW_GRADE_ASSESSMENTS],
    )


def countable_sql(*, include_low_grade: bool, alias: str = "r") -> str:
    """SQL: graded records, without the low grades unless asked for."""
    if include_low_grade:
        return graded_sql(alias)
    return f"{graded_sql(alias)} AND {not_low_grade_sql(alias)}"


def well_graded_q() -> Q:
    """'2B or better'."""
    return _grade_in_q(WELL_GRADED_SOURCES, WELL_GRADED_ASSESSMENTS)


def well_graded_sql(alias: str = "r") -> str:
    """SQL form of well_graded_q()."""
    return _grade_in_sql(alias, WELL_GRADED_SOURCES, WELL_GRADED_ASSESSMENTS)


def _weight_case(
    column: str, weights: dict[str, float], legacy: dict[str, str], alias: str
) -> str:
    """SQL CASE giving the weight of a 3x5x2 or legacy (mapped) grade letter.

    The two schemes use disjoint letters for each field (the table's check
    constraint holds each row to its scheme's letters), so the letter alone
    decides: one simple CASE, cheap per row, rather than a scheme test too."""
    if set(weights) & set(legacy):
        raise ValueError(f"{column}: grading schemes share letters")
    whens = [f"WHEN '{k}' THEN {float(w)}::float8" for k, w in weights.items()] + [
        f"WHEN '{k}' THEN {float(weights[v])}::float8" for k, v in legacy.items()
    ]
    return f"CASE {alias}.{column} " + " ".join(whens) + " ELSE 0::float8 END"


def grade_weight_sql(
    *,
    source_weight: dict[str, float] = SOURCE_WEIGHT,
    assessment_weight: dict[str, float] = ASSESSMENT_WEIGHT,
    alias: str = "r",
) -> str:
    """SQL for the grade part of a record's weight (float8)."""
    source = _weight_case(
        "source_evaluation", source_weight, LEGACY_SOURCE_AS_3X5X2, alias
    )
    assessment = _weight_case(
        "intelligence_assessment",
        assessment_weight,
        LEGACY_ASSESSMENT_AS_3X5X2,
        alias,
    )
    return f"({source}) * ({assessment})"


def age_weight_sql(*, as_of: str, half_life_days: str, alias: str = "r") -> str:
    """SQL for the age part: 0.5 ** (age in days / half-life), never above 1.

    `as_of` and `half_life_days` are SQL (placeholders or literals). Every
    term is float8: numeric (extract() since PostgreSQL 14, decimal literals)
    costs arbitrary-precision arithmetic on each record."""
    return (
        f"power(0.5::float8, GREATEST(0::float8, date_part('epoch', "
        f"{as_of} - {alias}.occurred_from)) / 86400.0 / {half_life_days})"
    )


def grade_can(*, user: AbstractBaseUser) -> bool:
    """Triage: grading, linking and merging need record content as well."""
    return user.has_perm("intelligence.grade_record") and user.has_perm(
        "intelligence.view_record_content"
    )


def submit_can(*, user: AbstractBaseUser) -> bool:
    return user.is_authenticated and user.has_perm("intelligence.submit_record")
