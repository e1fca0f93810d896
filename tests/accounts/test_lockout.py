"""Repeated failed sign-ins lock a username (django-axes, accounts/lockout.py):
from one address after AXES_FAILURE_LIMIT failures, from anywhere after
AXES_USERNAME_FAILURE_LIMIT; the lock lifts after the cool-off, an
administrator can lift it sooner, and both are in the audit."""

import re

import pytest
from axes.models import AccessAttempt
from django.utils import timezone

from accounts.models import SignInEvent, SignInEventKind
from tests import factories

pytestmark = pytest.mark.django_db


def _try(client, username, password, addr="10.0.0.1"):
    return client.post(
        "/accounts/login/",
        {"username": username, "password": password},
        REMOTE_ADDR=addr,
    )


def _fail(client, username, times, addr="10.0.0.1"):
    return [_try(client, username, "wrong password", addr) for _ in range(times)]


def test_failures_from_one_address_lock_it_with_a_message(client, analyst, settings):
    for response in _fail(client, analyst.username, settings.AXES_FAILURE_LIMIT - 1):
        assert response.status_code == 200
        assert "Please enter a correct username" in response.content.decode()
    locked = _try(client, analyst.username, "wrong password")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Too many failed sign-ins with this username" in page
    assert "paused for 30 minutes after the last failed attempt" in page
    last = AccessAttempt.objects.get(username=analyst.username).attempt_time
    ends = timezone.localtime(last + settings.AXES_COOLOFF_TIME)
    assert f"Try again after {ends:%H:%M}" in page
    assert 'id="id_username"' in page  # still the sign-in page

    # Now even the right password is refused from that address...
    right = _try(client, analyst.username, factories.TEST_PASSWORD)
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session
    # ...but the user signs in from another one (a colleague's typing
    # does not lock the office behind one NAT address).
    elsewhere = _try(client, analyst.username, factories.TEST_PASSWORD, "10.9.9.9")
    assert elsewhere.status_code == 302


def test_failures_from_many_addresses_lock_the_username(client, analyst, settings):
    limit = settings.AXES_USERNAME_FAILURE_LIMIT
    assert limit > settings.AXES_FAILURE_LIMIT
    # Below each address's limit, rotating addresses.
    per_address = settings.AXES_FAILURE_LIMIT - 1
    for i in range(limit - 1):
        response = _try(client, analyst.username, "wrong", f"10.1.{i // per_address}.1")
        assert response.status_code == 200, i
    locked = _try(client, analyst.username, "wrong", "10.2.0.1")
    assert locked.status_code == 429
    # Locked from everywhere, a fresh address included.
    fresh = _try(client, analyst.username, factories.TEST_PASSWORD, "10.3.0.1")
    assert fresh.status_code == 429
    event = SignInEvent.objects.get(username=analyst.username)
    assert event.kind == SignInEventKind.LOCKED
    assert event.detail == "Locked: username"


def test_one_address_failing_for_others_locks_no_one_else(client, users, settings):
    """An office behind one address: failures spread over its users lock no
    one who has not failed, and no address as a whole."""
    names = [u.username for u in users.values()]
    for name in names[:-1]:
        _fail(client, name, settings.AXES_FAILURE_LIMIT - 1, addr="10.0.0.7")
    ok = _try(client, names[-1], factories.TEST_PASSWORD, addr="10.0.0.7")
    assert ok.status_code == 302


def test_the_page_does_not_say_whether_the_username_exists(client, analyst, settings):
    def locked_page(username, addr):
        _fail(client, username, settings.AXES_FAILURE_LIMIT - 1, addr)
        page = _try(client, username, "wrong password", addr)
        assert page.status_code == 429
        text = page.content.decode().replace(username, "NAME")
        text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text)
        return re.sub(r"after \d\d:\d\d", "after HH:MM", text)

    assert locked_page(analyst.username, "10.0.0.1") == locked_page(
        "nobody-by-this-name", "10.0.0.2"
    )
    assert SignInEvent.objects.filter(username="nobody-by-this-name").count() == 1


def test_a_success_before_the_limit_clears_the_count(client, analyst, settings):
    _fail(client, analyst.username, settings.AXES_FAILURE_LIMIT - 1)
    assert _try(client, analyst.username, factories.TEST_PASSWORD).status_code == 302
    client.post("/accounts/logout/")
    assert not AccessAttempt.objects.filter(username=analyst.username).exists()
    assert _try(client, analyst.username, "wrong password").status_code == 200


def test_the_lock_lifts_after_the_cool_off(client, analyst, settings):
    _fail(client, analyst.username, settings.AXES_FAILURE_LIMIT)
    assert _try(client, analyst.username, factories.TEST_PASSWORD).status_code == 429
    # Refused attempts while locked do not extend it: the cool-off runs from
    # the last failure that counted.
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME
    )
    assert _try(client, analyst.username, factories.TEST_PASSWORD).status_code == 302


def test_each_lockout_is_audited_once(client, analyst, settings):
    _fail(client, analyst.username, settings.AXES_FAILURE_LIMIT + 2, addr="10.4.0.1")
    events = list(SignInEvent.objects.filter(username=analyst.username))
    assert len(events) == 1
    assert events[0].kind == SignInEventKind.LOCKED
    assert events[0].detail == "Locked: username and address"
    assert events[0].ip == "10.4.0.1"


def test_an_administrator_unlocks_in_the_admin_and_it_is_audited(
    client, analyst, admin_user, settings
):
    attacker = factories.make_user("Analyst")
    _fail(client, analyst.username, settings.AXES_FAILURE_LIMIT)
    assert _try(client, analyst.username, factories.TEST_PASSWORD).status_code == 429

    admin = type(client)()
    admin.force_login(admin_user)
    changelist = admin.get("/admin/auth/user/")
    assert "Unlock sign-in" in changelist.content.decode()
    response = admin.post(
        "/admin/auth/user/",
        {"action": "unlock_sign_in", "_selected_action": [analyst.pk]},
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username=analyst.username).exists()
    unlock = SignInEvent.objects.get(kind=SignInEventKind.UNLOCKED)
    assert unlock.username == analyst.username
    assert unlock.by == admin_user
    assert _try(client, analyst.username, factories.TEST_PASSWORD).status_code == 302

    # Anyone else cannot.
    other = type(client)()
    other.force_login(attacker)
    refused = other.post(
        "/admin/auth/user/",
        {"action": "unlock_sign_in", "_selected_action": [analyst.pk]},
    )
    assert refused.status_code == 302
    assert refused["Location"].startswith("/admin/login/")
    assert SignInEvent.objects.filter(kind=SignInEventKind.UNLOCKED).count() == 1


def test_failed_sign_ins_list_unlocks_by_username(
    client, analyst, admin_user, settings
):
    _fail(client, analyst.username, settings.AXES_FAILURE_LIMIT, addr="10.5.0.1")
    admin = type(client)()
    admin.force_login(admin_user)
    attempt = AccessAttempt.objects.get(username=analyst.username)
    response = admin.post(
        "/admin/axes/accessattempt/",
        {"action": "unlock", "_selected_action": [attempt.pk]},
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    assert SignInEvent.objects.filter(
        kind=SignInEventKind.UNLOCKED, username=analyst.username, by=admin_user
    ).exists()
    # The attempts are never deleted without that record.
    path = f"/admin/axes/accessattempt/{attempt.pk}/delete/"
    assert admin.get(path).status_code in (403, 404)


def test_lockouts_and_unlocks_are_append_only(client, analyst, settings):
    from django.db import connection, transaction
    from django.db.utils import DatabaseError

    _fail(client, analyst.username, settings.AXES_FAILURE_LIMIT)
    event = SignInEvent.objects.get()
    for sql in (
        "UPDATE accounts_signinevent SET username = 'x'",
        "DELETE FROM accounts_signinevent",
    ):
        with pytest.raises(DatabaseError), transaction.atomic():
            with connection.cursor() as cur:
                cur.execute(sql)
    event.refresh_from_db()
    assert event.username == analyst.username
