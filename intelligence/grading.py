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

from accounts.roles import can_submit

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
    return can_submit(user)
