"""The compliance engine: DBS and CSE training, computed, never typed in.

One SQL annotation for drivers and for council staff and councillors, so
registers, reports and the daily email filter and count by it in the
database. For each person, as of a day (today by default):

- the enhanced DBS check falls due `LICENSING_DBS_UPDATE_CHECK_MONTHS` (6)
  after the last update-service check (or the certificate's issue) when the
  holder subscribes to the update service, else
  `LICENSING_DBS_RENEWAL_MONTHS` (36) after the certificate was issued;
- CSE and safeguarding training falls due on its refresher date, or
  `LICENSING_TRAINING_REFRESHER_MONTHS` (36) after completion when none is
  given;
- missing (no certificate, no training) counts as overdue since the licence
  was issued (a driver) or the person was entered (staff);
- not compliant: anything missing or past due; due: the next date falls
  within `LICENSING_DUE_SOON_DAYS` (30); compliant otherwise.

A staff role that needs no enhanced DBS is not held to a DBS date.
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import (
    BooleanField,
    Case,
    DateField,
    Expression,
    F,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast, Least
from django.utils import timezone

from .models import Compliance

ADD_MONTHS_SQL = """
    CREATE OR REPLACE FUNCTION licensing_add_months(d date, m integer)
    RETURNS date LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT (d + make_interval(months => m))::date $$;
"""
ADD_MONTHS_DROP_SQL = "DROP FUNCTION IF EXISTS licensing_add_months(date, integer);"


@dataclass(frozen=True)
class Intervals:
    update_check_months: int
    renewal_months: int
    training_months: int
    due_soon_days: int


def intervals() -> Intervals:
    return Intervals(
        update_check_months=settings.LICENSING_DBS_UPDATE_CHECK_MONTHS,
        renewal_months=settings.LICENSING_DBS_RENEWAL_MONTHS,
        training_months=settings.LICENSING_TRAINING_REFRESHER_MONTHS,
        due_soon_days=settings.LICENSING_DUE_SOON_DAYS,
    )


class AddMonths(Func):
    function = "licensing_add_months"
    output_field = DateField()


class DaysBetween(Func):
    """later - earlier, in whole days (PostgreSQL's date - date)."""

    template = "(%(expressions)s)"
    arg_joiner = " - "
    output_field = IntegerField()


def _dbs_due(i: Intervals) -> Expression:
    latest = Func(
        F("dbs_issued_on"),
        F("dbs_last_checked_on"),
        function="GREATEST",
        output_field=DateField(),
    )
    return Case(
        When(dbs_issued_on__isnull=True, then=Value(None, output_field=DateField())),
        When(
            dbs_update_service=True,
            then=AddMonths(latest, Value(i.update_check_months)),
        ),
        default=AddMonths(F("dbs_issued_on"), Value(i.renewal_months)),
        output_field=DateField(),
    )


def _training_due(i: Intervals) -> Expression:
    return Case(
        When(
            training_completed_on__isnull=True,
            then=Value(None, output_field=DateField()),
        ),
        When(training_refresher_due__isnull=False, then=F("training_refresher_due")),
        default=AddMonths(F("training_completed_on"), Value(i.training_months)),
        output_field=DateField(),
    )


def _missing_since(qs: QuerySet) -> Expression:
    if "issued_on" in {f.name for f in qs.model._meta.fields}:
        return F("issued_on")
    return Cast("created_at", DateField())


def compliance_annotate(
    *, qs: QuerySet, today: date | None = None, dbs_required: Q | None = None
) -> QuerySet:
    """Adds dbs_due, training_due, dbs_missing, training_missing, next_due,
    overdue_since, days_overdue and compliance (a Compliance value) to a
    queryset of drivers or staff. `dbs_required` limits the DBS rule to
    the rows it matches (staff roles that need an enhanced check)."""
    i = intervals()
    today = today or timezone.localdate()
    dbs_required = dbs_required if dbs_required is not None else Q(pk__isnull=False)
    day = Value(today, output_field=DateField())
    none = Value(None, output_field=DateField())
    since = _missing_since(qs)
    qs = qs.annotate(
        dbs_required=Case(
            When(dbs_required, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
        dbs_due=Case(When(dbs_required, then=_dbs_due(i)), default=none),
        training_due=_training_due(i),
    ).annotate(
        dbs_missing=Case(
            When(dbs_required & Q(dbs_issued_on__isnull=True), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
        training_missing=Case(
            When(training_completed_on__isnull=True, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
        next_due=Least("dbs_due", "training_due"),
    )
    qs = qs.annotate(
        overdue_since=Least(
            Case(When(dbs_missing=True, then=since), default=none),
            Case(When(dbs_due__lt=today, then=F("dbs_due")), default=none),
            Case(When(training_missing=True, then=since), default=none),
            Case(When(training_due__lt=today, then=F("training_due")), default=none),
        )
    )
    soon = Value(today, output_field=DateField())
    return qs.annotate(
        days_overdue=Case(
            When(
                overdue_since__isnull=False, then=DaysBetween(day, F("overdue_since"))
            ),
            default=Value(None, output_field=IntegerField()),
        ),
        compliance=Case(
            When(overdue_since__isnull=False, then=Value(Compliance.NOT_COMPLIANT)),
            When(
                next_due__lte=DaysPlus(soon, Value(i.due_soon_days)),
                then=Value(Compliance.DUE),
            ),
            default=Value(Compliance.COMPLIANT),
        ),
    )


class DaysPlus(Func):
    """A date plus whole days (PostgreSQL's date + integer)."""

    template = "(%(expressions)s)"
    arg_joiner = " + "
    output_field = DateField()


def compliance_missing(row) -> list[str]:
    """What an annotated row lacks or has let lapse, in words."""
    today = timezone.localdate()
    found = []
    if getattr(row, "dbs_missing", False):
        found.append("no enhanced DBS certificate")
    elif row.dbs_due is not None and row.dbs_due < today:
        check = "update-service check" if row.dbs_update_service else "new certificate"
        found.append(f"DBS {check} overdue since {row.dbs_due:%d %b %Y}")
    if getattr(row, "training_missing", False):
        found.append("no CSE awareness training")
    elif row.training_due is not None and row.training_due < today:
        found.append(
            f"CSE training refresher overdue since {row.training_due:%d %b %Y}"
        )
    return found
