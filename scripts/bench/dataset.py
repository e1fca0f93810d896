"""The benchmark's synthetic city: seeded, reproducible, loaded set-based.

Numbers are drawn with numpy from one seed, streamed into temporary staging
tables with COPY, and moved into the product's tables with one INSERT ...
SELECT per table. The derived columns (point_bng, area_ids) come from the same
expressions the product's trigger uses; secondary indexes are dropped for the
load and rebuilt from their own definitions afterwards (a sorted GiST build is
far quicker than a million index insertions).
"""

import math
import random
import time
from datetime import UTC, date, datetime, timedelta

import numpy as np
import shapely
from django.contrib.gis.geos import GEOSGeometry, MultiPolygon
from django.db import connection, transaction

from demo.city import CENTRE, city_shape, npa_groups
from disruption.models import DisruptionAction
from intelligence.models import (
    IndicatorTag,
    IntelligenceLocationLink,
    IntelligenceRecord,
)
from locations.models import Area, Location
from locations.triggers import PROJECTED_SRID

from .scales import SCALES, Scale  # noqa: F401

# Bump when the generator changes, so an old load is not reused by mistake.
GENERATOR_VERSION = 4
YEARS = 2
HOT_SPOTS = 14


CATEGORIES = {
    "takeaway": 0.22,
    "licensed_premises": 0.16,
    "residential_concern": 0.12,
    "other": 0.1,
    "hotel": 0.06,
    "bnb": 0.04,
    "shopping_centre": 0.03,
    "car_park": 0.05,
    "park": 0.05,
    "taxi_rank": 0.03,
    "private_hire_base": 0.03,
    "shisha_lounge": 0.02,
    "vacant_property": 0.04,
    "transport_hub": 0.01,
    "childrens_home": 0.02,
    "school": 0.02,
}
ACTION_TYPES = [
    "licensing_inspection",
    "awareness_visit",
    "patrol",
    "detached_youth_work",
    "vehicle_check",
    "owner_contact",
]
ACTION_OUTCOMES = ["advice_given", "staff_trained", "compliant", "breaches_found"]
SOURCE_TYPES = [
    "police",
    "social_care",
    "education",
    "health",
    "licensing",
    "youth_service",
    "business_staff",
    "public",
    "anonymous",
]
SUMMARIES = [
    "Young person seen entering premises with two older males late in the evening.",
    "Report of a party in a hotel room with several teenagers; alcohol supplied.",
    "Missing child found in the company of adults not known to the family.",
    "Taxi seen collecting young people from outside a children's home at night.",
    "Staff concerned about repeat cash bookings by an adult with different youths.",
]
TAGS = list(IndicatorTag.values)
# One record in VEHICLE_EVERY carries a vehicle mark, BR0000CSE..BR9999CSE,
# so each mark is on a few records (the records register's vehicle search).
VEHICLE_EVERY = 50
# mod(), not %: the statement goes to psycopg with parameters.
VEHICLE_MARK_SQL = (
    f"CASE WHEN mod(s.seq, {VEHICLE_EVERY}) = 0 THEN ARRAY['BR' || "
    f"lpad(mod(s.seq / {VEHICLE_EVERY}, 10000)::text, 4, '0') || 'CSE'] "
    "ELSE '{}'::varchar[] END"
)


def bench_anchor() -> date:
    return datetime.now(UTC).date()


# --- generation (pure numpy, testable without a database) --------------------


def _inside(boundary, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return shapely.contains_xy(boundary, x, y)


def _points_in_city(rng, boundary, n: int, centre_share: float, sigma: float):
    """n points inside the boundary: a share around the centre, the rest even."""
    minx, miny, maxx, maxy = boundary.bounds
    xs, ys, have = [], [], 0
    while have < n:
        m = int((n - have) * 1.8) + 64
        central = rng.random(m) < centre_share
        x = np.where(
            central, rng.normal(CENTRE[0], sigma, m), rng.uniform(minx, maxx, m)
        )
        y = np.where(
            central, rng.normal(CENTRE[1], sigma, m), rng.uniform(miny, maxy, m)
        )
        keep = _inside(boundary, x, y)
        xs.append(x[keep])
        ys.append(y[keep])
        have += int(keep.sum())
    return np.concatenate(xs)[:n], np.concatenate(ys)[:n]


def generate_locations(rng, boundary, n: int) -> dict[str, np.ndarray]:
    x, y = _points_in_city(rng, boundary, n, centre_share=0.45, sigma=1_500)
    cats = np.array(list(CATEGORIES))
    p = np.array(list(CATEGORIES.values()))
    concern = rng.choice(
        np.array(["none", "low", "medium", "high"]),
        size=n,
        p=[0.96, 0.02, 0.015, 0.005],
    )
    return {
        "x": x,
        "y": y,
        "category": rng.choice(cats, size=n, p=p / p.sum()),
        "concern": concern,
    }


def generate_records(
    rng, boundary, n: int, locations: dict[str, np.ndarray], anchor: date
) -> dict[str, np.ndarray]:
    """n records over YEARS years up to anchor, in arrival (time) order.

    55% come from hot spots that each live for part of the period and drift
    across the city while they do; 25% are at premises; 20% are scattered
    over the city, growing over time as reporting does.
    """
    span = YEARS * 365 * 86_400.0
    kind_of_origin = rng.choice(3, size=n, p=[0.55, 0.25, 0.20])
    x = np.empty(n)
    y = np.empty(n)
    t = np.empty(n)
    loc_idx = np.full(n, -1, dtype=np.int64)

    # Hot spots: start, drift over their life, spread, window and intensity.
    hx, hy = _points_in_city(rng, boundary, HOT_SPOTS, centre_share=0.6, sigma=2_200)
    angle = rng.uniform(0, 2 * math.pi, HOT_SPOTS)
    drift = rng.uniform(300, 1_500, HOT_SPOTS)
    spread = rng.uniform(60, 250, HOT_SPOTS)
    start = rng.uniform(0, 0.7, HOT_SPOTS) * span
    length = np.minimum(rng.uniform(0.2, 1.0, HOT_SPOTS) * span, span - start)
    weight = rng.lognormal(0, 0.6, HOT_SPOTS)

    hot = kind_of_origin == 0
    m = int(hot.sum())
    h = rng.choice(HOT_SPOTS, size=m, p=weight / weight.sum())
    frac = rng.random(m)
    t[hot] = start[h] + frac * length[h]
    x[hot] = hx[h] + np.cos(angle[h]) * drift[h] * frac + rng.normal(0, spread[h])
    y[hot] = hy[h] + np.sin(angle[h]) * drift[h] * frac + rng.normal(0, spread[h])

    at = kind_of_origin == 1
    m = int(at.sum())
    li = rng.integers(0, len(locations["x"]), m)
    loc_idx[at] = li
    x[at] = locations["x"][li] + rng.normal(0, 15, m)
    y[at] = locations["y"][li] + rng.normal(0, 15, m)
    # sqrt(u) gives a rate rising linearly through the period.
    t[at] = np.sqrt(rng.random(m)) * span

    bg = kind_of_origin == 2
    m = int(bg.sum())
    bx, by = _points_in_city(rng, boundary, m, centre_share=0.3, sigma=2_500)
    x[bg], y[bg] = bx, by
    t[bg] = np.sqrt(rng.random(m)) * span

    order = np.argsort(t, kind="stable")
    end = datetime.combine(anchor, datetime.min.time(), tzinfo=UTC)
    epoch0 = end.timestamp() - span
    legacy = rng.random(n) < 0.05
    kind = rng.choice(
        np.array(["intelligence", "missing", "incident"]), size=n, p=[0.7, 0.2, 0.1]
    )
    se = np.where(
        legacy,
        rng.choice(np.array(list("ABCDE")), size=n),
        rng.choice(np.array(list("123")), size=n, p=[0.35, 0.5, 0.15]),
    )
    ia = np.where(
        legacy,
        rng.choice(np.array(list("12345")), size=n),
        rng.choice(np.array(list("ABCDE")), size=n, p=[0.15, 0.3, 0.35, 0.15, 0.05]),
    )
    hc = np.where(
        legacy,
        rng.choice(np.array(list("12345")), size=n),
        rng.choice(np.array(list("PC")), size=n, p=[0.9, 0.1]),
    )
    out = {
        "x": x,
        "y": y,
        "epoch": epoch0 + t,
        "loc_idx": loc_idx,
        "legacy": legacy,
        "kind": kind,
        "missing_last_seen": rng.random(n) < 0.5,
        "se": se,
        "ia": ia,
        "hc": hc,
        "source_type": rng.choice(np.array(SOURCE_TYPES), size=n),
        "tag_a": rng.integers(-len(TAGS), len(TAGS), n),
        "tag_b": rng.integers(-2 * len(TAGS), len(TAGS), n),
        "precision_m": rng.integers(10, 200, n),
        "received_lag": rng.integers(0, 15, n),
        "summary": rng.integers(0, len(SUMMARIES), n),
    }
    return {k: v[order] for k, v in out.items()}


# --- loading -----------------------------------------------------------------


def _multi(shape) -> MultiPolygon:
    geom = GEOSGeometry(shape.wkt, srid=PROJECTED_SRID)
    return (
        geom
        if geom.geom_type == "MultiPolygon"
        else MultiPolygon(geom, srid=PROJECTED_SRID)
    )


def _secondary_indexes(table: str) -> list[tuple[str, str]]:
    """Indexes that back no constraint, as (name, definition)."""
    with connection.cursor() as cur:
        cur.execute(
            """
            SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
            FROM pg_index i
            WHERE i.indrelid = %s::regclass
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c
                              WHERE c.conindid = i.indexrelid)
            ORDER BY 1
            """,
            [table],
        )
        return cur.fetchall()


def _copy(table: str, columns: list[str], rows) -> None:
    with connection.cursor() as cur:
        with cur.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as cp:
            for row in rows:
                cp.write_row(row)


def _derived_sql(point_expr: str) -> str:
    """point_bng and area_ids exactly as the trigger computes them."""
    bng = f"ST_Transform({point_expr}, {PROJECTED_SRID})"
    return (
        f"{bng}, ARRAY(SELECT a.id FROM locations_area a "
        f"WHERE ST_Intersects(a.geom_bng, {bng}) ORDER BY a.id)"
    )


def _trigger_names(table: str) -> list[str]:
    with connection.cursor() as cur:
        cur.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass "
            "AND tgname LIKE %s",
            [table, "%set_projected_point_and_areas%"],
        )
        return [r[0] for r in cur.fetchall()]


class _BulkLoad:
    """Drop secondary indexes and the derived-column trigger for the load;
    the INSERT computes the same columns, and the indexes are rebuilt."""

    def __init__(self, tables: list[str]):
        self.tables = tables
        self.indexes: list[tuple[str, str]] = []
        self.triggers: list[tuple[str, str]] = []

    def __enter__(self):
        with connection.cursor() as cur:
            for table in self.tables:
                for name, definition in _secondary_indexes(table):
                    self.indexes.append((name, definition))
                    cur.execute(f"DROP INDEX {name}")
                for tg in _trigger_names(table):
                    self.triggers.append((table, tg))
                    cur.execute(f'ALTER TABLE {table} DISABLE TRIGGER "{tg}"')
        return self

    def __exit__(self, *exc):
        if exc[0] is not None:
            return False
        with connection.cursor() as cur:
            # Deferred foreign-key checks must run before ALTER TABLE.
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for table, tg in self.triggers:
                cur.execute(f'ALTER TABLE {table} ENABLE TRIGGER "{tg}"')
            for _name, definition in self.indexes:
                cur.execute(definition)
        return False


def _load_areas(shape) -> None:
    wards = [
        Area(area_type="ward", code=f"E0590{i + 1:04d}", name=f"Ward {i + 1}")
        for i in range(len(shape.wards))
    ]
    for area, poly in zip(wards, shape.wards, strict=True):
        area.geom = _multi(poly)
    npas = [
        Area(area_type="npa", code=f"BNPA{i + 1:02d}", name=f"Policing area {i + 1}")
        for i in range(3)
    ]
    for area, poly in zip(npas, npa_groups(shape), strict=True):
        area.geom = _multi(poly)
    Area.objects.bulk_create(wards + npas)


def _load_locations(locs: dict[str, np.ndarray], now: datetime) -> None:
    with connection.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS bench_stage_loc")
        cur.execute(
            "CREATE TEMP TABLE bench_stage_loc (seq int, x float8, y float8, "
            "category text, concern text) ON COMMIT DROP"
        )
    _copy(
        "bench_stage_loc",
        ["seq", "x", "y", "category", "concern"],
        zip(
            range(len(locs["x"])),
            locs["x"].tolist(),
            locs["y"].tolist(),
            locs["category"].tolist(),
            locs["concern"].tolist(),
            strict=True,
        ),
    )
    point = f"ST_Transform(ST_SetSRID(ST_MakePoint(s.x, s.y), {PROJECTED_SRID}), 4326)"
    with connection.cursor() as cur:
        cur.execute(
            f"""
            INSERT INTO locations_location (
                name, category, address, postcode, point, point_bng, area_ids,
                premises_licence_number, licence_holder, fhrs_id, fhrs_rating,
                concern_level, concern_review_date, source, source_id, version,
                created_at, updated_at)
            SELECT 'Premises ' || s.seq, s.category,
                   (s.seq %% 400 + 1) || ' Bench Street', 'CV1 ' || (s.seq %% 9 + 1)
                   || chr(65 + s.seq %% 26) || chr(65 + (s.seq / 26) %% 26),
                   p.pt, {_derived_sql("p.pt")}, '', '', '', '', s.concern,
                   CASE WHEN s.concern <> 'none' THEN %s::date END,
                   'import', 'bench-' || s.seq, 1, %s, %s
            FROM bench_stage_loc s, LATERAL (SELECT {point} AS pt) p
            ORDER BY s.seq
            """,
            [now.date() + timedelta(days=90), now, now],
        )


def _load_records(recs: dict[str, np.ndarray]) -> None:
    n = len(recs["x"])
    tags = []
    for a, b in zip(recs["tag_a"].tolist(), recs["tag_b"].tolist(), strict=True):
        chosen = sorted({TAGS[i] for i in (a, b) if i >= 0})
        tags.append(chosen)
    with connection.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS bench_stage_rec")
        cur.execute(
            "CREATE TEMP TABLE bench_stage_rec (seq int, x float8, y float8, "
            "at timestamptz, loc int, legacy bool, kind text, last_seen bool, "
            "se text, ia text, hc text, source_type text, tags text[], "
            "precision_m int, lag int, summary int) ON COMMIT DROP"
        )
    at = [datetime.fromtimestamp(e, tz=UTC) for e in recs["epoch"].tolist()]
    _copy(
        "bench_stage_rec",
        [
            "seq",
            "x",
            "y",
            "at",
            "loc",
            "legacy",
            "kind",
            "last_seen",
            "se",
            "ia",
            "hc",
            "source_type",
            "tags",
            "precision_m",
            "lag",
            "summary",
        ],
        zip(
            range(n),
            recs["x"].tolist(),
            recs["y"].tolist(),
            at,
            recs["loc_idx"].tolist(),
            recs["legacy"].tolist(),
            recs["kind"].tolist(),
            recs["missing_last_seen"].tolist(),
            recs["se"].tolist(),
            recs["ia"].tolist(),
            recs["hc"].tolist(),
            recs["source_type"].tolist(),
            tags,
            recs["precision_m"].tolist(),
            recs["received_lag"].tolist(),
            recs["summary"].tolist(),
            strict=True,
        ),
    )
    point = f"ST_Transform(ST_SetSRID(ST_MakePoint(s.x, s.y), {PROJECTED_SRID}), 4326)"
    summaries = "ARRAY[" + ", ".join(["%s"] * len(SUMMARIES)) + "]::text[]"
    with connection.cursor() as cur:
        cur.execute(
            f"""
            INSERT INTO intelligence_intelligencerecord (
                reference, kind, missing_point, occurred_from, received_on,
                source_type, grading_scheme, source_evaluation,
                intelligence_assessment, handling_code, handling_conditions,
                summary, tags, point, precision_m, point_bng, area_ids,
                location_text, crime_type, vehicle_marks, subject_refs,
                review_date, source, source_id, created_at, updated_at, version)
            SELECT 'BR-' || lpad(s.seq::text, 8, '0'), s.kind,
                   CASE WHEN s.kind <> 'missing' THEN ''
                        WHEN s.last_seen THEN 'last_seen' ELSE 'found' END,
                   s.at, (s.at::date + s.lag),
                   s.source_type, CASE WHEN s.legacy THEN '5x5x5' ELSE '3x5x2' END,
                   s.se, s.ia, s.hc,
                   CASE WHEN NOT s.legacy AND s.hc = 'C'
                        THEN 'Share with safeguarding partners only.' ELSE '' END,
                   ({summaries})[s.summary + 1], s.tags, p.pt, s.precision_m,
                   {_derived_sql("p.pt")}, '', '',
                   {VEHICLE_MARK_SQL}, '{{}}',
                   (s.at::date + s.lag + 6 * 365), 'bench', '',
                   s.at + make_interval(days => s.lag),
                   s.at + make_interval(days => s.lag), 1
            FROM bench_stage_rec s, LATERAL (SELECT {point} AS pt) p
            ORDER BY s.seq
            """,
            SUMMARIES,
        )
        cur.execute(
            """
            INSERT INTO intelligence_intelligencelocationlink
                (record_id, location_id, link_type)
            SELECT r.id, l.id, 'occurred_at'
            FROM bench_stage_rec s
            JOIN intelligence_intelligencerecord r
              ON r.reference = 'BR-' || lpad(s.seq::text, 8, '0')
            JOIN locations_location l ON l.source_id = 'bench-' || s.loc
             AND l.source = 'import'
            WHERE s.loc >= 0
            """
        )


def _load_actions(n: int, n_locations: int, anchor: date) -> None:
    span_days = YEARS * 365
    with connection.cursor() as cur:
        cur.execute(
            f"""
            INSERT INTO disruption_disruptionaction (
                action_type, agency, occurred_at, location_id, point, point_bng,
                area_ids, outcome, notes, checklist, sector, authorised_by,
                authorising_rank, created_at, version)
            SELECT (%s::text[])[1 + g %% %s], 'police',
                   %s::timestamptz - make_interval(secs => (g * 7919 %% %s) * 86400.0
                       / %s), l.id, l.point, {_derived_sql("l.point")},
                   (%s::text[])[1 + g %% %s], '', '{{}}', '', '', '', now(), 1
            FROM generate_series(0::bigint, %s - 1) g
            JOIN locations_location l
              ON l.source = 'import' AND l.source_id = 'bench-' || (g * 104729 %% %s)
            ORDER BY g
            """,
            [
                ACTION_TYPES,
                len(ACTION_TYPES),
                datetime.combine(anchor, datetime.min.time(), tzinfo=UTC),
                n,
                n / span_days,
                ACTION_OUTCOMES,
                len(ACTION_OUTCOMES),
                n,
                n_locations,
            ],
        )


def bench_clear() -> None:
    """Empty the tables the benchmark fills (the bench database is its own)."""
    with connection.cursor() as cur:
        cur.execute(
            "TRUNCATE intelligence_intelligencelocationlink, "
            "intelligence_intelligencerecord, disruption_disruptionaction, "
            "disruption_tasking, disruption_taskingmeeting, locations_concernflag, "
            "locations_location, locations_area RESTART IDENTITY CASCADE"
        )


def bench_load(*, scale: Scale, seed: int, anchor: date) -> dict:
    """Load a city at this scale; returns row counts and timings."""
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    shape = city_shape(random.Random(seed))
    boundary = shapely.union_all(shape.wards)
    rng = np.random.default_rng(seed)
    locs = generate_locations(rng, boundary, scale.locations)
    recs = generate_records(rng, boundary, scale.records, locs, anchor)
    timings["generate_s"] = time.perf_counter() - t0
    now = datetime.combine(anchor, datetime.min.time(), tzinfo=UTC)
    tables = [
        "locations_location",
        "intelligence_intelligencerecord",
        "disruption_disruptionaction",
    ]
    with transaction.atomic():
        bench_clear()
        _load_areas(shape)
        t1 = time.perf_counter()
        with _BulkLoad(tables):
            _load_locations(locs, now)
            _load_records(recs)
            _load_actions(scale.actions, scale.locations, anchor)
            timings["insert_s"] = time.perf_counter() - t1
            t2 = time.perf_counter()
        timings["index_s"] = time.perf_counter() - t2
    timings["total_s"] = time.perf_counter() - t0
    return {"counts": bench_counts(), "timings": timings}


def bench_counts() -> dict[str, int]:
    return {
        "wards": Area.objects.filter(area_type="ward").count(),
        "areas": Area.objects.count(),
        "locations": Location.objects.count(),
        "records": IntelligenceRecord.objects.count(),
        "links": IntelligenceLocationLink.objects.count(),
        "actions": DisruptionAction.objects.count(),
    }
