"""How long the hot-spot statistics take on N synthetic records (default 1,000,000).

Creates a throw-away database beside the one in DATABASE_URL (its name plus
"_bench"), migrates it, inserts the records set-based with generate_series
(the triggers fill point_bng and area_ids as for any insert), times the
statistics and drops the database again.

    DATABASE_URL=postgis://intelmap@127.0.0.1:54329/intelmap_analysis \
        .venv/bin/python scripts/bench_hotspots.py [--records 1000000]
"""

import argparse
import os
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

INSERT_RECORDS = """
INSERT INTO intelligence_intelligencerecord (
    reference, kind, missing_point, occurred_from, received_on, source_type,
    grading_scheme, source_evaluation, intelligence_assessment, handling_code,
    handling_conditions, summary, tags, point, precision_m, area_ids,
    location_text, crime_type, vehicle_marks, subject_refs, review_date, source,
    source_id, created_at, updated_at, version)
SELECT 'BENCH-' || g,
       CASE WHEN g %% 5 = 0 THEN 'missing' ELSE 'intelligence' END,
       CASE WHEN g %% 5 = 0 THEN 'found' ELSE '' END,
       now() - random() * interval '112 days', current_date, 'police', '3x5x2',
       (1 + g %% 3)::text, substr('ABCDE', 1 + g %% 5, 1), 'P', '', '', '{}',
       -- 40 per cent of records around six hot spots, the rest spread over the city.
       CASE WHEN g %% 10 < 4 THEN ST_SetSRID(ST_MakePoint(
                -1.56 + (g %% 6) * 0.018 + (random() + random() + random() - 1.5) * 0.004,
                52.38 + (g %% 4) * 0.012 + (random() + random() + random() - 1.5) * 0.003),
                4326)
            ELSE ST_SetSRID(ST_MakePoint(-1.60 + random() * 0.18,
                                         52.35 + random() * 0.12), 4326) END,
       10, '{}', '', '', '{}', '{}', current_date + 365, 'bench', '', now(), now(), 1
FROM generate_series(1, %(n)s) AS g
"""
INSERT_LOCATIONS = """
INSERT INTO locations_location (name, category, address, postcode, point, area_ids,
    premises_licence_number, licence_holder, fhrs_id, fhrs_rating, concern_level,
    source, source_id, version, created_at, updated_at)
SELECT 'Bench premises ' || g, 'hotel', '', '',
       ST_SetSRID(ST_MakePoint(-1.60 + random() * 0.18, 52.35 + random() * 0.12), 4326),
       '{}', '', '', '', '', 'none', 'manual', '', 1, now(), now()
FROM generate_series(1, %(n)s) AS g
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--locations", type=int, default=2_000)
    parser.add_argument("--keep", action="store_true", help="do not drop the database")
    args = parser.parse_args()

    base = os.environ["DATABASE_URL"]
    parts = urlsplit(base)
    bench_name = parts.path.lstrip("/") + "_bench"
    admin = urlunsplit(("postgresql", parts.netloc, parts.path, "", ""))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{bench_name}"')
        conn.execute(f'CREATE DATABASE "{bench_name}"')
    os.environ["DATABASE_URL"] = urlunsplit(
        (parts.scheme, parts.netloc, "/" + bench_name, "", "")
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "intel_map.settings.base")
    try:
        run(args)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{bench_name}"')
            print(f"dropped {bench_name}")


def run(args) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from analysis.selectors.gistar import GridSettings, hotspot_grid
    from analysis.selectors.hotspots import HotspotSettings, hotspot_location_list

    call_command("migrate", verbosity=0)
    t = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute(INSERT_RECORDS, {"n": args.records})
        cur.execute(INSERT_LOCATIONS, {"n": args.locations})
        cur.execute(
            "ANALYZE intelligence_intelligencerecord; ANALYZE locations_location"
        )
    print(
        f"inserted {args.records:,} records, {args.locations:,} locations "
        f"in {time.perf_counter() - t:.1f} s"
    )

    end = timezone.now()
    for cell in (250, 100):
        settings = GridSettings(end=end, cell_m=cell)
        timings = []
        for _ in range(3):
            t = time.perf_counter()
            result = hotspot_grid(settings=settings)
            timings.append(time.perf_counter() - t)
        classes = {}
        for value in result.classes.ravel():
            classes[str(value)] = classes.get(str(value), 0) + 1
        print(
            f"Gi* + FDR + classes, {cell} m cells, 4 periods of 28 days "
            f"({result.grid.counts.sum():,} records, grid {result.grid.shape}): "
            f"best {min(timings):.2f} s, worst {max(timings):.2f} s; classes {classes}"
        )
    settings = HotspotSettings(start=end - timedelta(days=28), end=end)
    t = time.perf_counter()
    spots = hotspot_location_list(settings=settings, limit=20)
    print(
        f"ranked {args.locations:,} locations on the last 28 days within 200 m: "
        f"{time.perf_counter() - t:.2f} s; top: {spots[0].explanation if spots else '-'}"
    )


if __name__ == "__main__":
    main()
