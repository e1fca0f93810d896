"""Sessions end after the idle limit and, whatever the user does, after the
absolute limit; the sign-in page says why."""

import time

import pytest
from django.contrib.auth import SESSION_KEY

from accounts.middleware import LAST_SEEN, SIGNED_IN_AT

pytestmark = pytest.mark.django_db


def _age(client, *, signed_in_s: float, idle_s: float) -> None:
    session = client.session
    now = time.time()
    session[SIGNED_IN_AT] = now - signed_in_s
    session[LAST_SEEN] = now - idle_s
    session.save()


def test_signing_in_stamps_the_session(client, analyst):
    before = time.time()
    client.force_login(analyst)
    assert client.session[SIGNED_IN_AT] >= before
    assert client.session[LAST_SEEN] >= before


def test_an_active_session_carries_on_and_records_activity(client, analyst):
    client.force_login(analyst)
    _age(client, signed_in_s=3600, idle_s=29 * 60)
    assert client.get("/").status_code == 200
    assert time.time() - client.session[LAST_SEEN] < 5
    # Within a minute of the last write, the session is not written again.
    _age(client, signed_in_s=3600, idle_s=10)
    seen = client.session[LAST_SEEN]
    client.get("/")
    assert client.session[LAST_SEEN] == seen


def test_idle_limit_signs_out_with_a_reason(client, analyst, settings):
    client.force_login(analyst)
    _age(client, signed_in_s=3600, idle_s=settings.SESSION_IDLE_TIMEOUT.seconds + 1)
    response = client.get("/analysis/clocks/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert SESSION_KEY not in client.session
    page = client.get(response["Location"]).content.decode()
    assert "signed out after 30 minutes without activity" in page
    # Said once.
    assert "without activity" not in client.get("/accounts/login/").content.decode()


def test_absolute_limit_signs_out_however_active(client, analyst, settings):
    client.force_login(analyst)
    limit = settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds()
    _age(client, signed_in_s=limit + 1, idle_s=1)
    assert client.get("/").status_code == 302
    page = client.get("/accounts/login/").content.decode()
    assert "signed out 12 hours after signing in" in page


def test_the_api_refuses_an_expired_session(client, analyst, settings):
    client.force_login(analyst)
    _age(client, signed_in_s=3600, idle_s=settings.SESSION_IDLE_TIMEOUT.seconds + 1)
    assert client.get("/api/v1/locations/").status_code == 403


def test_limits_come_from_settings(client, analyst, settings):
    from datetime import timedelta

    settings.SESSION_IDLE_TIMEOUT = timedelta(minutes=5)
    client.force_login(analyst)
    _age(client, signed_in_s=600, idle_s=6 * 60)
    assert client.get("/").status_code == 302


def test_the_stored_session_expires_with_the_idle_limit(client, analyst, settings):
    client.force_login(analyst)
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_IDLE_TIMEOUT.seconds
