"""An administrator looks up who consulted a record, and exports the answer."""

import csv
import io

import pytest

from accounts.roles import ADMINISTRATOR, ANALYST
from audit.services import access_log_write
from tests import factories

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_administrator_searches_the_log_by_record(sign_in, screenshot, live_server):
    analyst = factories.make_user(ANALYST, "ana")
    for ids, reason in [([41, 42], "Hotel review"), ([43], "Missing follow-up")]:
        access_log_write(
            user=analyst,
            action="listed",
            what="Location page: Canal Side Hotel",
            route="/locations/1/",
            record_ids=ids,
            justification=reason,
        )
    page = sign_in(factories.make_user(ADMINISTRATOR, "boss"))
    page.goto(f"{live_server.url}/admin/audit/accesslogentry/")
    page.fill("#id_record", "42")
    page.click("#access-log-search button[type=submit]")
    page.wait_for_load_state()
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 1 and "Hotel review" in rows.first.inner_text()
    # Read-only: the only tool offered is the export.
    assert page.locator(".object-tools li").all_text_contents() == ["Export CSV"]
    screenshot("admin-access-log")

    with page.expect_download() as download:
        page.click("#access-log-export")
    text = open(download.value.path(), encoding="utf-8").read()
    rows = list(csv.reader(io.StringIO(text)))
    assert [(r[1], r[4], r[6]) for r in rows[1:]] == [("ana", "41 42", "Hotel review")]
