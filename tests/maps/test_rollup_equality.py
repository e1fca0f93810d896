"""The roll-ups' answer is the records' answer (issue 18): for hundreds of
random viewports, periods, filters and roles, after random inserts, bulk
inserts, regrades, moves, re-timings, links made and removed, premises
becoming protective places and disposals, the heat map summed from the
roll-ups equals the heat map binned from the records, and the area counts
likewise; and the rows the triggers kept equal a rebuild from the records."""

import itertools
import math
import random
from datetime import UTC, date, datetime, timedelta

import pytest
from django.contrib.auth.models import Permission
from django.contrib.gis.geos import MultiPolygon, Point, Polygon
from django.db import connection, transaction

from accounts.roles import ADMINISTRATOR, ANALYST, LICENSING_OFFICER
from intelligence.models import IntelligenceLocationLink, IntelligenceRecord
from intelligence.rollups import (
    BUCKET_DAYS,
    BUCKET_EPOCH,
    AreaBucketCount,
    AreaDayCount,
    CellBucketCount,
    CellDayCount,
    bucket_cover,
)
from intelligence.services import record_review_dispose
from maps.rollups import (
    rollup_area_answers,
    rollup_area_counts,
    rollup_buckets_answer,
)
from maps.rollups import rollup_heatmap_answers as answers
from maps.selectors import (
    _record_counts_by_area,
    area_count_records,
    heatmap_bins,
    heatmap_cell_size,
    heatmap_compute,
    heatmap_records,
)
from tests import factories

pytestmark = pytest.mark.django_db

SEED = 18
# The records lie in a box about 4 km by 4.5 km around the city centre.
LON, LAT = -1.5106, 52.4081
SPREAD_LON, SPREAD_LAT = 0.03, 0.02
TODAY = date.today()
DAYS = 400
KINDS = ["intelligence", "missing", "incident"]
TAGS = ["hotel_party", "taxi_transporting", "repeat_missing"]
CATEGORIES = ["hotel", "takeaway", "school", "childrens_home", "residential_concern"]
# References of the records added in later rounds.
_later = itertools.count(1_000)


def _grade(rng: random.Random) -> dict:
    if rng.random() < 0.15:
        return {
            "status": "awaiting",
            "grading_scheme": "3x5x2",
            "source_evaluation": "",
            "intelligence_assessment": "",
            "handling_code": "",
            "handling_conditions": "",
        }
    if rng.random() < 0.25:
        return {
            "status": "graded",
            "grading_scheme": "5x5x5",
            "source_evaluation": rng.choice("ABCDE"),
            "intelligence_assessment": rng.choice("12345"),
            "handling_code": rng.choice("12345"),
            "handling_conditions": "",
        }
    code = rng.choice("PPPC")
    return {
        "status": "graded",
        "grading_scheme": "3x5x2",
        "source_evaluation": rng.choice("123"),
        "intelligence_assessment": rng.choice("ABCDE"),
        "handling_code": code,
        "handling_conditions": "Police only." if code == "C" else "",
    }


def _when(rng: random.Random) -> datetime:
    start = datetime.combine(TODAY - timedelta(days=DAYS), datetime.min.time(), UTC)
    return start + timedelta(seconds=rng.randrange(DAYS * 86_400))


def _point(rng: random.Random) -> Point:
    return Point(
        LON + rng.uniform(-SPREAD_LON, SPREAD_LON),
        LAT + rng.uniform(-SPREAD_LAT, SPREAD_LAT),
        srid=4326,
    )


def _kind(rng: random.Random) -> dict:
    kind = rng.choice(KINDS)
    return {
        "kind": kind,
        "missing_point": rng.choice(["last_seen", "found"])
        if kind == "missing"
        else "",
    }


def _record(rng: random.Random, n: int) -> IntelligenceRecord:
    when = _when(rng)
    return IntelligenceRecord(
        reference=f"RU-{n:06d}",
        occurred_from=when,
        received_on=when.date(),
        source_type="police",
        summary="Rolled up.",
        point=_point(rng),
        review_date=TODAY + timedelta(days=365),
        tags=rng.sample(TAGS, rng.randrange(3)),
        **_kind(rng),
        **_grade(rng),
    )


def _square(lon: float, lat: float, d: float) -> MultiPolygon:
    poly = Polygon.from_bbox((lon - d, lat - d, lon + d, lat + d))
    return MultiPolygon(poly, srid=4326)


@pytest.fixture
def city(db):
    """Areas, premises (some protective) and records, written by bulk
    inserts (one statement, many rows) and one at a time."""
    rng = random.Random(SEED)
    factories.make_area(geom=_square(LON, LAT, 0.012))
    factories.make_area(geom=_square(LON - 0.015, LAT + 0.01, 0.015))
    factories.make_area(area_type="npa", geom=_square(LON, LAT, 0.04))
    locations = [
        factories.make_location(category=rng.choice(CATEGORIES), point=_point(rng))
        for _ in range(24)
    ]
    IntelligenceRecord.objects.bulk_create([_record(rng, n) for n in range(250)])
    for n in range(250, 300):
        _record(rng, n).save()
    records = list(IntelligenceRecord.objects.order_by("id"))
    IntelligenceLocationLink.objects.bulk_create(
        [
            IntelligenceLocationLink(
                record=r, location=rng.choice(locations), link_type="occurred_at"
            )
            for r in rng.sample(records, 90)
        ]
    )
    return {"rng": rng, "locations": locations}


def _users():
    """Every kind of visibility: content with and without handling code C,
    none (small cells suppressed), exact positions or snapped ones."""
    content_no_c = factories.make_user(LICENSING_OFFICER, "content-no-c")
    content_no_c.user_permissions.add(
        Permission.objects.get(codename="view_record_content")
    )
    return [
        factories.make_user(ANALYST, "ru-analyst"),
        factories.make_user(LICENSING_OFFICER, "ru-licensing"),
        factories.make_user(ADMINISTRATOR, "ru-admin"),
        type(content_no_c).objects.get(pk=content_no_c.pk),
    ]


def _mutate(rng: random.Random, locations, reviewer) -> None:
    """One round of every kind of write the roll-ups must follow."""
    ids = list(IntelligenceRecord.objects.values_list("id", flat=True))
    # Regrades, one statement for many rows.
    for _ in range(3):
        chosen = rng.sample(ids, 12)
        grade = _grade(rng)
        IntelligenceRecord.objects.filter(id__in=chosen).update(**grade)
    # Moves, re-timings, new kinds, one record at a time.
    for record in IntelligenceRecord.objects.filter(id__in=rng.sample(ids, 15)):
        record.point = _point(rng)
        record.occurred_from = _when(rng)
        record.save()
    for record in IntelligenceRecord.objects.filter(id__in=rng.sample(ids, 6)):
        for field, value in _kind(rng).items():
            setattr(record, field, value)
        record.save()
    # Links made and removed.
    for rid in rng.sample(ids, 10):
        IntelligenceLocationLink.objects.get_or_create(
            record_id=rid, location=rng.choice(locations), link_type="mentioned"
        )
    links = list(IntelligenceLocationLink.objects.values_list("id", flat=True))
    IntelligenceLocationLink.objects.filter(id__in=rng.sample(links, 6)).delete()
    # Premises becoming protective places, and the reverse.
    for location in rng.sample(locations, 3):
        location.category = rng.choice(CATEGORIES)
        location.save()
    # New records, in bulk.
    IntelligenceRecord.objects.bulk_create(
        [_record(rng, next(_later)) for _ in range(20)]
    )
    # Disposals.
    for record in IntelligenceRecord.objects.filter(id__in=rng.sample(ids, 4)):
        record_review_dispose(record=record, user=reviewer, reason="Past its review.")


def _rows(model) -> dict:
    return {
        tuple(v for k, v in row.items() if k not in ("n", "w", "n_first")): (
            row["n"],
            round(row.get("w", 0), 9),
            row.get("n_first"),
        )
        for row in model.objects.values()
    }


def _bucket_rows(model) -> dict:
    """{key: (n, n_first)} and {key: w} of a bucket roll-up's rows."""
    counts, weights = {}, {}
    for row in model.objects.values():
        key = tuple(v for k, v in row.items() if k not in ("n", "w", "n_first"))
        counts[key] = (row["n"], row.get("n_first"))
        weights[key] = row.get("w", 0.0)
    return counts, weights


def _assert_rollups_match_a_rebuild() -> None:
    kept = (_rows(CellDayCount), _rows(AreaDayCount))
    kept_buckets = (_bucket_rows(CellBucketCount), _bucket_rows(AreaBucketCount))
    with transaction.atomic():
        with connection.cursor() as cur:
            cur.execute("SELECT intelligence_rollup_rebuild()")
            cur.execute("SELECT intelligence_buckets_rebuild()")
        rebuilt = (_rows(CellDayCount), _rows(AreaDayCount))
        rebuilt_buckets = (
            _bucket_rows(CellBucketCount),
            _bucket_rows(AreaBucketCount),
        )
        transaction.set_rollback(True)
    assert kept[0] == rebuilt[0]
    assert kept[1] == rebuilt[1]
    assert kept[0], "the roll-up holds something"
    for (counts, weights), (counts_again, weights_again) in zip(
        kept_buckets, rebuilt_buckets, strict=True
    ):
        assert counts, "the bucket roll-up holds something"
        assert counts == counts_again
        # Sums kept by adding and taking away differ from a rebuild's only
        # in the last bits.
        assert all(
            math.isclose(weights[k], weights_again[k], rel_tol=1e-12, abs_tol=1e-12)
            for k in weights
        )
    # Every record with a point is in each bucket length and cell size, and
    # those at restricted locations in their 500 m squares too.
    cells = {}
    for (days, _start, cell_m, _r, *_rest), (n, _f) in kept_buckets[0][0].items():
        cells[days, cell_m] = cells.get((days, cell_m), 0) + n
    graded = IntelligenceRecord.objects.filter(status="graded", point__isnull=False)
    sizes = (100, 400, 1600)
    assert {cells[d, m] for d in BUCKET_DAYS for m in sizes} == {graded.count()}
    restricted = graded.filter(
        location_links__location__category__in=list(
            {"school", "childrens_home", "residential_concern"}
        )
    ).distinct()
    assert {cells[d, 500] for d in BUCKET_DAYS} == {restricted.count()}


def _params(rng: random.Random) -> tuple[dict, int]:
    """A random viewport (cutting through the records or holding them all),
    period and filters, as the heat map's parser gives them."""
    zoom = rng.choice([10, 11, 12, 13, 14, 14, 14])
    half_w = rng.choice([0.004, 0.008, 0.015, 0.03, 0.06])
    half_h = half_w * rng.uniform(0.5, 1.0)
    lon = LON + rng.uniform(-SPREAD_LON, SPREAD_LON)
    lat = LAT + rng.uniform(-SPREAD_LAT, SPREAD_LAT)
    bbox = Polygon.from_bbox((lon - half_w, lat - half_h, lon + half_w, lat + half_h))
    bbox.srid = 4326
    until = TODAY - timedelta(days=rng.randrange(0, DAYS))
    since = until - timedelta(days=rng.choice([0, 1, 7, 30, 90, 180, 365]))
    params = {"bbox": bbox, "since": since, "until": until}
    if rng.random() < 0.3:
        params["kind"] = rng.choice(KINDS)
    if rng.random() < 0.3:
        params["min_grade"] = (rng.choice("123"), rng.choice("ABCDE"))
    return params, zoom


def _check_heat_maps(rng: random.Random, users, count: int) -> int:
    from_rollups = 0
    for _ in range(count):
        params, zoom = _params(rng)
        user = rng.choice(users)
        include_low = rng.random() < 0.3
        cell_m = heatmap_cell_size(zoom=zoom, bbox=params["bbox"])
        if answers(params=params, cell_m=cell_m, half_life_days=60):
            from_rollups += 1
            if rollup_buckets_answer(params=params):
                _from_buckets[cell_m] = _from_buckets.get(cell_m, 0) + 1
        rolled = heatmap_compute(
            user=user, params=params, cell_m=cell_m, include_low_grade=include_low
        )
        raw = heatmap_bins(
            qs=heatmap_records(
                user=user, params={**params, "include_low_grade": include_low}
            ),
            user=user,
            cell_m=cell_m,
            until=params["until"],
        )
        assert rolled == raw, (params, zoom, user.username, include_low)
    return from_rollups


def _check_area_counts(rng: random.Random, users, count: int) -> None:
    for _ in range(count):
        params, _zoom = _params(rng)
        user = rng.choice(users)
        assert rollup_area_answers(params=params)
        rolled = rollup_area_counts(user=user, params=params)
        raw = _record_counts_by_area(area_count_records(user=user, params=params))
        assert rolled == raw, (params, user.username)


# Heat maps summed from the bucket roll-ups, by cell size.
_from_buckets: dict[int, int] = {}


def test_rollups_answer_exactly_as_the_records_do(city):
    rng, locations = city["rng"], city["locations"]
    users = _users()
    reviewer = users[0]
    from_rollups = 0
    _from_buckets.clear()
    _assert_rollups_match_a_rebuild()
    from_rollups += _check_heat_maps(rng, users, 100)
    _check_area_counts(rng, users, 40)
    for _round in range(3):
        _mutate(rng, locations, reviewer)
        _assert_rollups_match_a_rebuild()
        from_rollups += _check_heat_maps(rng, users, 70)
        _check_area_counts(rng, users, 25)
    # Most maps were summed from the roll-ups (the smallest boxes, all rim,
    # read the records), many from the bucket roll-ups, on each cell size
    # (100 m rows only at 100 and 200 m; 400 m rows at 400 and 800 m; 1,600 m
    # rows at 1,600 m and coarser).
    assert from_rollups >= 200
    assert sum(_from_buckets.values()) >= 100
    assert {100, 200, 400, 800, 1600} <= set(_from_buckets), _from_buckets


def test_the_buckets_tile_any_period_exactly():
    rng = random.Random(SEED)
    for _ in range(2_000):
        since = BUCKET_EPOCH + timedelta(days=rng.randrange(10_000))
        until = since + timedelta(days=rng.choice([0, 1, 6, 29, 89, 179, 364, 1000]))
        cover = bucket_cover(since=since, until=until)
        days = []
        for length, start in cover:
            assert length in BUCKET_DAYS
            # Aligned: each starts at a multiple of its length from the epoch.
            assert (start - BUCKET_EPOCH).days % length == 0
            days += [start + timedelta(days=i) for i in range(length)]
        assert days == [
            since + timedelta(days=i) for i in range((until - since).days + 1)
        ]
        # A 90-day period takes at most 2 log2(64) + 2 buckets.
        if (until - since).days == 89:
            assert len(cover) <= 14


def test_filters_the_rollups_cannot_answer_read_the_records(db):
    bbox = Polygon.from_bbox((LON - 0.05, LAT - 0.03, LON + 0.05, LAT + 0.03))
    bbox.srid = 4326
    params = {"bbox": bbox, "since": TODAY - timedelta(days=90), "until": TODAY}
    assert answers(params=params, cell_m=400, half_life_days=60)
    assert not answers(
        params={**params, "tag": ["hotel_party"]}, cell_m=400, half_life_days=60
    )
    assert not answers(params=params, cell_m=50, half_life_days=60)
    assert not answers(params=params, cell_m=400, half_life_days=30)
    assert not rollup_area_answers(params={**params, "tag": ["hotel_party"]})
    # Kind and minimum grade: the day roll-ups, not the buckets.
    assert rollup_buckets_answer(params=params)
    assert not rollup_buckets_answer(params={**params, "kind": "missing"})
    assert not rollup_buckets_answer(params={**params, "min_grade": ("2", "B")})
