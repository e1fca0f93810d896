"""Writes of the analysis app: problem profiles."""

from django.db import transaction

from .models import ProblemProfile

PROBLEM_FIELDS = (
    "name",
    "description",
    "status",
    "area",
    "point",
    "radius_m",
    "location",
    "days",
    "until",
    "kinds",
    "tags",
    "include_low_grade",
)


def problem_create(*, owner, **fields) -> ProblemProfile:
    unknown = set(fields) - set(PROBLEM_FIELDS)
    if unknown:
        raise TypeError(f"problem_create: unknown fields {sorted(unknown)}")
    with transaction.atomic():
        problem = ProblemProfile(owner=owner, **fields)
        problem.full_clean()
        problem.save()
    return problem


def problem_tasking_link(*, problem: ProblemProfile, tasking) -> None:
    """The tasking answers the problem (linking twice changes nothing)."""
    with transaction.atomic():
        problem.taskings.add(tasking)
