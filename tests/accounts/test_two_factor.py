"""The second factor: required with OTP_REQUIRED, set up once, then asked for
after every password sign-in."""

import re
from base64 import b32encode

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db


@pytest.fixture
def otp_on(settings):
    settings.OTP_REQUIRED = True
    return settings


def _code(device: TOTPDevice, *, offset_steps: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + offset_steps * device.step
    return f"{totp.token():06d}"


def _enrolled(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def test_without_the_setting_a_password_is_enough(client, analyst):
    client.force_login(analyst)
    assert client.get("/").status_code == 200


def test_a_new_user_is_sent_to_set_up_an_authenticator(client, otp_on, analyst):
    client.force_login(analyst)
    response = client.get("/analysis/clocks/", follow=True)
    assert response.redirect_chain[0][0].startswith("/accounts/two-factor/?next=")
    assert response.request["PATH_INFO"] == "/accounts/two-factor/setup/"
    page = response.content.decode()
    secret = re.search(r'data-secret="([A-Z2-7]+)"', page).group(1)
    device = TOTPDevice.objects.get(user=analyst, confirmed=False)
    assert secret == b32encode(device.bin_key).decode()
    # The navigation is withheld until the second factor is given.
    assert "Legal clocks" not in page

    qr = client.get("/accounts/two-factor/setup/qr.svg")
    assert qr["Content-Type"] == "image/svg+xml"
    assert b"<svg" in qr.content
    assert "no-store" in qr["Cache-Control"]

    wrong = client.post(
        "/accounts/two-factor/setup/", {"token": "000000", "next": "/analysis/clocks/"}
    )
    assert wrong.status_code == 400
    assert "does not match" in wrong.content.decode()

    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.save()
    done = client.post(
        "/accounts/two-factor/setup/",
        {"token": _code(device), "next": "/analysis/clocks/"},
    )
    assert done.status_code == 302 and done["Location"] == "/analysis/clocks/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/analysis/clocks/").status_code == 200


def test_an_enrolled_user_gives_a_code_after_the_password(client, otp_on, analyst):
    device = _enrolled(analyst)
    client.force_login(analyst)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/two-factor/?next=%2F"

    # The API refuses a half-signed-in session, in JSON.
    api = client.get("/api/v1/locations/")
    assert api.status_code == 403
    assert "authenticator" in api.json()["detail"]

    # Setting up a second authenticator is not possible with a password alone.
    assert client.get("/accounts/two-factor/setup/").status_code == 302
    assert client.get("/accounts/two-factor/setup/qr.svg").status_code == 404

    wrong = client.post("/accounts/two-factor/", {"token": "12345x"})
    assert wrong.status_code == 400
    assert "digits only" in wrong.content.decode()
    wrong = client.post("/accounts/two-factor/", {"token": "000000"})
    assert "not right" in wrong.content.decode()

    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.save()
    key_before = client.session.session_key
    ok = client.post("/accounts/two-factor/", {"token": _code(device), "next": "/"})
    assert ok.status_code == 302 and ok["Location"] == "/"
    assert client.session.session_key != key_before
    assert client.get("/").status_code == 200
    assert client.get("/api/v1/locations/").status_code == 200


def test_wrong_codes_make_the_next_one_wait(client, otp_on, analyst):
    device = _enrolled(analyst)
    client.force_login(analyst)
    client.post("/accounts/two-factor/", {"token": "000000"})
    second = client.post("/accounts/two-factor/", {"token": "000000"})
    assert re.search(r"Wait \d+ seconds", second.content.decode())
    # Even the right code is refused while the wait runs.
    blocked = client.post("/accounts/two-factor/", {"token": _code(device)})
    assert blocked.status_code == 400
    assert client.get("/").status_code == 302


def test_an_offsite_next_is_not_followed(client, otp_on, analyst):
    device = _enrolled(analyst)
    client.force_login(analyst)
    ok = client.post(
        "/accounts/two-factor/",
        {"token": _code(device), "next": "https://evil.example/"},
    )
    assert ok.status_code == 302 and ok["Location"] == "/"


def test_sign_out_works_before_the_second_factor(client, otp_on, analyst):
    _enrolled(analyst)
    client.force_login(analyst)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert "_auth_user_id" not in client.session
