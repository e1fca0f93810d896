"""An export after a while without giving the password: it is asked for
again, and the export the user asked for follows with nothing lost, from a
register (a page in between) and from the map (in the results panel)."""

import csv
import io
import time

import pytest
from django.conf import settings

from accounts.reauth import REAUTH_AT
from accounts.roles import ANALYST
from accounts.sessions import SessionStore
from audit.models import AccessLogEntry
from tests import factories

from .test_journey_analyst_radius import give_session_reason

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

REASON = "Hotel watch letter to the licensing panel"


def _last_confirmed_minutes_ago(page, minutes: int) -> None:
    key = next(
        c["value"]
        for c in page.context.cookies()
        if c["name"] == settings.SESSION_COOKIE_NAME
    )
    store = SessionStore(session_key=key)
    store[REAUTH_AT] = time.time() - minutes * 60
    store.save()


def test_a_register_export_asks_for_the_password_then_downloads(sign_in, screenshot):
    wanted = factories.make_record(summary="Two girls taken to room 12 by car")
    page = sign_in(
        factories.make_user(ANALYST, "ana"),
        next_url="/intelligence/",
        reason="Preparing the CSE operational group on hotels",
    )
    page.goto(page.url.split("?")[0])
    page.get_by_role("heading", name="Records register").wait_for()
    _last_confirmed_minutes_ago(page, 20)

    page.fill("#export-justification", REASON)
    page.get_by_role("button", name="Export CSV").click()
    page.get_by_role("heading", name="Confirm it is you").wait_for()
    assert "in the last 15 minutes" in page.locator("#reauth-why").inner_text()
    screenshot("export-reauth")
    page.fill("#id_password", "not my password")
    page.click("#reauth-form button[type=submit]")
    assert "That is not your password." in page.locator(".error").inner_text()
    assert not AccessLogEntry.objects.filter(action="exported").exists()

    page.fill("#id_password", factories.TEST_PASSWORD)
    with page.expect_download() as download:
        page.click("#reauth-form button[type=submit]")
    rows = list(csv.reader(io.StringIO(open(download.value.path()).read())))
    assert [r[0] for r in rows[1:]] == [wanted.reference]
    exported = AccessLogEntry.objects.get(action="exported")
    assert exported.justification == REASON


def test_a_map_export_asks_in_the_panel_and_keeps_the_search(sign_in, screenshot):
    factories.make_area(name="City Centre")
    factories.make_location(name="Grand Station Hotel", category="hotel")
    factories.make_record()
    page = sign_in(factories.make_user(ANALYST, "ana"), next_url="/map/")
    page.wait_for_selector("#main[data-ready=true]")
    page.fill("#search-q", "Grand Station")
    page.click("#search button[type=submit]")
    page.select_option("#radius-m", "400")
    page.get_by_role("button", name="What is here?").click()
    give_session_reason(page)
    results = page.locator("#results")
    results.get_by_role("heading", name="Within 400 m").wait_for()
    _last_confirmed_minutes_ago(page, 20)

    page.fill("#export-justification", REASON)
    page.click("#export-csv")
    confirm = page.locator("#reauth-form")
    confirm.wait_for()
    assert "in the last 15 minutes" in confirm.inner_text()
    page.fill("#reauth-input", "not my password")
    page.click("#reauth-confirm")
    assert "That is not your password." in confirm.locator(".error").inner_text()
    screenshot("export-reauth-map")

    page.fill("#reauth-input", factories.TEST_PASSWORD)
    with page.expect_download() as download:
        page.click("#reauth-confirm")
    rows = list(csv.reader(io.StringIO(open(download.value.path()).read())))
    assert [r[1] for r in rows if r[0] == "location"] == ["Grand Station Hotel"]
    # The search is still on screen.
    assert results.get_by_role("heading", name="Within 400 m").is_visible()
    assert AccessLogEntry.objects.filter(
        action="exported", justification=REASON
    ).exists()
