"""imports.services.licences and manage.py import_licences: a council's
register, all or nothing, idempotent, one car one row."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from imports.services.licences import (
    column_map_default,
    column_map_read,
    licences_import,
)
from imports.services.report import ImportFileError
from intelligence.models import IntelligenceRecord
from licensing.models import Driver, LicensedVehicle, Operator, StaffMember
from people.models import Vehicle
from tests import factories

from .conftest import SAMPLES, register_csv, register_row

pytestmark = pytest.mark.django_db


def _state():
    return (
        sorted(
            Driver.objects.values_list(
                "licence_number", "name", "status", "operator__licence_number"
            )
        ),
        sorted(
            LicensedVehicle.objects.values_list(
                "plate_number", "vehicle__registration", "driver__licence_number"
            )
        ),
        sorted(Operator.objects.values_list("licence_number", "name", "base_id")),
        Vehicle.objects.count(),
    )


def test_the_sample_register_imports_drivers_vehicles_and_operators():
    base = factories.make_location(
        name="Sample Cars Ltd", category="private_hire_base", postcode="ZZ1 1AA"
    )
    result = licences_import(path=SAMPLES / "sample_register.csv")
    assert not result.report.rejected
    assert Driver.objects.count() == 5
    assert LicensedVehicle.objects.count() == 4
    assert Operator.objects.count() == 2
    one = Driver.objects.get(licence_number="DL/0001")
    assert one.operator.licence_number == "PHO/001"
    assert one.operator.base == base
    assert one.licence_type == "private_hire"
    assert Driver.objects.get(licence_number="DL/0003").licence_type == "dual"
    assert Driver.objects.get(licence_number="DL/0005").status == "suspended"
    car = LicensedVehicle.objects.get(plate_number="PH 101")
    assert car.vehicle.registration == "ZZ25AAA"
    assert (car.vehicle.plate_kind, car.vehicle.plate_number) == (
        "private_hire",
        "PH 101",
    )
    assert car.driver == one
    assert result.report.created == 11


def test_importing_the_same_file_twice_changes_nothing():
    licences_import(path=SAMPLES / "sample_register.csv")
    before = _state()
    again = licences_import(path=SAMPLES / "sample_register.csv")
    assert (again.report.created, again.report.updated) == (0, 0)
    assert again.report.unchanged == 11
    assert _state() == before


def test_a_changed_row_updates_only_that_licence(tmp_path):
    rows = [register_row(n) for n in range(1, 4)]
    licences_import(path=register_csv(rows, tmp_path / "a.csv"))
    rows[1]["Licence Status"] = "Suspended"
    result = licences_import(path=register_csv(rows, tmp_path / "b.csv"))
    assert result.report.updated == 1
    assert Driver.objects.get(licence_number="DL/T00002").status == "suspended"


def test_a_licensed_car_already_in_intelligence_is_the_same_row(tmp_path):
    factories.make_record(vehicle_marks=["TE11 BAA"])
    existing = Vehicle.objects.get(registration="TE11BAA")
    row = register_row(1, **{"Vehicle Registration": "te11-baa"})
    licences_import(path=register_csv([row], tmp_path / "r.csv"))
    licence = LicensedVehicle.objects.get()
    assert licence.vehicle_id == existing.pk
    assert Vehicle.objects.filter(registration="TE11BAA").count() == 1
    existing.refresh_from_db()
    assert existing.make == "Toyota"


def test_a_file_with_a_bad_row_changes_nothing_and_names_row_and_column(tmp_path):
    licences_import(path=SAMPLES / "sample_register.csv")
    before = _state()
    rows = [register_row(n) for n in range(1, 6)]
    rows[2]["Licence Expires"] = "31/02/2027"
    rows[4]["Vehicle Registration"] = "NOT A MARK 99999"
    result = licences_import(path=register_csv(rows, tmp_path / "bad.csv"))
    where = [r.where for r in result.report.rejected]
    assert where == [
        "line 4, column “Licence Expires”",
        "line 6, column “Vehicle Registration”",
    ]
    assert "not a date" in result.report.rejected[0].reason
    assert "not a UK registration mark" in result.report.rejected[1].reason
    assert _state() == before
    assert not Driver.objects.filter(licence_number="DL/T00001").exists()


def test_a_missing_required_value_is_named(tmp_path):
    rows = [register_row(1, **{"Driver Name": ""})]
    result = licences_import(path=register_csv(rows, tmp_path / "r.csv"))
    assert [(r.where, r.reason) for r in result.report.rejected] == [
        ("line 2, column “Driver Name”", "the driver's name is missing")
    ]
    assert Driver.objects.count() == 0


def test_an_unknown_licence_type_says_what_is_allowed(tmp_path):
    rows = [register_row(1, **{"Licence Type": "Limousine"})]
    result = licences_import(path=register_csv(rows, tmp_path / "r.csv"))
    assert "“Limousine” is not one of dual, hackney, private_hire" in (
        result.report.rejected[0].reason
    )


def test_a_file_without_the_mapped_columns_is_refused(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("Name,Badge\nA,1\n")
    with pytest.raises(ImportFileError, match="the header has no column"):
        licences_import(path=path)


def test_a_column_map_in_json_renames_columns(tmp_path):
    cmap = column_map_default()
    columns = {k: v.upper() for k, v in cmap.columns.items()}
    text = json.dumps(
        {"register": "drivers", "columns": columns, "values": cmap.values}
    )
    renamed = column_map_read(text=text, name="map.json")
    rows = [{k.upper(): v for k, v in register_row(1).items()}]
    path = tmp_path / "upper.csv"
    header = ",".join(k.upper() for k in register_row(1))
    path.write_text(header + "\n" + ",".join(rows[0].values()) + "\n")
    result = licences_import(path=path, column_map=renamed)
    assert not result.report.rejected
    assert Driver.objects.get().name == "Test Driver 1"


def test_a_column_map_naming_an_unknown_field_is_refused():
    with pytest.raises(ImportFileError, match="driver.badge_colour"):
        column_map_read(
            text="columns:\n  driver.badge_colour: Badge\n", name="map.yaml"
        )


def test_the_staff_register_imports_through_its_map():
    cmap = column_map_read(
        text=(SAMPLES / "staff_map.yaml").read_text(), name="staff_map.yaml"
    )
    result = licences_import(path=SAMPLES / "sample_staff.csv", column_map=cmap)
    assert not result.report.rejected
    assert StaffMember.objects.count() == 4
    councillor = StaffMember.objects.get(reference="M-0001")
    assert (councillor.kind, councillor.directorate) == ("councillor", "Central ward")
    assert StaffMember.objects.get(reference="E-1003").needs_enhanced_dbs is False
    again = licences_import(path=SAMPLES / "sample_staff.csv", column_map=cmap)
    assert again.report.unchanged == 4


def test_the_command_reports_and_refuses_a_broken_file(tmp_path):
    out = StringIO()
    call_command("import_licences", str(SAMPLES / "sample_register.csv"), stdout=out)
    assert "created 11" in out.getvalue()
    rows = [register_row(1, **{"Licence Issued": "yesterday"})]
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command(
            "import_licences", str(register_csv(rows, tmp_path / "b.csv")), stdout=out
        )
    assert "line 2, column “Licence Issued”" in out.getvalue()
    assert IntelligenceRecord.objects.count() == 0


def test_text_with_tabs_newlines_and_backslashes_arrives_as_written(tmp_path):
    conditions = "Line one\ttabbed\nline two \\N not null \\ end"
    rows = [register_row(1, Conditions=conditions)]
    result = licences_import(path=register_csv(rows, tmp_path / "r.csv"))
    assert not result.report.rejected
    assert Driver.objects.get().conditions == conditions


def test_one_plate_given_to_two_cars_is_named(tmp_path):
    rows = [
        register_row(1),
        register_row(2, **{"Vehicle Plate No": "PH T1"}),
    ]
    result = licences_import(path=register_csv(rows, tmp_path / "r.csv"))
    assert [r.where for r in result.report.rejected] == [
        "line 3, column “Vehicle Plate No”"
    ]
    assert LicensedVehicle.objects.count() == 0
