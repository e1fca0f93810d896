"""An analyst issues a map-only API token for a ward dashboard, after
confirming the session with their authenticator, then revokes it."""

import json
import urllib.error
import urllib.request

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.roles import ANALYST
from tests import factories

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def _code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def _get(url: str, token: str) -> int:
    request = urllib.request.Request(url, headers={"Authorization": f"Token {token}"})
    try:
        with urllib.request.urlopen(request) as response:
            json.load(response)
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_analyst_issues_a_map_token_and_revokes_it(sign_in, screenshot, live_server):
    analyst = factories.make_user(ANALYST, "ana")
    device = TOTPDevice.objects.create(user=analyst, name="phone", confirmed=True)
    page = sign_in(analyst)
    nav = page.get_by_role("navigation", name="Main")
    nav.locator("summary", has_text="More").click()
    nav.get_by_role("link", name="API tokens").click()
    page.get_by_role("heading", name="API tokens").wait_for()
    # A password alone does not issue a token.
    page.locator("#token-needs-second-factor").get_by_role("link").click()
    page.fill("#id_token", _code(device))
    page.click("#otp-form button[type=submit]")
    page.get_by_role("heading", name="Issue a token").wait_for()

    page.fill("#id_name", "Ward dashboard")
    page.get_by_label("Map only", exact=False).check()
    page.get_by_role("button", name="Issue the token").click()
    token = page.locator("#token-secret").inner_text()
    assert page.locator("#token-list").get_by_text("Ward dashboard").is_visible()
    screenshot("api-tokens")

    api = f"{live_server.url}/api/v1"
    assert _get(f"{api}/areas/", token) == 200
    assert _get(f"{api}/intelligence/", token) == 403

    page.get_by_role("button", name="Revoke").click()
    assert "revoked" in page.locator(".messages").inner_text()
    assert page.locator("#no-tokens").is_visible()
    assert _get(f"{api}/areas/", token) == 403
