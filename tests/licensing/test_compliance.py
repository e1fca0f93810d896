"""licensing.compliance: computed in SQL, held against the rule in words."""

from datetime import date

import pytest
from dateutil.relativedelta import relativedelta

from licensing.models import Compliance, StaffMember
from licensing.selectors import driver_list, staff_list

from .conftest import days, make_driver

pytestmark = pytest.mark.django_db


def _one(driver, today=None):
    return driver_list(today=today).get(pk=driver.pk)


def test_a_driver_with_every_check_in_date_is_compliant():
    d = _one(make_driver())
    assert d.compliance == Compliance.COMPLIANT
    assert d.days_overdue is None
    # Update service: due 6 months after the last check.
    assert d.dbs_due == days(-20) + relativedelta(months=6)
    assert d.next_due == d.dbs_due


def test_update_service_check_falls_due_six_months_after_the_last():
    last = date(2026, 1, 31)
    d = _one(make_driver(dbs_last_checked_on=last, dbs_issued_on=date(2025, 12, 1)))
    # 31 Jan + 6 months: the end of July (PostgreSQL's month arithmetic).
    assert d.dbs_due == date(2026, 7, 31)


def test_without_the_update_service_a_new_certificate_is_due_after_three_years():
    d = _one(
        make_driver(
            dbs_update_service=False,
            dbs_last_checked_on=None,
            dbs_issued_on=days(-3 * 365 - 10),
        )
    )
    assert d.compliance == Compliance.NOT_COMPLIANT
    # Three calendar years from the issue date, independent of the SQL.
    issued = days(-3 * 365 - 10)
    due = issued.replace(year=issued.year + 3)
    assert d.dbs_due == due
    assert d.days_overdue == (date.today() - due).days


def test_missing_dbs_is_overdue_since_the_licence_was_issued():
    d = _one(
        make_driver(dbs_issued_on=None, dbs_last_checked_on=None, issued_on=days(-50))
    )
    assert d.compliance == Compliance.NOT_COMPLIANT
    assert d.dbs_missing is True
    assert d.days_overdue == 50


def test_a_check_due_within_thirty_days_is_due_not_overdue():
    d = _one(make_driver(training_refresher_due=days(12)))
    assert d.compliance == Compliance.DUE
    assert d.next_due == days(12)


def test_the_worst_lapse_counts_for_days_overdue():
    d = _one(
        make_driver(training_refresher_due=days(-40), dbs_last_checked_on=days(-200))
    )
    # DBS: 6 months after 200 days ago, about 17 days ago; training 40.
    assert d.compliance == Compliance.NOT_COMPLIANT
    assert d.days_overdue == 40


def test_intervals_come_from_settings(settings):
    settings.LICENSING_DBS_UPDATE_CHECK_MONTHS = 1
    d = _one(make_driver(dbs_last_checked_on=days(-45)))
    assert d.compliance == Compliance.NOT_COMPLIANT


def test_compliance_as_of_an_earlier_day():
    driver = make_driver(training_refresher_due=days(-5))
    assert _one(driver).compliance == Compliance.NOT_COMPLIANT
    assert _one(driver, today=days(-60)).compliance == Compliance.COMPLIANT


def test_filter_and_count_by_compliance_in_sql():
    make_driver()
    make_driver(dbs_issued_on=None, dbs_last_checked_on=None)
    make_driver(training_refresher_due=days(3))
    qs = driver_list(compliance=Compliance.NOT_COMPLIANT)
    assert qs.count() == 1
    assert driver_list(compliance=Compliance.DUE).count() == 1


def test_staff_not_needing_enhanced_dbs_are_not_held_to_it():
    StaffMember.objects.create(
        reference="E-1",
        name="A",
        kind="staff",
        directorate="Housing",
        needs_enhanced_dbs=False,
        training_completed_on=days(-10),
    )
    StaffMember.objects.create(
        reference="E-2",
        name="B",
        kind="staff",
        directorate="Children",
        needs_enhanced_dbs=True,
        training_completed_on=days(-10),
    )
    found = {s.reference: s.compliance for s in staff_list()}
    assert found == {"E-1": Compliance.COMPLIANT, "E-2": Compliance.NOT_COMPLIANT}
