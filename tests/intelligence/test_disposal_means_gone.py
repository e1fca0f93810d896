"""Disposal means gone (issue 20, section 5): a record disposed of through
the retention review is at once absent from every view that could show or
count it, the cached whole-city heat map included."""

from datetime import date, timedelta

import pytest
from django.core.cache import cache

from audit.models import AccessLogEntry
from disruption.services import meeting_create
from intelligence.models import IntelligenceRecord
from intelligence.services import record_review_dispose
from tests import factories

pytestmark = pytest.mark.django_db

REFERENCE = "INT-GONE-0001"
CITY = "-1.75,52.30,-1.25,52.50"
ZOOMS = range(5, 20)
BRIEFING_REASON = "Briefing for the CSE operational group"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def record(location):
    rec = factories.make_record(
        reference=REFERENCE, review_date=date.today() - timedelta(days=1)
    )
    rec.location_links.create(location=location, link_type="occurred_at")
    # A newer record at the same place stays: the newest id does not change
    # when the first goes, so a cache keyed on it would still count it.
    kept = factories.make_record(reference="INT-KEPT-0001")
    kept.location_links.create(location=location, link_type="occurred_at")
    return rec


@pytest.fixture
def meeting(db):
    return meeting_create(group="cse_mog", held_on=date.today())


def _views(record, meeting) -> dict:
    """Each view that could show or count the record: (url, query)."""
    views = {
        f"heat map z{z}": ("/api/v1/heatmap/", {"bbox": CITY, "zoom": z}) for z in ZOOMS
    }
    return {
        **views,
        "ward counts": ("/api/v1/areas/", {}),
        "hot spots": ("/api/v1/hotspots/", {"all": 1}),
        "API list": ("/api/v1/intelligence/", {}),
        "API record": (f"/api/v1/intelligence/{record.pk}/", {}),
        "API export": (
            "/api/v1/intelligence/export/",
            {"justification": "Letter to the licensing panel"},
        ),
        "records register": ("/intelligence/", {}),
        "register on the map": ("/intelligence/", {"_map": 1}),
        "register export": (
            "/intelligence/",
            {"_export": "csv", "justification": "Letter to the licensing panel"},
        ),
        "report": ("/analysis/reports/records-by-ward-month.csv", {}),
        "location page": (f"/locations/{record.location_links.get().location_id}/", {}),
    }


def _measure(name: str, response) -> int | bool:
    """How many records this answer counts, or whether it shows the record."""
    if name.startswith("heat map"):
        return response.json()["records"]
    if name == "ward counts":
        return sum(f["properties"]["intelligence"] for f in response.json()["features"])
    if name == "hot spots":
        return sum(f["properties"]["count"] for f in response.json()["features"])
    if name == "API record":
        return response.status_code == 200
    if name == "report":
        rows = response.content.decode().strip().splitlines()[1:]
        return sum(int(row.split(",")[3]) for row in rows)
    return REFERENCE in response.content.decode()


def _gone(before: int | bool, after: int | bool) -> bool:
    if isinstance(before, bool):
        return before and not after
    # Counts: exactly one fewer (the record kept beside it still counts).
    return after == before - 1


def _briefing_ids(client, meeting) -> set[int]:
    response = client.get(
        f"/analysis/meetings/{meeting.pk}/briefing.pdf",
        {"justification": BRIEFING_REASON},
    )
    assert response.status_code == 200
    assert REFERENCE.encode() not in response.content
    entry = (
        AccessLogEntry.objects.filter(what__startswith="Briefing pack")
        .order_by("id")
        .last()
    )
    return set(entry.record_ids)


def test_a_disposed_record_is_gone_from_every_view_at_once(
    client, analyst, admin_user, record, meeting
):
    factories.justify(client)
    client.force_login(analyst)
    factories.justify(client)
    views = _views(record, meeting)
    before = {}
    for name, (url, query) in views.items():
        response = client.get(url, query)
        assert response.status_code == 200, (name, response.status_code)
        before[name] = _measure(name, response)
    # Every view shows or counts it, the whole-city zooms now from the cache.
    assert all(before.values()), [n for n, seen in before.items() if not seen]
    cached = client.get("/api/v1/heatmap/", {"bbox": CITY, "zoom": 11})
    assert cached["X-Cache"] == "hit"
    assert record.pk in _briefing_ids(client, meeting)

    record_review_dispose(
        record=record, user=admin_user, reason="Past its MoPI review: no longer needed"
    )
    assert not IntelligenceRecord.objects.filter(pk=record.pk).exists()

    still = []
    for name, (url, query) in views.items():
        response = client.get(url, query)
        if name == "API record":
            if response.status_code != 404:
                still.append(name)
            continue
        assert response.status_code == 200, (name, response.status_code)
        if not _gone(before[name], _measure(name, response)):
            still.append(name)
    assert still == []
    assert record.pk not in _briefing_ids(client, meeting)
