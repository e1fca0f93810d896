"""People and vehicles in the bench city: subjects, vehicles and links at one
subject per ten records, one vehicle per twenty and one link per record
(1m: 100,000 subjects, 50,000 vehicles, 1,000,000 links), loaded beside an
existing city (its own version in bench_meta, so adding them never reloads
the records), and the three operations issue 15 names with their targets.

Links are spread as exploitation networks spread: most premises have a few,
a handful of busy ones (a Zipf draw) have hundreds.
"""

import time
from functools import cache

import numpy as np
from django.db import connection, transaction

from people.nodes import SPAN, TYPE_CODES

from .ops import Context, Operation, SqlList, Target

PEOPLE_VERSION = 1
KINDS = ["young_person", "person_of_interest", "associate", "other"]
KIND_SHARE = [0.1, 0.3, 0.3, 0.3]
AGE_BANDS = ["13_15", "16_17", "18_24", "25_34", "35_44", "45_54", "55_plus"]
WORDS = (
    "tall short slim stocky beard shaved glasses tattoo hoodie jacket chain "
    "cap trainers scar limp accent driver taxi takeaway hotel cash phone"
).split()
# Link types and their shares: mentions, subject-location, subject-vehicle,
# associates.
LINK_SHARE = {"mention_subject": 0.3, "mention_vehicle": 0.2, "place": 0.25}
PLACE_TYPES = ["resides", "frequents", "works_at", "seen_at"]
VEHICLE_TYPES = ["drives", "owns", "seen_in"]
_TABLES = ["people_linkrecord", "people_link", "people_subject", "people_vehicle"]


def people_sizes(records: int) -> tuple[int, int, int]:
    return records // 10, records // 20, records


def _ids(table: str) -> np.ndarray:
    with connection.cursor() as cur:
        cur.execute(f"SELECT id FROM {table} ORDER BY id")
        return np.array([r[0] for r in cur.fetchall()], dtype=np.int64)


def _copy(table: str, columns: list[str], rows) -> None:
    with connection.cursor() as cur:
        with cur.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as cp:
            for row in rows:
                cp.write_row(row)


def _zipf_pick(rng, ids: np.ndarray, n: int) -> np.ndarray:
    """n ids, a few drawn very often (busy premises), most rarely."""
    ranks = np.minimum(rng.zipf(1.6, n) - 1, len(ids) - 1)
    order = rng.permutation(len(ids))
    return ids[order[ranks]]


def people_load(*, records: int, seed: int) -> dict:
    """Subjects, vehicles, links and their citations, by COPY; history and
    append-only triggers off for the load (the bench database is its own)."""
    t0 = time.perf_counter()
    n_subjects, n_vehicles, n_links = people_sizes(records)
    rng = np.random.default_rng(seed + 15)
    record_ids = _ids("intelligence_intelligencerecord")
    location_ids = _ids("locations_location")
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(f"TRUNCATE {', '.join(_TABLES)} RESTART IDENTITY CASCADE")
        for table in _TABLES:
            cur.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        kinds = rng.choice(len(KINDS), n_subjects, p=KIND_SHARE)
        words = rng.integers(0, len(WORDS), (n_subjects, 3))
        _copy(
            "people_subject",
            [
                "reference",
                "kind",
                "age_band",
                "sex",
                "descriptors",
                "agency",
                "system_ref",
                "former_ref",
                "review_date",
                "forum",
                "created_at",
                "updated_at",
            ],
            (
                (
                    f"S-2026-{i + 1:06d}",
                    KINDS[k],
                    AGE_BANDS[int(k == 0) * (i % 2) + int(k != 0) * (2 + i % 5)],
                    "unknown",
                    " ".join(WORDS[w] for w in words[i]),
                    "police",
                    "",
                    "",
                    "2030-01-01",
                    "none" if k == 0 else "",
                    "2026-01-01T00:00:00Z",
                    "2026-01-01T00:00:00Z",
                )
                for i, k in enumerate(kinds)
            ),
        )
        cur.execute("SELECT setval('people_subject_reference_seq', %s)", [n_subjects])
        _copy(
            "people_vehicle",
            [
                "registration",
                "mark_format",
                "make",
                "model",
                "colour",
                "plate_kind",
                "plate_number",
                "created_at",
                "updated_at",
            ],
            (
                (
                    f"BV{i // 13824 % 90 + 10:02d}{_letters(i)}",
                    "current",
                    "Ford",
                    "Focus",
                    "Silver",
                    "",
                    "",
                    "2026-01-01T00:00:00Z",
                    "2026-01-01T00:00:00Z",
                )
                for i in range(n_vehicles)
            ),
        )
        subject_ids = _ids("people_subject")
        vehicle_ids = _ids("people_vehicle")
        rows = _links_plan(
            rng, n_links, subject_ids, vehicle_ids, location_ids, record_ids
        )
        _copy(
            "people_link",
            [
                "id",
                "link_type",
                "subject_id",
                "other_subject_id",
                "vehicle_id",
                "location_id",
                "record_id",
                "created_at",
            ],
            rows["links"],
        )
        _copy("people_linkrecord", ["link_id", "record_id"], rows["citations"])
        cur.execute(
            "SELECT setval(pg_get_serial_sequence('people_link', 'id'), "
            "(SELECT max(id) FROM people_link))"
        )
        # Deferred foreign-key checks must run before ALTER TABLE.
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table in _TABLES:
            cur.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
    with connection.cursor() as cur:
        cur.execute("ANALYZE " + ", ".join(_TABLES))
    return {
        "subjects": int(len(subject_ids)),
        "vehicles": int(len(vehicle_ids)),
        "links": rows["n"],
        "load_s": round(time.perf_counter() - t0, 1),
    }


def _letters(i: int) -> str:
    a = "ABCDEFGHJKLMNOPRSTUVWXYZ"
    return a[i % 24] + a[i // 24 % 24] + a[i // 576 % 24]


def _links_plan(rng, n, subjects, vehicles, locations, records) -> dict:
    """Links, unique by their ends, each citing one or two records."""
    share = LINK_SHARE
    n_ms = int(n * share["mention_subject"])
    n_mv = int(n * share["mention_vehicle"])
    n_pl = int(n * share["place"])
    n_sv = int(n * 0.15)
    n_as = n - n_ms - n_mv - n_pl - n_sv
    seen: set[tuple] = set()
    links, citations = [], []

    def add(kind, s, o, v, loc, rec, cited):
        key = (kind, s, o, v, loc, rec)
        if key in seen:
            return
        seen.add(key)
        link_id = len(seen)
        links.append((link_id, kind, s, o, v, loc, rec, "2026-01-01T00:00:00Z"))
        for r in cited:
            citations.append((link_id, r))

    def cite(k: int):
        return rng.choice(records, size=(k, 2))

    # Mentions: records near busy premises mention the same few people too.
    for s, r in zip(
        _zipf_pick(rng, subjects, n_ms), rng.choice(records, n_ms), strict=True
    ):
        add("mentions", int(s), None, None, None, int(r), [int(r)])
    for v, r in zip(
        _zipf_pick(rng, vehicles, n_mv), rng.choice(records, n_mv), strict=True
    ):
        add("mentions", None, None, int(v), None, int(r), [int(r)])
    places = _zipf_pick(rng, locations, n_pl)
    for s, loc, t, c in zip(
        rng.choice(subjects, n_pl),
        places,
        rng.integers(0, 4, n_pl),
        cite(n_pl),
        strict=True,
    ):
        add(PLACE_TYPES[t], int(s), None, None, int(loc), None, {int(x) for x in c})
    for s, v, t, c in zip(
        rng.choice(subjects, n_sv),
        _zipf_pick(rng, vehicles, n_sv),
        rng.integers(0, 3, n_sv),
        cite(n_sv),
        strict=True,
    ):
        add(VEHICLE_TYPES[t], int(s), None, int(v), None, None, {int(x) for x in c})
    for a, b, c in zip(
        rng.choice(subjects, n_as),
        rng.choice(subjects, n_as),
        cite(n_as),
        strict=True,
    ):
        if a != b:
            lo, hi = sorted((int(a), int(b)))
            add("associate", lo, hi, None, None, None, {int(x) for x in c})
    return {"links": links, "citations": citations, "n": len(links)}


# --- Operations -----------------------------------------------------------------


@cache
def busy_premises() -> tuple[int, int]:
    """The premises with the most links (people's and records'), and another
    busy one: the graph's centre and the path's two ends."""
    with connection.cursor() as cur:
        cur.execute(
            "SELECT location_id FROM people_link WHERE location_id IS NOT NULL "
            "GROUP BY 1 ORDER BY count(*) DESC LIMIT 2"
        )
        rows = [r[0] for r in cur.fetchall()]
    if len(rows) < 2:
        return (1, 2)
    return rows[0], rows[1]


@cache
def _search_terms() -> list[str]:
    with connection.cursor() as cur:
        cur.execute("SELECT reference FROM people_subject ORDER BY id DESC LIMIT 10")
        refs = [r[0] for r in cur.fetchall()]
    return refs + ["tall beard", "taxi driver", "hoodie", "cash phone"]


_LOC, _REC = TYPE_CODES["location"] * SPAN, TYPE_CODES["record"] * SPAN
# Each step of the walk: people's links either way, and a record's links to
# premises either way, by index (people.graph does the same per level).
_STEP = f"""
    SELECT b_node AS k FROM people_link WHERE a_node = w.k
    UNION ALL SELECT a_node FROM people_link WHERE b_node = w.k
    UNION ALL SELECT {_LOC} + location_id FROM intelligence_intelligencelocationlink
      WHERE w.k >= {_REC} AND record_id = w.k - {_REC}
    UNION ALL SELECT {_REC} + record_id FROM intelligence_intelligencelocationlink
      WHERE w.k < {_LOC} + {SPAN} AND location_id = w.k - {_LOC}
"""
SQL_GRAPH_2 = f"""
    WITH RECURSIVE w(k, d) AS (
        SELECT %(k)s::bigint, 0
        UNION
        SELECT n.k, w.d + 1 FROM w, LATERAL ({_STEP}) n WHERE w.d < 2
    )
    SELECT k, min(d) FROM w GROUP BY k
"""
# Shortest path length of at most 4 from both ends at once (2 + 2): the
# recursive CTE way, timed as the path's floor.
SQL_PATH_4 = f"""
    WITH RECURSIVE s(k, d) AS (
        SELECT %(a)s::bigint, 0
        UNION
        SELECT n.k, w.d + 1 FROM s AS w, LATERAL ({_STEP}) n WHERE w.d < 2
    ),
    t(k, d) AS (
        SELECT %(b)s::bigint, 0
        UNION
        SELECT n.k, w.d + 1 FROM t AS w, LATERAL ({_STEP}) n WHERE w.d < 2
    )
    SELECT min(s.d + t.d) FROM s JOIN t USING (k)
"""
SQL_SEARCH = """
    SELECT id, reference, kind FROM people_subject
    WHERE reference ILIKE %(like)s
       OR to_tsvector('english', descriptors) @@ plainto_tsquery('english', %(q)s)
    ORDER BY id DESC LIMIT 50
"""


def _centre(ctx: Context, i: int) -> int:
    return busy_premises()[0]


def _graph_floor(ctx: Context, i: int) -> SqlList:
    return [(SQL_GRAPH_2, {"k": _LOC + _centre(ctx, i)})]


def _path_params(ctx: Context, i: int) -> dict:
    a, b = busy_premises()
    return {"from": f"location:{a}", "to": f"location:{b}", "max_hops": 4}


def _path_floor(ctx: Context, i: int) -> SqlList:
    a, b = busy_premises()
    return [(SQL_PATH_4, {"a": _LOC + a, "b": _LOC + b})]


def _search_q(i: int) -> str:
    terms = _search_terms()
    return terms[i % len(terms)]


PEOPLE_OPERATIONS = [
    Operation(
        name="link_graph_2_hops",
        label="Link graph, 2 hops from the busiest premises",
        path="/api/v1/links/graph/",
        params=lambda ctx, i: {"centre": f"location:{_centre(ctx, i)}", "hops": 2},
        floor=_graph_floor,
        targets=[Target("<= 100 ms", "median_ms", "<=", 100)],
        runs=20,
    ),
    Operation(
        name="link_path_4_hops",
        label="How are two busy premises connected (4 hops)",
        path="/api/v1/links/path/",
        params=_path_params,
        floor=_path_floor,
        targets=[Target("<= 300 ms", "median_ms", "<=", 300)],
        runs=20,
    ),
    Operation(
        name="subject_search",
        label="Subject search by reference or descriptor",
        path="/api/v1/subjects/",
        params=lambda ctx, i: {"q": _search_q(i)},
        floor=lambda ctx, i: [
            (SQL_SEARCH, {"q": _search_q(i), "like": f"%{_search_q(i)}%"})
        ],
        targets=[Target("<= 50 ms", "median_ms", "<=", 50)],
    ),
]
