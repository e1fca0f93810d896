"""Every write of the licensing register, each in one transaction."""

from datetime import date, datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from disruption.models import ActionType, Outcome
from disruption.services import disruption_log
from locations.models import Location

from .models import (
    ACTION_STATUS,
    CheckOutcome,
    Driver,
    LicenceAction,
    LicensedVehicle,
    LicensingPrompt,
    PendingImport,
    TaxiCheck,
)

# A check's outcome against the licence, as the disruption action's outcome.
CHECK_OUTCOME_ACTION = {
    CheckOutcome.COMPLIANT: Outcome.COMPLIANT,
    CheckOutcome.BREACH: Outcome.BREACHES_FOUND,
    CheckOutcome.NOT_LICENSED: Outcome.BREACHES_FOUND,
    CheckOutcome.REVOKED_IN_USE: Outcome.BREACHES_FOUND,
    CheckOutcome.REFERRED: Outcome.REFERRAL_MADE,
}


@transaction.atomic
def licence_act(
    *,
    driver: Driver,
    kind: str,
    reason: str,
    effective_on: date,
    user: AbstractBaseUser,
) -> LicenceAction:
    """Suspend, revoke, refuse to renew or reinstate a driver's licence, with
    the reason, the date and who decided. The driver's vehicles follow: a
    revoked driver's car checked later shows the revocation."""
    driver = Driver.objects.select_for_update().get(pk=driver.pk)
    action = LicenceAction(
        driver=driver,
        kind=kind,
        reason=(reason or "").strip(),
        effective_on=effective_on,
        decided_by=user,
    )
    action.full_clean()
    action.save()
    status = ACTION_STATUS[kind]
    driver.status = status
    driver.full_clean()
    driver.save(update_fields=["status", "updated_at"])
    LicensedVehicle.objects.filter(driver=driver).update(
        status=status, updated_at=timezone.now()
    )
    return action


@transaction.atomic
def taxi_check_log(
    *,
    officer: AbstractBaseUser,
    outcome: str,
    occurred_at: datetime,
    location: Location,
    vehicle: LicensedVehicle | None = None,
    driver: Driver | None = None,
    notes: str = "",
) -> TaxiCheck:
    """A taxi or private-hire check, logged as a disruption action (its one
    home, disruption.services), naming the vehicle and driver checked and the
    outcome against the licence, with the licence's status at the check."""
    if vehicle is None and driver is None:
        raise ValidationError({"vehicle": "Name the vehicle or the driver checked."})
    if driver is None and vehicle is not None:
        driver = vehicle.driver
    if outcome not in CheckOutcome.values:
        raise ValidationError({"outcome": "Choose the check's outcome."})
    action = disruption_log(
        action_type=ActionType.VEHICLE_CHECK,
        outcome=CHECK_OUTCOME_ACTION[outcome],
        occurred_at=occurred_at,
        officer=officer,
        location=location,
        notes=notes,
    )
    status = (driver.status if driver is not None else "") or (
        vehicle.status if vehicle is not None else ""
    )
    check = TaxiCheck(
        action=action,
        vehicle=vehicle,
        driver=driver,
        outcome=outcome,
        status_when_checked=status,
    )
    check.full_clean()
    check.save()
    return check


@transaction.atomic
def prompt_dismiss(*, user: AbstractBaseUser, pk: int) -> int:
    now = timezone.now()
    return LicensingPrompt.objects.filter(
        officer=user, pk=pk, dismissed_at__isnull=True
    ).update(dismissed_at=now, seen_at=now)


@transaction.atomic
def prompt_mark_seen(*, user: AbstractBaseUser) -> int:
    """The home page showed the officer their prompts: when, for the log."""
    return LicensingPrompt.objects.filter(officer=user, seen_at__isnull=True).update(
        seen_at=timezone.now()
    )


@transaction.atomic
def pending_import_keep(
    *, user: AbstractBaseUser, file_name: str, content: bytes, column_map: dict
) -> PendingImport:
    """The officer's previewed file, replacing any earlier one of theirs."""
    PendingImport.objects.filter(user=user).delete()
    return PendingImport.objects.create(
        user=user, file_name=file_name[:200], content=content, column_map=column_map
    )


@transaction.atomic
def pending_import_take(*, user: AbstractBaseUser, pk: int) -> PendingImport | None:
    """The officer's previewed file, removed as it is taken (once only)."""
    pending = PendingImport.objects.select_for_update().filter(user=user, pk=pk).first()
    if pending is not None:
        pending.delete()
    return pending
