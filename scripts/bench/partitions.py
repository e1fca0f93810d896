"""National scale rehearsed: the records partitioned by force (issue 19).

The product is one force per deployment, so its record table has no force
column, and giving it one (in the primary key and every foreign key to it) is
the schema change docs/scaling.md keeps for Citus. Here the bench's records
are copied, with a force_id, into two tables that differ only in partitioning:
PARTED, partitioned BY LIST (force_id) with one partition per force, and FLAT,
one table. Both carry the product table's own indexes (read from the catalogue,
so they stay the same as the product's as it changes). The city's three
policing areas stand in for three forces; a record outside every ward goes to
the nearest one.

Each query a force's map asks for (a radius count, heat-map binning over a box
and 90 days, a ward count, the nearest 10) is explained with ANALYZE and
BUFFERS on both tables: the plan's JSON says which partitions were scanned, and
the check is that it is exactly the force's own. Then both are timed,
interleaved, so a neighbour's load hits them alike.
"""

import json
import math
import re
import time
from dataclasses import dataclass, replace

from django.db import connection, transaction

from .ops import (
    _PERIOD,
    _Q,
    SQL_HEATMAP,
    SQL_RECORD_COUNTS_WITHIN,
    Context,
    _period_args,
    heatmap_cell_m,
    viewport,
)
from .stats import ratio, summarize

SOURCE = "intelligence_intelligencerecord"
PARTED = "bench_force_record"
FLAT = "bench_force_record_flat"
# Bump when the tables' build changes, so an old build is not reused.
PARTITIONS_VERSION = 1
HEATMAP_ZOOM = 13


def partition_name(force_id: int) -> str:
    return f"{PARTED}_f{force_id}"


# --- build -------------------------------------------------------------------


def _forces() -> list[tuple[int, int, str]]:
    """(force_id, npa area id, code) for each policing area, in code order."""
    with connection.cursor() as cur:
        cur.execute(
            "SELECT row_number() OVER (ORDER BY code)::int, id, code "
            "FROM locations_area WHERE area_type = 'npa' ORDER BY code"
        )
        return cur.fetchall()


def _source_marker() -> dict:
    with connection.cursor() as cur:
        cur.execute(f"SELECT count(*), coalesce(max(id), 0) FROM {SOURCE}")
        n, max_id = cur.fetchone()
    return {"version": PARTITIONS_VERSION, "records": n, "max_id": max_id}


def _built_marker() -> dict | None:
    with connection.cursor() as cur:
        cur.execute("SELECT obj_description(to_regclass(%s), 'pg_class')", [PARTED])
        row = cur.fetchone()
    try:
        return json.loads(row[0]) if row and row[0] else None
    except ValueError:
        return None


def _source_indexes() -> list[tuple[str, str, bool]]:
    """(name, definition, unique) of the product table's secondary indexes."""
    with connection.cursor() as cur:
        cur.execute(
            "SELECT c.relname, pg_get_indexdef(i.indexrelid), i.indisunique "
            "FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "WHERE i.indrelid = %s::regclass AND NOT i.indisprimary ORDER BY 1",
            [SOURCE],
        )
        return cur.fetchall()


def index_definition(definition: str, *, table: str, name: str, unique: bool) -> str:
    """The product's index definition, on `table` under `name`.

    A unique index on a partitioned table must contain the partition key
    (PostgreSQL enforces uniqueness per partition), so force_id leads each
    unique one there: the constraint a national schema needs anyway, as two
    forces may each have a record with the same reference."""
    out = re.sub(
        r"^CREATE (UNIQUE )?INDEX \S+ ON ", rf"CREATE \1INDEX {name} ON ", definition
    )
    out = re.sub(rf"\bON (ONLY )?(public\.)?{SOURCE}\b", f"ON {table}", out)
    if unique and table == PARTED:
        out = re.sub(r"USING (\w+) \(", r"USING \1 (force_id, ", out, count=1)
    return out


def partitions_build(*, rebuild: bool = False) -> dict:
    """Copy the records into PARTED and FLAT with their force, with the
    product's indexes; reused while the source records are unchanged.
    Returns what was built and how long it took."""
    marker = _source_marker()
    if not rebuild and _built_marker() == marker:
        return {"reused": True, **marker}
    forces = _forces()
    if len(forces) != 3:
        raise RuntimeError(f"expected the city's 3 policing areas, found {len(forces)}")
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(f"DROP TABLE IF EXISTS {PARTED}, {FLAT}")
        # Sorted GiST and btree builds of 5M rows fit in memory with this.
        cur.execute("SET LOCAL maintenance_work_mem = '1GB'")
        cur.execute(
            "CREATE TEMP TABLE bench_force_area (force_id smallint, area_id int, "
            "geom_bng geometry) ON COMMIT DROP"
        )
        cur.execute(
            "INSERT INTO bench_force_area SELECT f.force_id, a.id, a.geom_bng "
            "FROM unnest(%s::int[], %s::int[]) f(force_id, area_id) "
            "JOIN locations_area a ON a.id = f.area_id",
            [[f[0] for f in forces], [f[1] for f in forces]],
        )
        # A record on the line between two areas goes to the lower force; one
        # outside every ward (a few hot-spot records) to the nearest area.
        cur.execute(
            "CREATE TEMP TABLE bench_force_of ON COMMIT DROP AS "
            "SELECT r.id, coalesce("
            "(SELECT min(f.force_id) FROM bench_force_area f "
            "WHERE f.area_id = ANY(r.area_ids)), "
            "(SELECT f.force_id FROM bench_force_area f "
            "ORDER BY f.geom_bng <-> r.point_bng LIMIT 1), 1)::smallint AS force_id "
            f"FROM {SOURCE} r"
        )
        # LIKE copies the columns and NOT NULLs only: no identity, defaults or
        # foreign keys, which a copy for reading does not need.
        cur.execute(
            f"CREATE TABLE {PARTED} (LIKE {SOURCE}, force_id smallint NOT NULL) "
            "PARTITION BY LIST (force_id)"
        )
        for force_id, _, code in forces:
            cur.execute(
                f"CREATE TABLE {partition_name(force_id)} PARTITION OF {PARTED} "
                f"FOR VALUES IN ({force_id})"
            )
            cur.execute(
                f"COMMENT ON TABLE {partition_name(force_id)} IS %s",
                [f"force {force_id}: the records of policing area {code}"],
            )
        cur.execute(f"CREATE TABLE {FLAT} (LIKE {SOURCE}, force_id smallint NOT NULL)")
        t = time.perf_counter()
        for table in (PARTED, FLAT):
            cur.execute(
                f"INSERT INTO {table} SELECT r.*, f.force_id FROM {SOURCE} r "
                "JOIN bench_force_of f ON f.id = r.id ORDER BY r.id"
            )
        timings["insert_s"] = time.perf_counter() - t
        t = time.perf_counter()
        # The product's primary key is (id); partitioned, it must hold the
        # partition key too.
        cur.execute(f"ALTER TABLE {PARTED} ADD PRIMARY KEY (force_id, id)")
        cur.execute(f"ALTER TABLE {FLAT} ADD PRIMARY KEY (id)")
        for i, (_, definition, unique) in enumerate(_source_indexes()):
            for table in (PARTED, FLAT):
                cur.execute(
                    index_definition(
                        definition, table=table, name=f"{table}_i{i}", unique=unique
                    )
                )
        timings["index_s"] = time.perf_counter() - t
        cur.execute(f"COMMENT ON TABLE {PARTED} IS %s", [json.dumps(marker)])
    t = time.perf_counter()
    with connection.cursor() as cur:
        # Outside the transaction: VACUUM sets the visibility map, as the
        # product table's load does, so index-only scans are judged alike.
        cur.execute(f"VACUUM ANALYZE {PARTED}, {FLAT}")
    timings["vacuum_analyze_s"] = time.perf_counter() - t
    timings["total_s"] = time.perf_counter() - t0
    return {"reused": False, **marker, "timings": timings}


def partitions_sizes() -> dict:
    """Rows and bytes (heap + indexes) per partition and of the flat table."""
    out = {}
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT tableoid::regclass::text, count(*), "
            f"pg_total_relation_size(tableoid) FROM {PARTED} GROUP BY tableoid "
            f"UNION ALL SELECT %s, count(*), pg_total_relation_size(%s::regclass) "
            f"FROM {FLAT} ORDER BY 1",
            [FLAT, FLAT],
        )
        for name, rows, size in cur.fetchall():
            out[name] = {"rows": rows, "bytes": size}
    return out


class _Undo(Exception):
    pass


def partitions_triggers_fit() -> dict:
    """Whether the product's triggers on the record table (history, roll-ups,
    data version, people mentions, derived columns, disposal-only delete)
    can all be put on the partitioned table as they are: each is created on
    PARTED and everything rolled back. PostgreSQL refuses a row trigger with
    transition tables on a partitioned table; statement-level ones (which
    all of the product's transition-table triggers are) are accepted, and
    row triggers are cloned onto each partition."""
    out: dict = {"triggers": [], "refused": {}}
    try:
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(
                "SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger "
                "WHERE tgrelid = %s::regclass AND NOT tgisinternal ORDER BY 1",
                [SOURCE],
            )
            for name, definition in cur.fetchall():
                out["triggers"].append(name)
                sql = re.sub(
                    rf" ON (public\.)?{SOURCE} ", f" ON {PARTED} ", definition, count=1
                )
                try:
                    with transaction.atomic():
                        cur.execute(sql)
                except Exception as exc:  # noqa: BLE001 - reported, not raised
                    out["refused"][name] = str(exc).splitlines()[0]
            cur.execute(
                "SELECT count(*) FROM pg_trigger WHERE tgrelid = %s::regclass "
                "AND NOT tgisinternal",
                [partition_name(1)],
            )
            out["cloned_to_each_partition"] = cur.fetchone()[0]
            raise _Undo
    except _Undo:
        pass
    with connection.cursor() as cur:
        cur.execute(
            "SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE c.relname LIKE %s AND NOT t.tgisinternal",
            [f"{PARTED}%"],
        )
        out["left"] = cur.fetchone()[0]
    return out


# --- the queries a force's map asks for ---------------------------------------


def _on(sql: str, table: str) -> str:
    return sql.replace(SOURCE, table)


SQL_RADIUS = SQL_RECORD_COUNTS_WITHIN.format(group="kind").replace(
    "WHERE ST_DWithin", "WHERE r.force_id = %(force)s AND ST_DWithin"
)
SQL_HEATMAP_FORCE = SQL_HEATMAP.replace(
    "WHERE point && ", "WHERE force_id = %(force)s AND point && "
)
SQL_WARD_COUNTS = (
    f"SELECT aid, count(*) FROM {SOURCE}, unnest(area_ids) aid "
    f"WHERE force_id = %(force)s AND {_PERIOD} GROUP BY aid ORDER BY aid"
)
SQL_NEAREST_RECORDS = f"""
    SELECT r.id, r.reference, ST_Distance(r.point_bng, q.p)
    FROM {SOURCE} r, {_Q}
    WHERE r.force_id = %(force)s
    ORDER BY r.point_bng <-> q.p LIMIT 10
"""
# The control: the same nearest 10 without the force, which must read every
# partition (a Merge Append of each one's index scan).
SQL_NEAREST_ANY_FORCE = SQL_NEAREST_RECORDS.replace("WHERE r.force_id = %(force)s", "")


@dataclass(frozen=True)
class Query:
    name: str
    label: str
    sql: str
    # The map's heat-map query runs with plain index scans off
    # (maps.selectors): the box-and-period index is read as a bitmap.
    index_scans: bool = True
    # The columns the two tables must agree on: all, or (nearest 10, where
    # records at one premises tie on distance and either may come first) the
    # distances alone.
    compare: tuple[int, ...] | None = None


QUERIES = [
    Query("radius", "records within 500 m, 90 days, by kind", SQL_RADIUS),
    Query(
        "heatmap",
        f"heat-map binning, zoom {HEATMAP_ZOOM} box, 90 days",
        SQL_HEATMAP_FORCE,
        index_scans=False,
    ),
    Query("wards", "ward counts, 90 days", SQL_WARD_COUNTS),
    # <-> alone in ORDER BY, so the GiST index returns rows nearest first; a
    # tie-break column would make PostgreSQL sort the whole partition.
    Query("nearest", "nearest 10 records", SQL_NEAREST_RECORDS, compare=(2,)),
]


def force_points(ctx: Context) -> dict[int, tuple[float, float]]:
    """A point inside each force (WGS84): the city centre for the central
    area, else a point on each area's surface."""
    with connection.cursor() as cur:
        cur.execute(
            "SELECT row_number() OVER (ORDER BY code)::int, "
            "ST_X(p), ST_Y(p) FROM locations_area, "
            "LATERAL ST_Transform(ST_PointOnSurface(geom), 4326) p "
            "WHERE area_type = 'npa' ORDER BY code"
        )
        points = {f: (round(x, 6), round(y, 6)) for f, x, y in cur.fetchall()}
    with connection.cursor() as cur:
        cur.execute(
            "SELECT row_number() OVER (ORDER BY code)::int, "
            "ST_Intersects(geom, ST_SetSRID(ST_MakePoint(%s, %s), 4326)) "
            "FROM locations_area WHERE area_type = 'npa' ORDER BY code",
            [ctx.lon, ctx.lat],
        )
        for force_id, holds_centre in cur.fetchall():
            if holds_centre:
                points[force_id] = (ctx.lon, ctx.lat)
                break
    return points


def query_args(ctx: Context, *, force_id: int, point: tuple[float, float]) -> dict:
    lon, lat = point
    w, s, e, n = viewport(replace(ctx, lon=lon, lat=lat), HEATMAP_ZOOM)
    return {
        "force": force_id,
        "lon": lon,
        "lat": lat,
        "radius": 500,
        "w": w,
        "s": s,
        "e": e,
        "n": n,
        "cell": heatmap_cell_m(HEATMAP_ZOOM),
        **_period_args(ctx),
    }


def _execute(cur, query: Query, table: str, args: dict, *, explain: bool = False):
    sql = _on(query.sql, table)
    if explain:
        sql = "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql
    if not query.index_scans:
        cur.execute("SET enable_indexscan = off")
    try:
        cur.execute(sql, args)
        return cur.fetchall()
    finally:
        if not query.index_scans:
            cur.execute("RESET enable_indexscan")


def same_rows(a: list[tuple], b: list[tuple]) -> bool:
    """Equal rows, floats within rounding: a sum over the same rows in
    another order (a heat-map cell's weight) differs in its last bits."""
    if len(a) != len(b):
        return False
    for row_a, row_b in zip(a, b, strict=True):
        for x, y in zip(row_a, row_b, strict=True):
            if isinstance(x, float) and isinstance(y, float):
                if not math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-9):
                    return False
            elif x != y:
                return False
    return True


def _nodes(node: dict):
    yield node
    for child in node.get("Plans", []):
        yield from _nodes(child)


def plan_partitions(plan: dict) -> dict:
    """What an EXPLAIN (ANALYZE, FORMAT JSON) plan did with PARTED: the
    partitions in the plan, those it read (a node run at least once), and
    the shared buffers the whole statement touched."""
    planned, read = set(), set()
    for node in _nodes(plan["Plan"]):
        name = node.get("Relation Name", "")
        if name.startswith(f"{PARTED}_f"):
            planned.add(name)
            if node.get("Actual Loops", 0) > 0:
                read.add(name)
    top = plan["Plan"]
    return {
        "planned": sorted(planned),
        "read": sorted(read),
        "buffers": top.get("Shared Hit Blocks", 0) + top.get("Shared Read Blocks", 0),
    }


def _explain(cur, query: Query, table: str, args: dict) -> dict:
    rows = _execute(cur, query, table, args, explain=True)
    doc = rows[0][0]
    if isinstance(doc, str):
        doc = json.loads(doc)
    return doc[0]


def partitions_check(ctx: Context) -> dict:
    """Every query for one force, on both tables, explained: which partitions
    it read, the buffers it touched, and whether both tables answer alike."""
    points = force_points(ctx)
    checks = []
    with connection.cursor() as cur:
        for force_id, point in sorted(points.items()):
            args = query_args(ctx, force_id=force_id, point=point)
            for query in QUERIES:
                parted = _explain(cur, query, PARTED, args)
                flat = _explain(cur, query, FLAT, args)
                a = _execute(cur, query, PARTED, args)
                b = _execute(cur, query, FLAT, args)
                if query.compare:
                    a = [tuple(row[i] for i in query.compare) for row in a]
                    b = [tuple(row[i] for i in query.compare) for row in b]
                same = same_rows(a, b)
                got = plan_partitions(parted)
                checks.append(
                    {
                        "query": query.name,
                        "force": force_id,
                        **got,
                        "pruned": got["planned"]
                        == got["read"]
                        == [partition_name(force_id)],
                        "rows": parted["Plan"].get("Actual Rows", 0),
                        "flat_buffers": plan_partitions(flat)["buffers"],
                        "same_answer": same,
                    }
                )
        control = Query("nearest_any", "nearest 10, any force", SQL_NEAREST_ANY_FORCE)
        args = query_args(ctx, force_id=1, point=points[1])
        unpruned = plan_partitions(_explain(cur, control, PARTED, args))
    return {"checks": checks, "control": unpruned, "points": points}


# --- timings --------------------------------------------------------------


def partitions_run(*, ctx: Context, runs: int) -> list[dict]:
    """Build (or reuse) the tables, check the pruning, time each query for
    each force on both tables; one result per query and force."""
    built = partitions_build()
    sizes = partitions_sizes()
    checked = partitions_check(ctx)
    triggers = partitions_triggers_fit()
    results = [
        {
            "name": "partitions_build",
            "label": "records copied into 3 force partitions and one flat table",
            "runs": 1,
            "median_ms": built.get("timings", {}).get("total_s", 0) * 1000 or None,
            "note": json.dumps({"build": built, "sizes": sizes, "triggers": triggers}),
            "summary": "control (nearest 10, no force): read "
            f"{len(checked['control']['read'])} of 3 partitions",
            "targets": [
                {
                    "label": "a query without the force reads all 3",
                    "met": len(checked["control"]["read"]) == 3,
                },
                {
                    "label": "the product's triggers fit the partitioned table",
                    "met": bool(triggers["triggers"]) and not triggers["refused"],
                },
            ],
        }
    ]
    by_key = {(c["query"], c["force"]): c for c in checked["checks"]}
    with connection.cursor() as cur:
        for force_id, point in sorted(checked["points"].items()):
            args = query_args(ctx, force_id=force_id, point=point)
            for query in QUERIES:
                parted_t, flat_t = [], []
                for _ in range(runs):
                    t = time.perf_counter()
                    _execute(cur, query, PARTED, args)
                    parted_t.append(time.perf_counter() - t)
                    t = time.perf_counter()
                    _execute(cur, query, FLAT, args)
                    flat_t.append(time.perf_counter() - t)
                c = by_key[(query.name, force_id)]
                p, f = summarize(parted_t), summarize(flat_t)
                results.append(
                    {
                        "name": f"partition_{query.name}_f{force_id}",
                        "label": f"{query.label}, force {force_id}",
                        **p,
                        "peer": "same query, unpartitioned table",
                        "peer_median_ms": f["median_ms"],
                        "peer_p95_ms": f["p95_ms"],
                        "peer_speedup": ratio(f["median_ms"], p["median_ms"]),
                        **{k: c[k] for k in ("read", "buffers", "flat_buffers")},
                        "note": f"read {', '.join(c['read'])} of 3 partitions; "
                        f"buffers {c['buffers']:,} vs {c['flat_buffers']:,} "
                        f"unpartitioned; {c['rows']:,} rows, same answer: "
                        f"{c['same_answer']}",
                        "targets": [
                            {"label": "one partition", "met": c["pruned"]},
                            {"label": "same answer", "met": c["same_answer"]},
                        ],
                    }
                )
    return results
