"""Hot spots, did-it-work and reports weigh intelligence: each answer is
logged as a consultation with its settings, data version and the number of
records it weighed (issue 20, section 4)."""

import pytest

from audit.models import AccessAction, AccessLogEntry
from intelligence.data_version import data_version_read

pytestmark = pytest.mark.django_db


def _entries():
    return list(AccessLogEntry.objects.order_by("id"))


def test_hot_spots_are_logged_with_the_records_the_grid_counted(client, analyst, scene):
    client.force_login(analyst)
    r = client.get("/api/v1/hotspots/", {"end": "2026-02-28", "cell_m": 250, "all": 1})
    assert r.status_code == 200
    [entry] = _entries()
    assert (entry.what, entry.action) == ("Hot spots", AccessAction.SEARCHED)
    assert entry.params["cell_m"] == 250
    assert entry.params["end"] == "2026-02-28"
    assert entry.params["data_version"] == data_version_read()
    # The current period's cells hold part of what the grid weighed.
    current = sum(f["properties"]["count"] for f in r.json()["features"])
    assert 0 < current <= entry.count


def test_did_it_work_is_logged_with_its_counts(client, analyst, scene):
    client.force_login(analyst)
    hotel = scene[0]
    r = client.get(
        "/api/v1/did-it-work/", {"location": hotel.pk, "at": "2026-02-10", "days": 20}
    )
    assert r.status_code == 200
    body = r.json()
    [entry] = _entries()
    assert entry.what == "Did it work?"
    assert entry.count == sum(body[k] for k in ("a0", "a1", "b0", "b1", "c0", "c1"))
    assert entry.params["location"] == hotel.pk
    assert entry.params["days"] == 20
    page = client.get(f"/analysis/did-it-work/{hotel.pk}/")
    assert page.status_code == 200
    assert _entries()[-1].what == "Did it work?"


def test_a_bad_hot_spot_request_logs_nothing(client, analyst):
    client.force_login(analyst)
    assert client.get("/api/v1/hotspots/", {"cell_m": 5}).status_code == 400
    assert _entries() == []


def test_a_records_report_is_logged_and_an_actions_report_is_not(
    client, analyst, scene
):
    client.force_login(analyst)
    records = client.get("/analysis/reports/records-by-ward-month.csv")
    assert records.status_code == 200
    [entry] = _entries()
    assert entry.action == AccessAction.EXPORTED
    rows = records.content.decode().splitlines()[1:]
    assert entry.count == sum(int(row.split(",")[3]) for row in rows)
    actions = client.get("/analysis/reports/actions-by-type-outcome.csv")
    assert actions.status_code == 200
    assert len(_entries()) == 1
