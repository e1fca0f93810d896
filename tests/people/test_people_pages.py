"""The subject and vehicle pages, registers and the "Linked people and
vehicles" panels: who sees whom, and what is logged."""

import pytest

from audit.models import AccessLogEntry
from people.admin import VehicleForm
from people.models import SubjectConsultation
from tests import factories

pytestmark = pytest.mark.django_db


def _signed_in(client, user):
    client.force_login(user)
    factories.justify(client)
    return client


def test_subject_page_is_a_logged_consultation(client, analyst, scene):
    page = _signed_in(client, analyst).get(f"/people/subjects/{scene.poi.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert scene.poi.reference in text and "Grand Hotel" in text
    assert "AB12CDE" in text
    consultation = SubjectConsultation.objects.order_by("-id").first()
    assert scene.poi.pk in consultation.subject_ids
    assert consultation.vehicle_ids == [scene.car.pk]
    entry = AccessLogEntry.objects.get(pk=consultation.entry_id)
    assert set(entry.record_ids) == {scene.r1.pk, scene.r2.pk}


def test_location_panel_lists_people_for_cleared_roles_only(
    client, analyst, tasking_officer, licensing_officer, scene
):
    url = f"/locations/{scene.hotel_a.pk}/"
    analyst_page = _signed_in(client, analyst).get(url).content.decode()
    assert scene.poi.reference in analyst_page
    assert f"/links/?centre=location%3A{scene.hotel_a.pk}" in analyst_page
    licensing_page = _signed_in(client, licensing_officer).get(url).content.decode()
    assert scene.poi.reference not in licensing_page
    assert "AB12CDE" not in licensing_page
    assert 'id="linked-counts"' in licensing_page
    assert "&lt;3" in licensing_page


def test_tasking_officer_is_told_only_that_a_young_person_is_linked(
    client, tasking_officer, scene
):
    text = (
        _signed_in(client, tasking_officer)
        .get(f"/locations/{scene.home.pk}/")
        .content.decode()
    )
    assert scene.young.reference not in text
    assert "A young person at risk is linked here" in text
    vehicle = client.get(f"/people/vehicles/{scene.car.pk}/").content.decode()
    assert scene.young.reference not in vehicle
    assert client.get(f"/people/subjects/{scene.young.pk}/").status_code == 404


def test_record_panel_shows_what_the_record_mentions(client, analyst, scene):
    text = _signed_in(client, analyst).get(f"/intelligence/{scene.r1.pk}/")
    assert text.status_code == 200
    body = text.content.decode()
    assert "AB12CDE" in body and scene.poi.reference in body


def test_registers_search_and_refuse_counts_only_roles(
    client, analyst, licensing_officer, scene
):
    found = _signed_in(client, analyst).get("/people/subjects/", {"q": "grey coat"})
    assert scene.poi.reference in found.content.decode()
    assert scene.young.reference not in found.content.decode()
    cars = client.get("/people/vehicles/", {"q": "ab12"}).content.decode()
    assert "AB12CDE" in cars
    _signed_in(client, licensing_officer)
    assert client.get("/people/subjects/").status_code == 403
    assert client.get(f"/people/subjects/{scene.poi.pk}/").status_code == 404


def test_the_admin_normalises_and_checks_a_mark(db):
    good = VehicleForm(data={"registration": "ab12 cde", "colour": "Red"})
    assert good.is_valid()
    assert good.save().mark_format == "current"
    bad = VehicleForm(data={"registration": "NOT-A-CAR-!"})
    assert not bad.is_valid()
    assert "not a UK registration mark" in bad.errors["registration"][0]
