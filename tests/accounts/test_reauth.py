"""Exports ask for the password or the second factor again when neither was
given in the last 15 minutes (accounts/reauth.py), then carry on."""

import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.reauth import REAUTH_AT
from audit.models import AccessLogEntry
from tests import factories

pytestmark = pytest.mark.django_db

REGISTER = "/intelligence/"
EXPORT = {
    "grade": "3E",
    "_export": "csv",
    "justification": "Letter to the licensing panel about the hotel",
}


def _stale(client, minutes: float = 16) -> None:
    session = client.session
    session[REAUTH_AT] = time.time() - minutes * 60
    session.save()


def _signed_in(client, user, *, stale: bool = True):
    client.force_login(user)
    factories.justify(client)
    if stale:
        _stale(client)
    return client


def _code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def test_the_window_is_fifteen_minutes(settings, client, analyst, intel):
    assert settings.REAUTH_TIMEOUT.total_seconds() == 15 * 60
    _signed_in(client, analyst)
    _stale(client, minutes=14)
    assert client.get(REGISTER, EXPORT).status_code == 200
    _stale(client, minutes=15.1)
    assert client.get(REGISTER, EXPORT).status_code == 302


def test_signing_in_counts_as_having_given_it(client, analyst, intel):
    client.post(
        "/accounts/login/",
        {"username": analyst.username, "password": factories.TEST_PASSWORD},
    )
    factories.justify(client)
    response = client.get(REGISTER, EXPORT)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")


def test_a_stale_export_asks_for_the_password_and_comes_back(client, analyst, intel):
    _signed_in(client, analyst)
    asked = client.get(REGISTER, EXPORT)
    assert asked.status_code == 302
    confirm = asked["Location"]
    assert confirm.startswith("/accounts/confirm/?next=")
    back_to = parse_qs(urlsplit(confirm).query)["next"][0]
    assert parse_qs(urlsplit(back_to).query) == {k: [v] for k, v in EXPORT.items()}
    assert not AccessLogEntry.objects.filter(action="exported").exists()

    page = client.get(confirm)
    assert page.status_code == 200
    assert 'id="id_password"' in page.content.decode()
    wrong = client.post(confirm, {"password": "not it", "next": back_to})
    assert wrong.status_code == 400
    assert "That is not your password." in wrong.content.decode()

    right = client.post(confirm, {"password": factories.TEST_PASSWORD, "next": back_to})
    assert right.status_code == 302 and right["Location"] == back_to
    done = client.get(back_to)
    assert done.status_code == 200 and done["Content-Type"].startswith("text/csv")
    assert AccessLogEntry.objects.filter(action="exported").count() == 1


def test_with_an_authenticator_it_asks_for_the_code(client, analyst, intel):
    device = TOTPDevice.objects.create(user=analyst, name="phone", confirmed=True)
    _signed_in(client, analyst)
    confirm = client.get(REGISTER, EXPORT)["Location"]
    page = client.get(confirm).content.decode()
    assert "code from your authenticator app" in page
    assert 'id="id_password"' not in page
    back_to = parse_qs(urlsplit(confirm).query)["next"][0]
    wrong = f"{(int(_code(device)) + 500_000) % 1_000_000:06d}"
    assert client.post(confirm, {"token": wrong, "next": back_to}).status_code == 400
    # (django-otp makes the next try wait after a wrong code.)
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    right = client.post(confirm, {"token": _code(device), "next": back_to})
    assert right.status_code == 302 and right["Location"] == back_to
    assert client.get(back_to).status_code == 200


def test_the_confirmation_never_sends_you_off_site(client, analyst):
    _signed_in(client, analyst)
    response = client.post(
        "/accounts/confirm/",
        {"password": factories.TEST_PASSWORD, "next": "https://evil.example/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/"


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/intelligence/export/?justification=Letter+to+the+panel",
        "/api/v1/query/radius/?point=-1.5106,52.4081&radius=400&export=csv"
        "&justification=Letter+to+the+panel",
    ],
)
def test_an_api_export_answers_where_to_confirm(client, analyst, intel, url):
    _signed_in(client, analyst)
    refused = client.get(url, HTTP_REFERER="http://testserver/map/?period=90")
    assert refused.status_code == 403
    body = refused.json()
    assert "in the last 15 minutes" in body["detail"]
    assert body["reauthenticate"] == "/accounts/confirm/?next=%2Fmap%2F%3Fperiod%3D90"
    # The map confirms in place (JSON), then asks again.
    confirmed = client.post(
        "/accounts/confirm/",
        {"password": factories.TEST_PASSWORD},
        HTTP_ACCEPT="application/json",
    )
    assert confirmed.status_code == 200 and confirmed.json() == {"confirmed": True}
    assert client.get(url).status_code == 200


def test_a_token_never_exports(analyst, intel):
    from django.test import Client

    api = Client(HTTP_AUTHORIZATION=f"Token {factories.make_token(analyst)}")
    response = api.get("/api/v1/intelligence/export/?justification=Letter+to+panel")
    assert response.status_code == 403
    assert "not with an API token" in response.json()["detail"]


def test_the_other_exports_ask_too(client, admin_user, intel):
    from disruption.services import meeting_create

    _signed_in(client, admin_user)
    meeting = meeting_create(group="cse_mog", held_on=intel.occurred_from.date())
    for url in (
        f"/analysis/meetings/{meeting.pk}/briefing.pdf?justification=Tasking+meeting",
        "/analysis/reports/records-by-ward-month.csv",
        "/admin/audit/accesslogentry/export.csv",
        "/locations/?_export=geojson&justification=Premises+for+the+panel",
        "/disruption/actions/?_export=csv&justification=Actions+for+the+panel",
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/confirm/?next="), url


def test_a_wrong_password_counts_towards_the_lockout(client, analyst, settings):
    from axes.models import AccessAttempt

    _signed_in(client, analyst)
    for _ in range(2):
        client.post("/accounts/confirm/", {"password": "guess"})
    assert (
        AccessAttempt.objects.get(username=analyst.username).failures_since_start == 2
    )
