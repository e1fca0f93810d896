import csv
import io
from datetime import date, timedelta
from pathlib import Path

import pytest

from accounts.roles import LICENSING_OFFICER
from licensing.models import Driver, LicensedVehicle, Operator
from people.services import vehicle_get_or_create
from tests import factories

SAMPLES = Path(__file__).resolve().parents[2] / "fixtures" / "licensing"
HEADER = (SAMPLES / "sample_register.csv").read_text().splitlines()[0].split(",")


def days(n: int) -> date:
    return date.today() + timedelta(days=n)


def uk(d: date | None) -> str:
    return d.strftime("%d/%m/%Y") if d else ""


def register_row(n: int, **over) -> dict:
    """One row of a register laid out as the sample is, compliant unless
    told otherwise."""
    row = {
        "Driver Licence No": f"DL/T{n:05d}",
        "Driver Name": f"Test Driver {n}",
        "Licence Type": "Private Hire",
        "Licence Status": "Current",
        "Licence Issued": uk(days(-300)),
        "Licence Expires": uk(days(700)),
        "Conditions": "",
        "DBS Issue Date": uk(days(-300)),
        "DBS Certificate No": f"0012{n:08d}",
        "DBS Update Service": "Yes",
        "DBS Last Status Check": uk(days(-20)),
        "Safeguarding Course": "CSE awareness",
        "Course Provider": "Council",
        "Safeguarding Completed": uk(days(-290)),
        "Refresher Due": uk(days(800)),
        "Operator Licence No": "PHO/T1",
        "Operator Name": "Test Cars",
        "Operator Base Postcode": "",
        "Vehicle Plate No": f"PH T{n}",
        "Vehicle Registration": f"TE{10 + n % 80:02d} {chr(65 + n % 26)}{chr(65 + n // 26 % 26)}{chr(65 + n // 676 % 26)}",
        "Make": "Toyota",
        "Model": "Prius",
        "Colour": "Silver",
        "Plate Expires": uk(days(200)),
    }
    row.update(over)
    return row


def register_csv(rows: list[dict], path: Path) -> Path:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=HEADER)
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buf.getvalue())
    return path


@pytest.fixture
def licensing_officer(db):
    return factories.make_user(LICENSING_OFFICER, email="lic@example.org")


def make_driver(**kwargs) -> Driver:
    n = Driver.objects.count() + 1
    defaults = {
        "licence_number": f"DL/F{n:04d}",
        "name": f"Fixture Driver {n}",
        "licence_type": "private_hire",
        "issued_on": days(-300),
        "expires_on": days(700),
        "dbs_issued_on": days(-300),
        "dbs_update_service": True,
        "dbs_last_checked_on": days(-20),
        "training_completed_on": days(-290),
        "training_refresher_due": days(800),
    }
    return Driver.objects.create(**{**defaults, **kwargs})


def make_licence(*, registration: str, driver=None, **kwargs) -> LicensedVehicle:
    vehicle, _ = vehicle_get_or_create(registration=registration)
    n = LicensedVehicle.objects.count() + 1
    defaults = {
        "plate_number": f"PH F{n}",
        "licence_type": "private_hire",
        "plate_expires_on": days(200),
        "driver": driver,
    }
    return LicensedVehicle.objects.create(vehicle=vehicle, **{**defaults, **kwargs})


def make_operator(**kwargs) -> Operator:
    n = Operator.objects.count() + 1
    return Operator.objects.create(
        **{"licence_number": f"PHO/F{n}", "name": f"Fixture Cars {n}", **kwargs}
    )
