"""GET /api/v1/vehicles/?q=: a vehicle by its mark, for the map's "find a
vehicle"; a logged consultation, 404 for roles that do not see vehicles,
400 for a query that holds no mark."""

import pytest

from audit.models import AccessLogEntry
from people.models import SubjectConsultation
from tests import factories

pytestmark = pytest.mark.django_db


def _api(client, user):
    client.force_login(user)
    factories.justify(client)
    return client


def test_a_mark_is_found_however_it_is_typed(client, analyst, scene):
    api = _api(client, analyst)
    for typed in ("AB12CDE", "ab12 cde", "ab12", "AB-12"):
        answer = api.get("/api/v1/vehicles/", {"q": typed})
        assert answer.status_code == 200, typed
        assert [v["registration"] for v in answer.json()] == ["AB12CDE"], typed
    first = api.get("/api/v1/vehicles/", {"q": "ab12"}).json()[0]
    assert first["id"] == scene.car.pk
    assert first["url"] == f"/people/vehicles/{scene.car.pk}/"
    assert api.get("/api/v1/vehicles/", {"q": "ZZ99"}).json() == []


def test_a_search_is_logged_with_the_vehicles_it_named(client, analyst, scene):
    _api(client, analyst).get("/api/v1/vehicles/", {"q": "AB12"})
    entry = AccessLogEntry.objects.get(what="Vehicle search")
    shown = SubjectConsultation.objects.get(entry_id=entry.pk)
    assert shown.vehicle_ids == [scene.car.pk]


def test_bad_queries_are_400_with_a_message(client, analyst, scene):
    api = _api(client, analyst)
    for params in ({}, {"q": ""}, {"q": " - "}, {"q": "A" * 30}):
        answer = api.get("/api/v1/vehicles/", params)
        assert answer.status_code == 400, params
        assert "q" in answer.json()


def test_roles_that_do_not_see_vehicles_get_404(
    client, licensing_officer, safety_officer, scene
):
    for user in (licensing_officer, safety_officer):
        answer = _api(client, user).get("/api/v1/vehicles/", {"q": "AB12"})
        assert answer.status_code == 404
        assert "AB12CDE" not in answer.content.decode()
