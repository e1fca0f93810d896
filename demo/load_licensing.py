"""The demo city's licensing register: operators at the private-hire bases,
drivers (some not compliant, some due), their licensed vehicles (a few of
them cars the demo records already name) and the council's staff and
councillors' DBS and training register. Seeded: the same city each time."""

import random
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from licensing.models import (
    Driver,
    LicenceAction,
    LicensedVehicle,
    LicensingPrompt,
    Operator,
    StaffMember,
    TaxiCheck,
)
from locations.models import Location
from people.models import Link, LinkType, MarkFormat, Vehicle
from people.registration import registration_format

from . import names

DRIVERS = 120
# Cleared before a reload, in this order (protected keys).
LICENSING_MODELS = (
    LicensingPrompt,
    TaxiCheck,
    LicenceAction,
    LicensedVehicle,
    Driver,
    Operator,
    StaffMember,
)
# Prompts waiting for the licensing officer when the demo starts.
PROMPTS = 3
# Of the licensed cars, how many are cars the records already name.
KNOWN_CARS = 10


def _mark(rng: random.Random) -> str:
    letters = "ABCDEFGHJKLMNOPRSTUVWXYZ"
    return (
        "".join(rng.choice(letters) for _ in range(2))
        + f"{rng.choice([15, 16, 18, 19, 21, 22, 23, 24, 25]):02d}"
        + "".join(rng.choice(letters) for _ in range(3))
    )


def _compliance_dates(rng: random.Random, today: date, *, issued: date) -> dict:
    """Mostly in date; about one in six not compliant, one in twelve due."""
    roll = rng.random()
    dbs_issued = issued - timedelta(days=rng.randint(5, 40))
    last_check = today - timedelta(days=rng.randint(5, 150))
    trained = issued + timedelta(days=rng.randint(0, 30))
    refresher = trained + relativedelta(years=3)
    dates = {
        "dbs_issued_on": dbs_issued,
        "dbs_certificate_number": f"00{rng.randint(10**9, 10**10 - 1)}",
        "dbs_update_service": True,
        "dbs_last_checked_on": max(last_check, dbs_issued),
        "training_course": "CSE awareness for drivers",
        "training_provider": "City Council licensing team",
        "training_completed_on": trained,
        "training_refresher_due": refresher,
    }
    if roll < 0.05:
        dates.update(
            dbs_issued_on=None, dbs_certificate_number="", dbs_last_checked_on=None
        )
    elif roll < 0.11:
        dates["dbs_last_checked_on"] = today - timedelta(days=rng.randint(200, 400))
    elif roll < 0.17:
        dates.update(
            training_completed_on=None,
            training_course="",
            training_provider="",
            training_refresher_due=None,
        )
    elif roll < 0.25:
        dates["dbs_last_checked_on"] = (
            today - relativedelta(months=6) + timedelta(days=rng.randint(3, 25))
        )
    if dates["dbs_issued_on"] and dates["dbs_last_checked_on"]:
        dates["dbs_last_checked_on"] = max(
            dates["dbs_last_checked_on"], dates["dbs_issued_on"]
        )
    return dates


def licensing_load(*, seed: int, today: date, officer) -> dict[str, int]:
    rng = random.Random(seed * 7919 + 17)
    bases = list(
        Location.objects.filter(category="private_hire_base", source="demo").order_by(
            "id"
        )
    )
    operators = Operator.objects.bulk_create(
        [
            Operator(
                licence_number=f"PHO/{i + 1:03d}",
                name=base.name,
                base=base,
                expires_on=today + timedelta(days=rng.randint(60, 900)),
            )
            for i, base in enumerate(bases)
        ]
    )
    drivers = []
    for i in range(DRIVERS):
        issued = today - timedelta(days=rng.randint(30, 1000))
        kind = rng.choices(["private_hire", "hackney", "dual"], [6, 3, 1])[0]
        drivers.append(
            Driver(
                licence_number=f"DL/{i + 1:05d}",
                name=f"{rng.choice(names.DRIVER_FIRST)} {rng.choice(names.DRIVER_LAST)}",
                licence_type=kind,
                issued_on=issued,
                expires_on=issued + relativedelta(years=3),
                operator=rng.choice(operators)
                if operators and kind != "hackney"
                else None,
                officer=officer,
                conditions=rng.choice(["", "", "", "Wheelchair accessible vehicle"]),
                **_compliance_dates(rng, today, issued=issued),
            )
        )
    drivers = Driver.objects.bulk_create(drivers)
    # Cars the records already name: the first few valid marks among them.
    known = list(
        Vehicle.objects.exclude(mark_format=MarkFormat.UNVALIDATED)
        .filter(links__record__isnull=False)
        .distinct()
        .order_by("registration")[:KNOWN_CARS]
    )
    new_marks = set()
    while len(new_marks) < len(drivers) - len(known):
        mark = _mark(rng)
        if not Vehicle.objects.filter(registration=mark).exists():
            new_marks.add(mark)
    new = Vehicle.objects.bulk_create(
        [
            Vehicle(
                registration=m,
                mark_format=registration_format(m),
                make=(model := rng.choice(names.CAR_MODELS))[0],
                model=model[1],
                colour=rng.choice(names.CAR_COLOURS),
            )
            for m in sorted(new_marks)
        ]
    )
    licences = []
    for n, (driver, vehicle) in enumerate(zip(drivers, known + new, strict=False)):
        plate_kind = "hackney" if driver.licence_type == "hackney" else "private_hire"
        plate = f"{'HC' if plate_kind == 'hackney' else 'PH'} {n + 1:04d}"
        vehicle.plate_kind, vehicle.plate_number = plate_kind, plate
        if not vehicle.make:
            vehicle.make, vehicle.model = rng.choice(names.CAR_MODELS)
            vehicle.colour = rng.choice(names.CAR_COLOURS)
        licences.append(
            LicensedVehicle(
                vehicle=vehicle,
                plate_number=plate,
                licence_type=plate_kind,
                plate_expires_on=today + timedelta(days=rng.randint(20, 365)),
                driver=driver,
                operator=driver.operator,
                officer=officer,
            )
        )
    Vehicle.objects.bulk_update(
        [lv.vehicle for lv in licences],
        ["plate_kind", "plate_number", "make", "model", "colour"],
    )
    licences = LicensedVehicle.objects.bulk_create(licences)
    # The officer's prompts for the latest records that name a licensed car,
    # as the trigger writes them for records written from now on.
    mentions = (
        Link.objects.filter(
            link_type=LinkType.MENTIONS,
            vehicle_id__in=[lv.vehicle_id for lv in licences],
        )
        .order_by("-record__occurred_from")
        .values_list("vehicle_id", "record_id")[:PROMPTS]
    )
    by_vehicle = {lv.vehicle_id: lv for lv in licences}
    LicensingPrompt.objects.bulk_create(
        [
            LicensingPrompt(
                officer=officer, licensed_vehicle=by_vehicle[v], record_id=r
            )
            for v, r in mentions
        ],
        ignore_conflicts=True,
    )
    staff = []
    for i in range(48):
        councillor = i >= 40
        needs = councillor or rng.random() < 0.7
        issued = today - timedelta(days=rng.randint(30, 1300))
        dates = _compliance_dates(rng, today, issued=issued)
        if rng.random() < 0.5:
            dates.update(dbs_update_service=False, dbs_last_checked_on=None)
        staff.append(
            StaffMember(
                reference=f"{'M' if councillor else 'E'}-{i + 1:04d}",
                name=f"{rng.choice(names.DRIVER_FIRST)} {rng.choice(names.DRIVER_LAST)}",
                kind="councillor" if councillor else "staff",
                directorate=rng.choice(names.WARDS)
                if councillor
                else rng.choice(names.DIRECTORATES),
                role="Councillor"
                if councillor
                else rng.choice(
                    [
                        "Social worker",
                        "Licensing officer",
                        "Housing officer",
                        "Youth worker",
                        "Manager",
                    ]
                ),
                needs_enhanced_dbs=needs,
                **dates,
            )
        )
    StaffMember.objects.bulk_create(staff)
    return {
        "operators": len(operators),
        "drivers": len(drivers),
        "licensed vehicles": len(licences),
        "licensed cars named in records": len(known),
        "staff and councillors": len(staff),
    }
