"""Every read of the licensing register, with compliance computed in SQL
(licensing.compliance) so lists filter, sort and count by it.

Who: drivers' names and the register are for licensing officers, analysts
and administrators (licensing.view_driver); a licence's number, plate,
operator and compliance beside a record also for tasking officers
(licensing.view_licence). The staff and councillors' register: licensing
officers and administrators (licensing.view_staffmember).
"""

from datetime import date, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from people.models import Link, LinkType

from .compliance import compliance_annotate
from .models import (
    Compliance,
    Driver,
    LicensedVehicle,
    LicensingPrompt,
    Operator,
    StaffMember,
    TaxiCheck,
)


def licensing_can_view(*, user: AbstractBaseUser) -> bool:
    return user.is_authenticated and user.has_perm("licensing.view_driver")


def licence_summary_can_view(*, user: AbstractBaseUser) -> bool:
    return user.is_authenticated and user.has_perm("licensing.view_licence")


def licensing_can_act(*, user: AbstractBaseUser) -> bool:
    return user.is_authenticated and user.has_perm("licensing.act_on_licence")


def licensing_can_import(*, user: AbstractBaseUser) -> bool:
    return user.is_authenticated and user.has_perm("licensing.import_licences")


def taxi_check_can_log(*, user: AbstractBaseUser) -> bool:
    return (
        user.is_authenticated
        and user.has_perm("licensing.add_taxicheck")
        and user.has_perm("disruption.add_disruptionaction")
    )


def staff_can_view(*, user: AbstractBaseUser) -> bool:
    return user.is_authenticated and user.has_perm("licensing.view_staffmember")


def driver_list(
    *,
    compliance: str = "",
    q: str = "",
    licence_type: str = "",
    operator_id: int | None = None,
    today: date | None = None,
) -> QuerySet[Driver]:
    qs = compliance_annotate(qs=Driver.objects.select_related("operator"), today=today)
    if compliance in Compliance.values:
        qs = qs.filter(compliance=compliance)
    if licence_type:
        qs = qs.filter(licence_type=licence_type)
    if operator_id:
        qs = qs.filter(operator_id=operator_id)
    if q:
        qs = qs.filter(
            Q(licence_number__icontains=q)
            | Q(name__icontains=q)
            | Q(vehicles__plate_number__icontains=q)
            | Q(vehicles__vehicle__registration=q.replace(" ", "").upper())
        ).distinct()
    return qs


def driver_get(*, pk: int) -> Driver:
    return driver_list().get(pk=pk)


def driver_compliance_counts(*, today: date | None = None) -> dict[str, int]:
    rows = (
        driver_list(today=today).order_by().values("compliance").annotate(n=Count("id"))
    )
    counts = {c: 0 for c in Compliance.values}
    counts.update({r["compliance"]: r["n"] for r in rows})
    return counts


def _with_driver_compliance(qs: QuerySet, *, today: date | None = None) -> QuerySet:
    return qs.select_related("vehicle", "operator", "operator__base").prefetch_related(
        Prefetch(
            "driver",
            queryset=compliance_annotate(
                qs=Driver.objects.select_related("operator", "operator__base"),
                today=today,
            ),
        )
    )


def licensed_vehicle_list(*, q: str = "") -> QuerySet[LicensedVehicle]:
    qs = _with_driver_compliance(LicensedVehicle.objects.all())
    if q:
        qs = qs.filter(
            Q(plate_number__icontains=q)
            | Q(vehicle__registration__icontains=q.replace(" ", "").upper())
        )
    return qs


def licensed_vehicle_get(*, pk: int) -> LicensedVehicle:
    return licensed_vehicle_list().get(pk=pk)


def licensed_vehicles_for_vehicle_ids(*, vehicle_ids) -> list[LicensedVehicle]:
    """The licences of these shared-table vehicles (a record's marks)."""
    return list(
        _with_driver_compliance(
            LicensedVehicle.objects.filter(vehicle_id__in=list(vehicle_ids))
        )
    )


def licensed_vehicles_for_record(*, record_id: int) -> list[LicensedVehicle]:
    """The licensed vehicles a record's marks name (its mention links)."""
    ids = Link.objects.filter(
        record_id=record_id, link_type=LinkType.MENTIONS, vehicle__isnull=False
    ).values_list("vehicle_id", flat=True)
    return licensed_vehicles_for_vehicle_ids(vehicle_ids=ids)


def operator_list() -> QuerySet[Operator]:
    return Operator.objects.select_related("base").annotate(
        driver_count=Count("drivers", distinct=True),
        vehicle_count=Count("vehicles", distinct=True),
    )


def staff_list(
    *, compliance: str = "", directorate: str = "", today: date | None = None
) -> QuerySet[StaffMember]:
    qs = compliance_annotate(
        qs=StaffMember.objects.all(),
        today=today,
        dbs_required=Q(needs_enhanced_dbs=True),
    )
    if compliance in Compliance.values:
        qs = qs.filter(compliance=compliance)
    if directorate:
        qs = qs.filter(directorate=directorate)
    return qs


def taxi_checks_for(
    *, driver: Driver | None = None, vehicle: LicensedVehicle | None = None
) -> QuerySet[TaxiCheck]:
    qs = TaxiCheck.objects.select_related(
        "action", "action__officer", "vehicle", "driver", "action__location"
    )
    if driver is not None:
        qs = qs.filter(Q(driver=driver) | Q(vehicle__driver=driver))
    if vehicle is not None:
        qs = qs.filter(vehicle=vehicle)
    return qs.order_by("-action__occurred_at")


def prompt_list_open(*, user: AbstractBaseUser) -> QuerySet[LicensingPrompt]:
    """The officer's prompts not yet dismissed: licences, never records."""
    if not user.is_authenticated:
        return LicensingPrompt.objects.none()
    return (
        LicensingPrompt.objects.filter(officer=user, dismissed_at__isnull=True)
        .select_related("licensed_vehicle", "licensed_vehicle__vehicle")
        .order_by("-created_at")
    )


def checks_due_within(*, days: int, today: date | None = None) -> QuerySet[Driver]:
    """Drivers with a check overdue or falling due within `days`: the daily
    email to licensing officers."""
    today = today or timezone.localdate()
    horizon = today + timedelta(days=days)
    return driver_list(today=today).filter(
        Q(compliance=Compliance.NOT_COMPLIANT) | Q(next_due__lte=horizon)
    )
