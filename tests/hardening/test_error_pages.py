"""Errors answer with the site's own pages: no stack trace, no settings."""

import pytest
from django.urls import include, path

from tests import factories

pytestmark = pytest.mark.django_db


def _explode(request):
    raise RuntimeError("secret internals: SELECT * FROM intelligence")


urlpatterns = [
    path("boom/", _explode),
    path("api/v1/boom/", _explode),
    path("", include("intel_map.urls")),
]
handler500 = "common.errors.server_error"


@pytest.fixture
def crash_client(client, settings, analyst):
    settings.ROOT_URLCONF = __name__
    client.raise_request_exception = False
    client.force_login(analyst)
    return client


def test_a_crash_shows_a_generic_page(crash_client):
    response = crash_client.get("/boom/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong" in page
    for leak in ("secret internals", "Traceback", "RuntimeError", "SECRET_KEY"):
        assert leak not in page


def test_an_api_crash_answers_json(crash_client):
    response = crash_client.get("/api/v1/boom/")
    assert response.status_code == 500
    assert response.json() == {
        "detail": "Something went wrong on the server; it has been logged."
    }


def test_not_found_is_the_site_page(client, analyst):
    client.force_login(analyst)
    factories.justify(client)
    response = client.get("/locations/999999999/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Nothing here" in page
    assert "Back to your home page" in page
    assert "Page not found" not in page  # Django's technical page


def test_forbidden_is_the_site_page(client, licensing_officer):
    client.force_login(licensing_officer)
    response = client.get("/analysis/meetings/")
    assert response.status_code == 403
    assert "Your role cannot open this page" in response.content.decode()


def test_bad_request_is_the_site_page(client, analyst, settings):
    client.force_login(analyst)
    response = client.get("/", HTTP_HOST="not-allowed.example")
    assert response.status_code == 400
    assert "could not be understood" in response.content.decode()


def test_csrf_failure_is_the_site_page(analyst):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(analyst)
    response = strict.post("/accounts/logout/")
    assert response.status_code == 403
    assert "The form had expired" in response.content.decode()
