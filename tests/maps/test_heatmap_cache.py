"""Whole-city heat maps come from the shared cache, per role scope."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from tests import factories

pytestmark = pytest.mark.django_db

CITY = {"bbox": "-1.75,52.30,-1.25,52.50"}


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def _get(user, **params):
    client = APIClient()
    client.force_authenticate(user)
    return client.get("/api/v1/heatmap/", {**CITY, **params})


def test_whole_city_zoom_is_served_from_the_cache(analyst, location):
    factories.make_record()
    first = _get(analyst, zoom=11)
    second = _get(analyst, zoom=11)
    assert first.status_code == second.status_code == 200
    assert first["X-Cache"] == "miss"
    assert second["X-Cache"] == "hit"
    assert second.json() == first.json()


def test_a_new_record_shows_at_once(analyst, location):
    factories.make_record()
    before = _get(analyst, zoom=11).json()
    factories.make_record()
    after = _get(analyst, zoom=11)
    assert after["X-Cache"] == "miss"
    assert after.json()["records"] == before["records"] + 1


def test_roles_without_record_content_get_their_own_entry(
    analyst, licensing_officer, location
):
    factories.make_record()
    assert _get(analyst, zoom=11)["X-Cache"] == "miss"
    other = _get(licensing_officer, zoom=11)
    assert other["X-Cache"] == "miss"
    # One record is a small count: suppressed for this role, not for the analyst.
    assert other.json()["cells"] == []


def test_street_zooms_and_bad_input_are_not_cached(analyst, location):
    assert "X-Cache" not in _get(analyst, zoom=15)
    assert "X-Cache" not in _get(analyst, zoom=15)
    assert _get(analyst, zoom=11, since="nonsense").status_code == 400
    assert _get(analyst, zoom=11, since="nonsense").status_code == 400
