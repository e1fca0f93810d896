"""What licensing changes elsewhere: the record and vehicle pages show a
licensed mark's licence to cleared roles, and the officer who holds the
licence is prompted, without record content."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.roles import ANALYST, TASKING_OFFICER
from audit.models import AccessLogEntry
from licensing.models import LicensingPrompt
from people.models import Vehicle
from tests import factories

from .conftest import make_driver, make_licence, make_operator

pytestmark = pytest.mark.django_db

SUMMARY = "Girl seen getting into a silver Prius with two older men"


@pytest.fixture
def licensed(licensing_officer):
    driver = make_driver(
        name="Prompted Driver Name",
        dbs_issued_on=None,
        dbs_last_checked_on=None,
        operator=make_operator(name="Prompt Cars"),
    )
    return make_licence(
        registration="PR11 OMT", driver=driver, officer=licensing_officer
    )


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    factories.justify(client)
    return client


def test_a_record_naming_a_licensed_mark_prompts_the_officer(
    licensed, licensing_officer
):
    record = factories.make_record(vehicle_marks=["pr11 omt"], summary=SUMMARY)
    prompt = LicensingPrompt.objects.get()
    assert (prompt.officer, prompt.licensed_vehicle, prompt.record_id) == (
        licensing_officer,
        licensed,
        record.pk,
    )
    # Written once per record, however often the record is saved.
    record.summary = SUMMARY + "."
    record.save()
    assert LicensingPrompt.objects.count() == 1


def test_the_prompt_shows_on_the_home_page_without_record_content(
    licensed, licensing_officer
):
    record = factories.make_record(vehicle_marks=["PR11OMT"], summary=SUMMARY)
    page = _client(licensing_officer).get(reverse("home")).content.decode()
    assert "New intelligence concerns a vehicle you license" in page
    assert "contact the police single point of contact" in page
    assert licensed.plate_number in page
    assert SUMMARY not in page
    assert record.reference not in page
    prompt = LicensingPrompt.objects.get()
    assert prompt.seen_at is not None


def test_an_unlicensed_mark_prompts_nobody(licensed):
    factories.make_record(vehicle_marks=["ZZ99 ZZZ"])
    assert not LicensingPrompt.objects.exists()


def test_the_analysts_record_page_shows_the_licence_and_compliance(licensed):
    record = factories.make_record(vehicle_marks=["PR11 OMT"])
    analyst = factories.make_user(ANALYST)
    response = _client(analyst).get(record.get_absolute_url())
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="record-licences"' in page
    assert licensed.plate_number in page
    assert licensed.driver.licence_number in page
    assert "Not compliant" in page
    assert "no enhanced DBS certificate" in page
    assert "Prompt Cars" in page
    # Analysts see drivers' names; the consultation is logged with them.
    assert "Prompted Driver Name" in page
    entry = AccessLogEntry.objects.filter(
        what__startswith="Record page: licences"
    ).get()
    assert entry.params["driver_ids"] == [licensed.driver_id]


def test_a_tasking_officer_sees_the_licence_but_not_the_name(licensed):
    record = factories.make_record(vehicle_marks=["PR11 OMT"])
    page = (
        _client(factories.make_user(TASKING_OFFICER))
        .get(record.get_absolute_url())
        .content.decode()
    )
    assert licensed.driver.licence_number in page
    assert "Prompted Driver Name" not in page


def test_the_vehicle_page_shows_the_licence(licensed):
    factories.make_record(vehicle_marks=["PR11 OMT"])
    vehicle = Vehicle.objects.get(registration="PR11OMT")
    page = (
        _client(factories.make_user(ANALYST))
        .get(vehicle.get_absolute_url())
        .content.decode()
    )
    assert licensed.plate_number in page
    assert "Not compliant" in page


def test_a_licensing_officer_cannot_open_the_record_from_the_prompt(
    licensed, licensing_officer
):
    record = factories.make_record(vehicle_marks=["PR11 OMT"], summary=SUMMARY)
    response = _client(licensing_officer).get(record.get_absolute_url())
    assert response.status_code == 404


def test_the_api_answers_a_marks_licence(licensed):
    analyst = factories.make_user(ANALYST)
    answer = _client(analyst).get(
        "/api/v1/licensing/licences/", {"registration": "pr11 omt"}
    )
    assert answer.status_code == 200
    (row,) = answer.json()
    assert row["plate_number"] == licensed.plate_number
    assert row["compliance"] == "not_compliant"
    assert row["driver_name"] == "Prompted Driver Name"
    assert row["operator"] == "Prompt Cars"
    tasking = _client(factories.make_user(TASKING_OFFICER)).get(
        "/api/v1/licensing/licences/", {"registration": "PR11OMT"}
    )
    assert "driver_name" not in tasking.json()[0]
    missing = _client(analyst).get("/api/v1/licensing/licences/")
    assert missing.status_code == 400
