"""The reports' figures in SQL, held against an independent count made in
Python from the same rows and the rule in words."""

from datetime import date

import pytest
from dateutil.relativedelta import relativedelta
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.roles import ANALYST, LICENSING_OFFICER
from licensing.models import Driver, StaffMember
from licensing.reports import (
    report_by_licence_type,
    report_by_operator,
    report_month_ends,
    report_not_compliant,
    report_staff_by_directorate,
)
from tests import factories

from .conftest import days, make_driver, make_operator

pytestmark = pytest.mark.django_db


def _overdue_since(d: Driver, day: date) -> date | None:
    """The rule, written again without SQL."""
    lapses = []
    if d.dbs_issued_on is None:
        lapses.append(d.issued_on)
    else:
        if d.dbs_update_service:
            last = max(d.dbs_issued_on, d.dbs_last_checked_on or d.dbs_issued_on)
            due = last + relativedelta(months=6)
        else:
            due = d.dbs_issued_on + relativedelta(months=36)
        if due < day:
            lapses.append(due)
    if d.training_completed_on is None:
        lapses.append(d.issued_on)
    else:
        due = d.training_refresher_due or d.training_completed_on + relativedelta(
            months=36
        )
        if due < day:
            lapses.append(due)
    return min(lapses) if lapses else None


@pytest.fixture
def register():
    a, b = make_operator(name="Alpha Cars"), make_operator(name="Beta Cars")
    make_driver(operator=a)
    make_driver(operator=a, dbs_issued_on=None, dbs_last_checked_on=None)
    make_driver(operator=b, licence_type="hackney", training_refresher_due=days(-90))
    make_driver(operator=b, licence_type="hackney", dbs_last_checked_on=days(-250))
    make_driver(licence_type="dual", issued_on=days(-30), training_completed_on=None)
    make_driver(
        operator=a,
        dbs_update_service=False,
        dbs_last_checked_on=None,
        dbs_issued_on=days(-3 * 365 - 40),
    )
    # Licensed only from last month: not counted before.
    make_driver(operator=b, issued_on=days(-20))


def _independent(day: date, key) -> dict[str, tuple[int, int]]:
    out: dict[str, list[int]] = {}
    for d in Driver.objects.select_related("operator"):
        if not (d.issued_on <= day <= d.expires_on):
            continue
        counts = out.setdefault(key(d), [0, 0])
        counts[0] += 1
        counts[1] += _overdue_since(d, day) is None
    return {k: tuple(v) for k, v in out.items()}


def test_share_compliant_by_licence_type_matches_an_independent_count(register):
    series = report_by_licence_type()
    assert [d for d, _ in series] == report_month_ends()
    for day, shares in series:
        sql = {k: (s.total, s.compliant) for k, s in shares.items() if s.total}
        labels = {
            "hackney": "Hackney carriage",
            "private_hire": "Private hire",
            "dual": "Dual (hackney and private hire)",
        }
        assert sql == _independent(
            day, lambda d, names=labels: names[d.licence_type]
        ), day


def test_share_compliant_by_operator_matches_an_independent_count(register):
    for day, shares in report_by_operator():
        sql = {k: (s.total, s.compliant) for k, s in shares.items()}
        expected = _independent(
            day, lambda d: d.operator.name if d.operator else "No operator"
        )
        assert sql == expected, day


def test_not_compliant_list_is_ordered_by_days_overdue(register):
    listed = list(report_not_compliant())
    today = date.today()
    expected = sorted(
        (
            ((today - _overdue_since(d, today)).days, d.licence_number)
            for d in Driver.objects.all()
            if _overdue_since(d, today) is not None
        ),
        key=lambda t: (-t[0], t[1]),
    )
    assert [(d.days_overdue, d.licence_number) for d in listed] == expected
    assert len(listed) == 5


def test_staff_compliance_by_directorate(register):
    for n, (directorate, needs, trained) in enumerate(
        [
            ("Children", True, days(-10)),
            ("Children", True, None),
            ("Housing", False, days(-10)),
        ]
    ):
        StaffMember.objects.create(
            reference=f"E-{n}",
            name=f"S{n}",
            kind="staff",
            directorate=directorate,
            needs_enhanced_dbs=needs,
            dbs_issued_on=days(-10) if needs and trained else None,
            dbs_update_service=False,
            training_completed_on=trained,
        )
    rows = {r["directorate"]: r for r in report_staff_by_directorate()}
    assert (rows["Children"]["total"], rows["Children"]["not_compliant"]) == (2, 1)
    assert (rows["Housing"]["compliant"], rows["Housing"]["total"]) == (1, 1)


def test_the_reports_page_and_pdf(register):
    client = Client()
    client.force_login(factories.make_user(ANALYST))
    factories.justify(client)
    page = client.get(reverse("licensing:reports"))
    assert page.status_code == 200
    assert b"data:image/png;base64," in page.content
    assert b'id="not-compliant"' in page.content
    pdf = client.get(reverse("licensing:reports-pdf"))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_the_daily_email_lists_due_and_overdue_checks_by_licence(register):
    factories.make_user(LICENSING_OFFICER, email="officer@example.org")
    factories.make_user(ANALYST, email="analyst@example.org")
    soon = make_driver(training_refresher_due=days(4))
    call_command("licensing_checks_due", stdout=open("/dev/null", "w"))
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["officer@example.org"]
    assert soon.licence_number in message.body
    assert "no enhanced DBS certificate" in message.body
    # Licence numbers only: no driver's name travels by email.
    assert not any(d.name in message.body for d in Driver.objects.all())
