"""Which records count: only a graded record is counted or shown anywhere a
record is read (heat maps, hot spots, Gi*, did-it-work, what-is-here, reports,
record lists). A submission awaiting grading is counted only as that, in
triage; a duplicate or a record merged into another is never counted (its
report is counted once, in the record it duplicates).

One rule, in two forms: a Q for the ORM's selectors and a SQL condition for
the analysis selectors that are written in SQL.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q

from .models import RecordStatus


def graded_q() -> Q:
    return Q(status=RecordStatus.GRADED)


def graded_sql(alias: str = "r") -> str:
    return f"{alias}.status = '{RecordStatus.GRADED.value}'"


def grade_can(*, user: AbstractBaseUser) -> bool:
    """Triage: grading, linking and merging need record content as well."""
    return user.has_perm("intelligence.grade_record") and user.has_perm(
        "intelligence.view_record_content"
    )


def submit_can(*, user: AbstractBaseUser) -> bool:
    return user.is_authenticated and user.has_perm("intelligence.submit_record")


# A link between people, vehicles and places (people.models.Link) is as sure
# as the records it rests on: "high" when one record is 2B or better or two
# independent records agree at 2C or better; "low" when every record is
# source 3 or assessment E (or D, not known); "medium" otherwise.
CONFIDENCE_LEVELS = ("high", "medium", "low")


def link_confidence(*, grades: list[tuple[str, str, str]]) -> str:
    """Confidence from the (scheme, source, assessment) of each cited record;
    legacy 5x5x5 grades are read as their 3x5x2 equivalent."""
    from .selectors import LEGACY_ASSESSMENT_AS_3X5X2, LEGACY_SOURCE_AS_3X5X2

    modern = []
    for scheme, source, assessment in grades:
        if not source or not assessment:
            continue
        if scheme == "5x5x5":
            source = LEGACY_SOURCE_AS_3X5X2.get(source, "3")
            assessment = LEGACY_ASSESSMENT_AS_3X5X2.get(assessment, "E")
        modern.append((source, assessment))
    if any(s <= "2" and a <= "B" for s, a in modern):
        return "high"
    if sum(1 for s, a in modern if s <= "2" and a <= "C") >= 2:
        return "high"
    if all(s == "3" or a >= "D" for s, a in modern):
        return "low"
    return "medium"
