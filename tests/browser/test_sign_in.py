import pytest

from tests import factories

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_signed_out_visitor_is_sent_to_sign_in(page, live_server):
    page.goto(f"{live_server.url}/")
    assert "/accounts/login/" in page.url
    assert page.get_by_role("heading", name="Sign in").is_visible()


def test_analyst_signs_in_and_sees_the_overview(sign_in, screenshot):
    from accounts.roles import ANALYST

    user = factories.make_user(ANALYST, "ana")
    page = sign_in(user)
    assert page.locator(".role", has_text="Analyst").is_visible()
    screenshot("sign-in-overview")


def test_wrong_password_is_refused_with_a_message(page, live_server):
    from accounts.roles import ANALYST

    factories.make_user(ANALYST, "ana2")
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "ana2")
    page.fill("#id_password", "not the password")
    page.click("button[type=submit]")
    assert page.get_by_role("alert").is_visible()
    assert "/accounts/login/" in page.url
