"""Licence decisions and taxi checks (licensing.services)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.roles import ANALYST
from disruption.models import DisruptionAction
from licensing.models import LicenceAction, TaxiCheck
from licensing.services import licence_act, taxi_check_log
from tests import factories

from .conftest import make_driver, make_licence

pytestmark = pytest.mark.django_db


def test_revoking_records_reason_date_and_who_and_the_car_follows(licensing_officer):
    driver = make_driver()
    licence = make_licence(registration="TX11 AAA", driver=driver)
    action = licence_act(
        driver=driver,
        kind="revoke",
        reason="Conviction notified by the police",
        effective_on=date(2026, 3, 1),
        user=licensing_officer,
    )
    driver.refresh_from_db()
    licence.refresh_from_db()
    assert (driver.status, licence.status) == ("revoked", "revoked")
    assert (action.reason, action.effective_on, action.decided_by) == (
        "Conviction notified by the police",
        date(2026, 3, 1),
        licensing_officer,
    )


def test_a_decision_needs_a_reason(licensing_officer):
    driver = make_driver()
    with pytest.raises(ValidationError):
        licence_act(
            driver=driver,
            kind="suspend",
            reason="  ",
            effective_on=date.today(),
            user=licensing_officer,
        )
    driver.refresh_from_db()
    assert driver.status == "active"
    assert not LicenceAction.objects.exists()


def test_a_taxi_check_is_a_disruption_action_naming_vehicle_and_driver(
    licensing_officer,
):
    driver = make_driver()
    licence = make_licence(registration="TX11 BBB", driver=driver)
    rank = factories.make_location(name="Rank", category="taxi_rank")
    check = taxi_check_log(
        officer=licensing_officer,
        vehicle=licence,
        outcome="compliant",
        occurred_at=timezone.now(),
        location=rank,
    )
    action = DisruptionAction.objects.get()
    assert action.action_type == "vehicle_check"
    assert action.outcome == "compliant"
    assert action.location == rank
    assert action.officer == licensing_officer
    assert (check.vehicle, check.driver, check.status_when_checked) == (
        licence,
        driver,
        "active",
    )


def test_a_revoked_licence_checked_later_shows_the_revocation(licensing_officer):
    driver = make_driver()
    licence = make_licence(registration="TX11 CCC", driver=driver)
    licence_act(
        driver=driver,
        kind="revoke",
        reason="Safeguarding concern",
        effective_on=date.today(),
        user=licensing_officer,
    )
    licence.refresh_from_db()
    check = taxi_check_log(
        officer=licensing_officer,
        vehicle=licence,
        outcome="revoked_in_use",
        occurred_at=timezone.now(),
        location=factories.make_location(category="taxi_rank"),
    )
    assert check.status_when_checked == "revoked"
    assert check.action.outcome == "breaches_found"


def test_a_check_names_a_vehicle_or_a_driver(licensing_officer):
    with pytest.raises(ValidationError):
        taxi_check_log(
            officer=licensing_officer,
            outcome="compliant",
            occurred_at=timezone.now(),
            location=factories.make_location(category="taxi_rank"),
        )
    assert not DisruptionAction.objects.exists()
    # And the database holds to it whatever writes.
    action = factories.make_action(
        location=factories.make_location(category="taxi_rank"),
        officer=factories.make_user(ANALYST),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        TaxiCheck.objects.create(action=action, outcome="compliant")
