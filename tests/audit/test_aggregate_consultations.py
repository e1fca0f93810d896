"""Heat maps and area counts are consultations (DPA 2018 s.62): each answer
writes one access-log row with who, when, the reason, the parameters as
applied, the data version and how many records it weighed; and the log row
is enough to derive again exactly which records those were."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from audit.consults import AGGREGATE_REASON_NOT_ASKED
from audit.models import AccessAction, AccessLogEntry
from common.params import params_parse
from intelligence.data_version import data_version_read
from intelligence.models import IntelligenceRecord
from maps.api import AreaListParams, HeatmapParams
from maps.selectors import area_count_records, heatmap_records
from tests import factories
from tests.conftest import API_JUSTIFICATION

pytestmark = pytest.mark.django_db

CITY = "-1.75,52.30,-1.25,52.50"
INSIDE = "POINT(-1.5106 52.4081)"
OUTSIDE = "POINT(-2.2000 52.4081)"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def records(area):
    """Three records the city's heat map weighs, and three it must not: out
    of the box, out of the period, and a low grade (left out unless asked)."""
    weighed = [
        factories.make_record(point=factories.geom(INSIDE)),
        factories.make_record(point=factories.geom("POINT(-1.5000 52.4000)")),
        factories.make_record(point=factories.geom("POINT(-1.5200 52.4100)")),
    ]
    others = [
        factories.make_record(point=factories.geom(OUTSIDE)),
        factories.make_record(occurred_from=timezone.now() - timedelta(days=400)),
        factories.make_record(source_evaluation="3"),
    ]
    return {r.pk for r in weighed}, {r.pk for r in others}


def _rederived_heatmap(entry: AccessLogEntry) -> set[int]:
    params = params_parse(HeatmapParams, None, data=entry.params)
    return set(
        heatmap_records(user=entry.user, params=params).values_list("pk", flat=True)
    )


def _only_entry() -> AccessLogEntry:
    entries = list(AccessLogEntry.objects.all())
    assert len(entries) == 1, [str(e) for e in entries]
    return entries[0]


@pytest.mark.parametrize("zoom", [11, 15])
def test_a_heat_map_is_logged_with_what_derives_its_records(
    client_for, analyst, records, zoom
):
    weighed, others = records
    response = client_for(analyst).get("/api/v1/heatmap/", {"bbox": CITY, "zoom": zoom})
    assert response.status_code == 200
    entry = _only_entry()
    assert entry.user == analyst
    assert entry.action == AccessAction.SEARCHED
    assert entry.what == "Heat map"
    assert entry.justification == API_JUSTIFICATION
    assert entry.count == len(weighed) == response.json()["records"]
    assert [float(v) for v in entry.params["bbox"].split(",")] == [
        float(v) for v in CITY.split(",")
    ]
    assert entry.params["zoom"] == zoom
    assert entry.params["until"] == timezone.localdate().isoformat()
    assert entry.params["data_version"] == data_version_read()
    # The row alone gives the records back: exactly those weighed.
    assert _rederived_heatmap(entry) == weighed
    assert not _rederived_heatmap(entry) & others


def test_suppressed_cells_are_weighed_and_counted(client_for, licensing_officer, area):
    # One record: a small count, hidden from a role without record content,
    # but still a record the map weighed.
    record = factories.make_record()
    response = client_for(licensing_officer, justification=None).get(
        "/api/v1/heatmap/", {"bbox": CITY, "zoom": 15}
    )
    assert response.status_code == 200
    assert response.json()["cells"] == []
    entry = _only_entry()
    assert entry.count == 1
    # No reason is asked for density: the log says so.
    assert entry.justification == AGGREGATE_REASON_NOT_ASKED
    assert _rederived_heatmap(entry) == {record.pk}


def test_the_cached_whole_city_map_logs_every_answer(
    client_for, tasking_officer, records
):
    weighed, _ = records
    client = client_for(tasking_officer)
    first = client.get("/api/v1/heatmap/", {"bbox": CITY, "zoom": 11})
    second = client.get("/api/v1/heatmap/", {"bbox": CITY, "zoom": 11})
    assert (first["X-Cache"], second["X-Cache"]) == ("miss", "hit")
    miss, hit = AccessLogEntry.objects.order_by("id")
    assert hit.count == miss.count == len(weighed)
    assert hit.params == miss.params
    assert hit.user == tasking_officer
    assert _rederived_heatmap(hit) == weighed


def test_every_write_moves_the_data_version_on(records):
    weighed, _ = records
    before = data_version_read()
    factories.make_record()
    after_insert = data_version_read()
    assert after_insert > before
    record = factories.make_record()
    record.summary = "Edited"
    record.save()
    assert data_version_read() > after_insert


def test_a_bad_heat_map_request_logs_nothing(client_for, analyst):
    assert client_for(analyst).get("/api/v1/heatmap/", {"bbox": "x"}).status_code == 400
    assert not AccessLogEntry.objects.exists()


def test_area_counts_are_logged_with_what_derives_their_records(
    client_for, analyst, records
):
    weighed, _ = records
    # Out of every area: counted nowhere, so not weighed.
    factories.make_record(point=factories.geom(OUTSIDE))
    response = client_for(analyst).get("/api/v1/areas/")
    assert response.status_code == 200
    entry = _only_entry()
    assert entry.what == "Area counts"
    assert entry.params["type"] == "ward"
    assert entry.params["data_version"] == data_version_read()
    params = params_parse(AreaListParams, None, data=entry.params)
    derived = set(
        area_count_records(user=entry.user, params=params)
        .exclude(area_ids=[])
        .values_list("pk", flat=True)
    )
    # The period's records in some area (the low-grade one counts here too),
    # found without the map's selectors.
    in_period_in_area = set(
        IntelligenceRecord.objects.exclude(area_ids=[])
        .filter(occurred_from__gte=timezone.now() - timedelta(days=90))
        .values_list("pk", flat=True)
    )
    assert in_period_in_area & weighed
    assert derived == in_period_in_area
    assert len(derived) == entry.count
    shown = sum(f["properties"]["intelligence"] for f in response.json()["features"])
    assert shown == entry.count
