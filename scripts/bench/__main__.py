"""make bench: load (or reuse) the synthetic city, time every operation.

    .venv/bin/python -m scripts.bench [--scale 1m|5m|100k|tiny] [--seed 1]
        [--fresh] [--runs 50] [--only NAME ...] [--load-test [--load-users 50 100]]
        [--first-view] [--growth]

`--only partitions` (named, never part of a full run: it copies the records
twice) builds the records partitioned by force beside the product's table and
shows, from EXPLAIN, that a force's queries read its partition alone
(scripts/bench/partitions.py).

The data go into their own database beside DATABASE_URL's
(intelmap_benchdata_<scale>, or BENCH_DATABASE_URL), never the dev database.
A load is reused when that database already holds the same scale, seed and
generator version; --fresh rebuilds it.
"""

import argparse
import json
import os
import platform
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "bench-results"
# The project-local cluster, on the port the settings use (INTEL_MAP_PG_PORT).
DEFAULT_DB = (
    f"postgis://intelmap@127.0.0.1:{os.environ.get('INTEL_MAP_PG_PORT', '54329')}"
    "/intelmap"
)


def bench_url(scale: str) -> str:
    if url := os.environ.get("BENCH_DATABASE_URL"):
        return url
    parts = urlsplit(os.environ.get("DATABASE_URL", DEFAULT_DB))
    return urlunsplit(parts._replace(path=f"/intelmap_benchdata_{scale}"))


def conninfo(url: str, dbname: str | None = None) -> str:
    parts = urlsplit(url)
    path = f"/{dbname}" if dbname else parts.path
    return urlunsplit(("postgresql", parts.netloc, path, parts.query, ""))


def database_ensure(url: str, *, fresh: bool) -> None:
    name = urlsplit(url).path.lstrip("/")
    with psycopg.connect(conninfo(url, "postgres"), autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if exists and fresh:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    with psycopg.connect(conninfo(url), autocommit=True) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        conn.execute(
            "CREATE TABLE IF NOT EXISTS bench_meta (id int PRIMARY KEY, meta jsonb)"
        )


def meta_get(url: str) -> dict | None:
    with psycopg.connect(conninfo(url)) as conn:
        row = conn.execute("SELECT meta FROM bench_meta WHERE id = 1").fetchone()
        return row[0] if row else None


def meta_set(url: str, meta: dict) -> None:
    with psycopg.connect(conninfo(url), autocommit=True) as conn:
        conn.execute(
            "INSERT INTO bench_meta VALUES (1, %s) ON CONFLICT (id) "
            "DO UPDATE SET meta = EXCLUDED.meta",
            [json.dumps(meta)],
        )


def parse_args(argv=None):
    from .scales import LOAD_P95_TARGET_MS, SCALES

    p = argparse.ArgumentParser(prog="make bench", description=__doc__)
    p.add_argument("--scale", choices=list(SCALES), default="1m")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--fresh", action="store_true", help="rebuild the data")
    p.add_argument("--runs", type=int, default=50, help="timed runs per operation")
    p.add_argument("--only", nargs="*", help="operation names (prefixes)")
    p.add_argument("--skip-import", action="store_true")
    p.add_argument("--load-test", action="store_true", help="also run wrk")
    p.add_argument(
        "--load-users",
        nargs="+",
        type=int,
        default=list(LOAD_P95_TARGET_MS),
        metavar="N",
        help="concurrent users for the load test, one run each (default 50 100)",
    )
    p.add_argument("--first-view", action="store_true", help="also time the map")
    p.add_argument(
        "--growth",
        action="store_true",
        help="only plot each operation's median at 100k, 1m and 5m from the "
        "saved results (scripts/bench/growth.py) into docs/scaling-growth.png",
    )
    p.add_argument(
        "--write-records",
        type=int,
        default=10_000,
        help="records entered through the services for write_cost",
    )
    return p.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.growth:
        from .growth import main as growth_main

        return growth_main([])
    load_start = os.getloadavg()
    url = bench_url(args.scale)
    database_ensure(url, fresh=args.fresh)
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "intel_map.settings.base"
    os.environ["DEBUG"] = "false"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("sync_roles", verbosity=0)

    from . import dataset
    from .report import report_print, report_write

    scale = dataset.SCALES[args.scale]
    meta = meta_get(url) or {}
    wanted = {
        "scale": scale.name,
        "seed": args.seed,
        "generator": dataset.GENERATOR_VERSION,
    }
    if {k: meta.get(k) for k in wanted} != wanted or "anchor" not in meta:
        anchor = dataset.bench_anchor()
        print(f"Loading scale {scale.name} (seed {args.seed}) into {url} ...")
        loaded = dataset.bench_load(scale=scale, seed=args.seed, anchor=anchor)
        with psycopg.connect(conninfo(url), autocommit=True) as conn:
            t = time.perf_counter()
            conn.execute("VACUUM ANALYZE")
            loaded["timings"]["vacuum_analyze_s"] = time.perf_counter() - t
        meta = {**wanted, "anchor": anchor.isoformat(), "load": loaded}
        meta_set(url, meta)
    else:
        print(f"Reusing the scale {scale.name} load in {url} (--fresh rebuilds it)")
    meta = people_ensure(url, meta=meta, records=scale.records, seed=args.seed)
    print("  load:", json.dumps(meta["load"]))
    print("  people:", json.dumps(meta["people"]))
    anchor = date.fromisoformat(meta["anchor"])
    results = run_all(args, url=url, anchor=anchor)
    doc = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "scale": scale.name,
        "seed": args.seed,
        "dataset": meta,
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            # 1, 5 and 15-minute load averages when the run started and ended:
            # the machine is shared, so every figure is read beside them.
            "load_average": {"start": load_start, "end": os.getloadavg()},
        },
        "results": results,
    }
    report_print(doc)
    path = report_write(doc, RESULTS)
    print(f"\nJSON: {path}")
    return 0


def people_ensure(url: str, *, meta: dict, records: int, seed: int) -> dict:
    """Subjects, vehicles and links beside the city, loaded once per version
    (scripts/bench/people.py): adding them never reloads the records."""
    from .people import PEOPLE_VERSION, people_load

    wanted = {"version": PEOPLE_VERSION, "records": records, "seed": seed}
    have = meta.get("people") or {}
    if {k: have.get(k) for k in wanted} == wanted:
        return meta
    print("Loading subjects, vehicles and links ...", flush=True)
    meta = {**meta, "people": {**wanted, **people_load(records=records, seed=seed)}}
    meta_set(url, meta)
    return meta


def _selected(name: str, only: list[str] | None) -> bool:
    return not only or any(name.startswith(o) for o in only)


def run_all(args, *, url: str, anchor: date) -> list[dict]:
    from django.conf import settings

    from . import special
    from .ops import OPERATIONS, context_make
    from .people import PEOPLE_OPERATIONS
    from .runner import bench_analyst, client_for, operation_run

    client = client_for(bench_analyst())
    ctx = context_make(anchor=anchor, seed=args.seed, scale=args.scale)
    results = []
    # The floor runs with the app's own session settings (PG_SESSION_OPTIONS),
    # so the ratio compares the same server doing the same work.
    options = settings.DATABASES["default"].get("OPTIONS", {}).get("options", "")
    with psycopg.connect(conninfo(url), autocommit=True, options=options) as floor_conn:
        for op in [*OPERATIONS, *PEOPLE_OPERATIONS]:
            if not _selected(op.name, args.only):
                continue
            print(f"  {op.name} ...", flush=True)
            results.append(
                operation_run(
                    op, ctx=ctx, client=client, floor_conn=floor_conn, runs=args.runs
                )
            )
    if _selected("heatmap_cached", args.only):
        print("  heatmap_cached ...", flush=True)
        results.extend(
            special.heatmap_cached_run(ctx=ctx, client=client, runs=args.runs)
        )
    if _selected("gistar", args.only):
        print("  gistar ...", flush=True)
        results.append(special.gistar_run(ctx=ctx))
    if _selected("knox", args.only):
        print("  knox_50k ...", flush=True)
        results.append(special.knox_run(ctx=ctx, client=client))
    if _selected("bulk_import", args.only) and not args.skip_import:
        print("  bulk_import_100k ...", flush=True)
        results.append(special.bulk_import_run())
    if _selected("licence_import", args.only) and not args.skip_import:
        from .licensing import licence_import_run

        print("  licence_import_50k ...", flush=True)
        results.append(licence_import_run())
    if _selected("write_cost", args.only):
        from .writes import write_cost_run

        print(f"  write_cost ({args.write_records:,} records) ...", flush=True)
        results.append(write_cost_run(ctx=ctx, n=args.write_records))
    if _selected("records_import", args.only) and not args.skip_import:
        from .writes import records_import_run

        print("  records_import ...", flush=True)
        results.append(records_import_run())
    if args.only and _selected("partitions", args.only):
        from .partitions import partitions_run

        print("  partitions ...", flush=True)
        results.extend(partitions_run(ctx=ctx, runs=args.runs))
    if args.load_test:
        from .loadtest import loadtest_run

        for users in args.load_users:
            print(f"  load_test_{users} ...", flush=True)
            results.append(loadtest_run(url=url, ctx=ctx, users=users))
    if args.first_view:
        from .firstview import first_view_run

        results.append(first_view_run(url=url))
    return results


if __name__ == "__main__":
    sys.exit(main())
