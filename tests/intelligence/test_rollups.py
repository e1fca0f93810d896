"""The roll-ups move with the writes, in the writer's transaction (issue
18): a disposal leaves every roll-up row and every map and count at once, a
bulk import arrives in one statement, and a record waiting for its grade is
counted nowhere until it is graded."""

from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.db.models import Sum

from intelligence.models import IntelligenceRecord
from intelligence.rollups import (
    BUCKET_DAYS,
    AreaBucketCount,
    AreaDayCount,
    CellBucketCount,
    CellDayCount,
)
from intelligence.services import record_review_dispose
from tests import factories

pytestmark = pytest.mark.django_db

CITY = {"bbox": "-1.75,52.30,-1.25,52.50"}


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def _rolled_up() -> tuple[int, int]:
    cells = CellDayCount.objects.aggregate(n=Sum("n"))["n"] or 0
    areas = AreaDayCount.objects.aggregate(n=Sum("n_first"))["n"] or 0
    # The bucket roll-ups hold the same records in each run of days.
    for days in BUCKET_DAYS:
        in_buckets = CellBucketCount.objects.filter(days=days, cell_m=100)
        assert (in_buckets.aggregate(n=Sum("n"))["n"] or 0) == cells
        in_buckets = AreaBucketCount.objects.filter(days=days)
        assert (in_buckets.aggregate(n=Sum("n_first"))["n"] or 0) == areas
    return cells, areas


def _shown(client) -> dict[str, int]:
    heat = {
        f"heat map z{z}": client.get("/api/v1/heatmap/", {**CITY, "zoom": z}).json()[
            "records"
        ]
        for z in (11, 12, 13, 14)
    }
    areas = client.get("/api/v1/areas/").json()["features"]
    return {**heat, "areas": sum(f["properties"]["intelligence"] for f in areas)}


def test_a_disposal_leaves_every_rollup_and_map_at_once(
    client_for, analyst, area, location
):
    gone = factories.make_record(review_date=date.today() - timedelta(days=1))
    gone.location_links.create(location=location, link_type="occurred_at")
    for _ in range(3):
        factories.make_record()
    client = client_for(analyst)
    assert _rolled_up() == (4, 4)
    assert set(_shown(client).values()) == {4}
    # The whole-city maps are in the shared cache now.
    assert client.get("/api/v1/heatmap/", {**CITY, "zoom": 11})["X-Cache"] == "hit"
    record_review_dispose(record=gone, user=analyst, reason="Past its review date.")
    assert _rolled_up() == (3, 3)
    assert set(_shown(client).values()) == {3}


def test_a_bulk_import_is_rolled_up_in_its_statement(area):
    when = factories.make_record().occurred_from
    IntelligenceRecord.objects.bulk_create(
        [
            IntelligenceRecord(
                reference=f"BULK-{i}",
                kind="incident",
                occurred_from=when - timedelta(days=i % 5),
                received_on=when.date(),
                source_type="police",
                source_evaluation="1",
                intelligence_assessment="A",
                handling_code="P",
                point=factories.geom(factories.CENTRE_POINT_WKT),
                review_date=date.today() + timedelta(days=30),
            )
            for i in range(40)
        ]
    )
    assert _rolled_up() == (41, 41)
    # One cell, five days (and the first record's day among them).
    assert CellDayCount.objects.values("gx", "gy").distinct().count() == 1
    assert CellDayCount.objects.values("day").distinct().count() == 5


def test_a_submission_counts_only_once_graded(area):
    record = factories.make_record(
        status="awaiting",
        source_evaluation="",
        intelligence_assessment="",
        handling_code="",
    )
    assert _rolled_up() == (0, 0)
    IntelligenceRecord.objects.filter(pk=record.pk).update(
        status="graded",
        source_evaluation="2",
        intelligence_assessment="C",
        handling_code="P",
    )
    assert _rolled_up() == (1, 1)
    row = CellDayCount.objects.get()
    assert (row.source_evaluation, row.intelligence_assessment) == ("2", "C")
