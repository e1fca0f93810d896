"""The link chart shows a licensed vehicle's driver and operator."""

import pytest

from people.models import Vehicle
from tests import factories

from .conftest import make_driver, make_licence, make_operator

pytestmark = pytest.mark.django_db

GRAPH = "/api/v1/links/graph/"


@pytest.fixture
def licensed_car():
    factories.make_record(vehicle_marks=["LC11 ART"])
    driver = make_driver(
        name="Chart Driver Name",
        operator=make_operator(name="Chart Cars"),
        dbs_issued_on=None,
        dbs_last_checked_on=None,
    )
    licence = make_licence(registration="LC11 ART", driver=driver)
    return Vehicle.objects.get(registration="LC11ART"), licence


def test_the_vehicle_brings_its_driver_and_operator(client_for, analyst, licensed_car):
    vehicle, licence = licensed_car
    body = client_for(analyst).get(GRAPH, {"centre": f"vehicle:{vehicle.pk}"}).json()
    nodes = {n["id"]: n for n in body["nodes"]}
    driver = nodes[f"driver:{licence.driver_id}"]
    assert driver["label"] == f"{licence.driver.licence_number} Chart Driver Name"
    assert "not compliant" in driver["kind"]
    operator = nodes[f"operator:{licence.driver.operator_id}"]
    assert operator["label"] == "Chart Cars"
    kinds = {(e["type"], e["source"], e["target"]) for e in body["edges"]}
    assert ("licensed_driver", f"vehicle:{vehicle.pk}", driver["id"]) in kinds
    assert ("operates", operator["id"], driver["id"]) in kinds


def test_a_tasking_officer_sees_the_licence_number_not_the_name(
    client_for, tasking_officer, licensed_car
):
    vehicle, licence = licensed_car
    body = client_for(tasking_officer).get(GRAPH, {"centre": f"vehicle:{vehicle.pk}"})
    assert licence.driver.licence_number in body.content.decode()
    assert "Chart Driver Name" not in body.content.decode()
