"""The licensing reports' figures, computed in SQL from the compliance
annotation (licensing.compliance): drivers compliant by licence type and by
operator, month by month; drivers not compliant by days overdue; staff and
councillors' compliance by directorate.

A month's figure is compliance as of its last day (today for the current
month), over the drivers whose licence was in force that day, from the dates
the register holds now. Compliant counts those with nothing overdue (a check
due within 30 days is still compliant).
"""

import calendar
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q
from django.utils import timezone

from .models import Compliance, LicenceType
from .selectors import driver_list, staff_list

MONTHS = 12


@dataclass(frozen=True)
class Share:
    label: str
    total: int
    compliant: int

    @property
    def percent(self) -> float | None:
        return round(100 * self.compliant / self.total, 1) if self.total else None


def report_month_ends(*, months: int = MONTHS, today: date | None = None) -> list[date]:
    today = today or timezone.localdate()
    ends, year, month = [], today.year, today.month
    for _ in range(months):
        last = date(year, month, calendar.monthrange(year, month)[1])
        ends.append(min(last, today))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return sorted(ends)


def _in_force(day: date) -> Q:
    return Q(issued_on__lte=day, expires_on__gte=day)


def _shares(*, day: date, by: str) -> list[Share]:
    rows = (
        driver_list(today=day)
        .filter(_in_force(day))
        .order_by()
        .values(by)
        .annotate(
            total=Count("id"),
            compliant=Count("id", filter=~Q(compliance=Compliance.NOT_COMPLIANT)),
        )
    )
    return [
        Share(label=r[by] or "", total=r["total"], compliant=r["compliant"])
        for r in rows
    ]


def report_by_licence_type(
    *, months: int = MONTHS, today: date | None = None
) -> list[tuple[date, dict[str, Share]]]:
    """Per month end, the share compliant for each licence type."""
    out = []
    labels = dict(LicenceType.choices)
    for day in report_month_ends(months=months, today=today):
        found = {s.label: s for s in _shares(day=day, by="licence_type")}
        out.append(
            (
                day,
                {
                    labels[t]: found.get(t, Share(labels[t], 0, 0))
                    for t in LicenceType.values
                },
            )
        )
    return out


def report_by_operator(
    *, months: int = MONTHS, today: date | None = None
) -> list[tuple[date, dict[str, Share]]]:
    """Per month end, the share compliant for each operator's drivers
    (drivers with no operator: "No operator")."""
    out = []
    for day in report_month_ends(months=months, today=today):
        shares = _shares(day=day, by="operator__name")
        out.append((day, {s.label or "No operator": s for s in shares}))
    return out


def report_not_compliant(*, today: date | None = None):
    """Drivers not compliant, the longest overdue first."""
    return (
        driver_list(compliance=Compliance.NOT_COMPLIANT, today=today)
        .filter(status="active")
        .order_by("-days_overdue", "licence_number")
    )


def report_staff_by_directorate(*, today: date | None = None) -> list[dict]:
    rows = (
        staff_list(today=today)
        .order_by()
        .values("directorate")
        .annotate(
            total=Count("id"),
            compliant=Count("id", filter=Q(compliance=Compliance.COMPLIANT)),
            due=Count("id", filter=Q(compliance=Compliance.DUE)),
            not_compliant=Count("id", filter=Q(compliance=Compliance.NOT_COMPLIANT)),
        )
        .order_by("directorate")
    )
    return list(rows)
