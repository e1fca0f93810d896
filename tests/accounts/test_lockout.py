"""Repeated failed sign-ins lock the username out for a while (django-axes)."""

import pytest
from axes.models import AccessAttempt

from tests import factories

pytestmark = pytest.mark.django_db


def _try(client, username, password, addr="10.0.0.1"):
    return client.post(
        "/accounts/login/",
        {"username": username, "password": password},
        REMOTE_ADDR=addr,
    )


def test_five_failures_lock_the_account_with_a_message(client, analyst, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = _try(client, analyst.username, "wrong password")
        assert response.status_code == 200
        assert "Please enter a correct username" in response.content.decode()
    locked = _try(client, analyst.username, "wrong password")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Too many failed sign-ins for this account" in page
    assert "30 minutes" in page
    assert 'id="id_username"' in page  # still the sign-in page

    # Now even the right password is refused, from another address too.
    right = _try(client, analyst.username, factories.TEST_PASSWORD, addr="10.9.9.9")
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session


def test_one_address_trying_many_accounts_is_locked(client, users, settings):
    names = [u.username for u in users.values()]
    for name in names[: settings.AXES_FAILURE_LIMIT]:
        _try(client, name, "Summer2026!", addr="10.0.0.7")
    spray = _try(client, names[-1], factories.TEST_PASSWORD, addr="10.0.0.7")
    assert spray.status_code == 429
    # Someone else, elsewhere, still signs in.
    ok = _try(client, names[-1], factories.TEST_PASSWORD, addr="10.0.0.8")
    assert ok.status_code == 302


def test_a_success_before_the_limit_clears_the_count(client, analyst, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _try(client, analyst.username, "wrong password")
    assert _try(client, analyst.username, factories.TEST_PASSWORD).status_code == 302
    client.post("/accounts/logout/")
    assert not AccessAttempt.objects.filter(username=analyst.username).exists()
    assert _try(client, analyst.username, "wrong password").status_code == 200


def test_the_lock_lifts_after_the_cool_off(client, analyst, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _try(client, analyst.username, "wrong password")
    assert _try(client, analyst.username, factories.TEST_PASSWORD).status_code == 429
    # Cool-off is counted from the last failure.
    from django.utils import timezone

    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME
    )
    assert _try(client, analyst.username, factories.TEST_PASSWORD).status_code == 302
