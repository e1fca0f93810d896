"""With the second factor required, an officer signs in, sets up an
authenticator from the page's key, and reaches the map."""

import pytest
from django_otp.oath import totp

from accounts.roles import ANALYST
from tests import factories

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_first_sign_in_sets_up_the_authenticator(page, sign_in, settings, screenshot):
    from base64 import b32decode

    settings.OTP_REQUIRED = True
    user = factories.make_user(ANALYST, "otp-ana")
    sign_in(user)
    page.get_by_role("heading", name="Set up your authenticator").wait_for()
    assert page.locator("#otp-qr").evaluate("img => img.naturalWidth") > 0
    secret = page.get_attribute("#otp-secret", "data-secret")
    screenshot("two-factor-setup")
    page.fill("#id_token", f"{totp(b32decode(secret)):06d}")
    page.click("#otp-form button[type=submit]")
    page.wait_for_selector("#panel-notifications")
    assert page.locator(".role", has_text="Analyst").is_visible()
