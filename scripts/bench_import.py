#!/usr/bin/env python
"""Import benchmark: synthetic premises in FHRS XML, and the two de-dup matchers.

    .venv/bin/python scripts/bench_import.py [--rows 100000] [--places 20000]

Writes --rows establishments in the Food Standards Agency's XML format, imports
them (creating every location), imports them again (nothing changes) and prints
rows per second for each. Then times matching --places new places against the
held locations with PostGIS and with rtree + shapely. Everything runs in one
transaction that is rolled back: the database is left as it was.
"""

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "intel_map.settings.base")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402

from imports.services import dedupe  # noqa: E402
from imports.services.fhrs import fhrs_import  # noqa: E402

TYPES = [
    "Takeaway/sandwich shop",
    "Hotel/bed &amp; breakfast/guest house",
    "Pub/bar/nightclub",
    "Restaurant/Cafe/Canteen",
    "Retailers - other",
]
WORDS = "Royal Crown Golden Star Lucky Dragon Oak Rose Swan Anchor Bell Castle".split()
# Around Coventry, in degrees: the benchmark's premises sit in a city-sized box.
WEST, SOUTH, EAST, NORTH = -1.61, 52.36, -1.42, 52.47


class Rollback(Exception):
    pass


def write_fhrs(path: Path, rows: int, rng: random.Random) -> list[tuple]:
    premises = []
    with open(path, "w", encoding="utf-8") as fh:
        fh.write('<?xml version="1.0" encoding="utf-8"?>\n<FHRSEstablishment>')
        fh.write(
            f"<Header><ItemCount>{rows}</ItemCount></Header><EstablishmentCollection>"
        )
        for n in range(rows):
            name = f"{rng.choice(WORDS)} {rng.choice(WORDS)} {n}"
            lon = rng.uniform(WEST, EAST)
            lat = rng.uniform(SOUTH, NORTH)
            premises.append((lon, lat, name))
            fh.write(
                f"<EstablishmentDetail><FHRSID>{5_000_000 + n}</FHRSID>"
                f"<BusinessName>{escape(name)}</BusinessName>"
                f"<BusinessType>{rng.choice(TYPES)}</BusinessType>"
                f"<AddressLine1>{n} High Street</AddressLine1><PostCode>CV1 1AA</PostCode>"
                f"<RatingValue>{rng.randint(0, 5)}</RatingValue>"
                f"<Geocode><Longitude>{lon:.6f}</Longitude>"
                f"<Latitude>{lat:.6f}</Latitude></Geocode></EstablishmentDetail>"
            )
        fh.write("</EstablishmentCollection></FHRSEstablishment>\n")
    return premises


def timed(label: str, rows: int, work):
    start = time.perf_counter()
    result = work()
    seconds = time.perf_counter() - start
    print(f"{label}: {rows:,} rows in {seconds:.2f} s = {rows / seconds:,.0f} rows/s")
    return result, seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--places", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fhrs-synthetic.xml"
        premises = write_fhrs(path, args.rows, rng)
        size = path.stat().st_size / 1e6
        print(f"wrote {args.rows:,} synthetic FHRS establishments ({size:.1f} MB)")
        try:
            with transaction.atomic():
                every = [dedupe.NewPlace(lon, lat, name) for lon, lat, name in premises]
                compare_matchers(
                    f"all {args.rows:,} premises against the locations already held",
                    every,
                    "fhrs",
                )
                first, _ = timed(
                    "first import (all created)",
                    args.rows,
                    lambda: fhrs_import(path=path, show_progress=False),
                )
                assert first.created == args.rows, first.as_text(max_rejections=5)
                again, _ = timed(
                    "second import (all unchanged)",
                    args.rows,
                    lambda: fhrs_import(path=path, show_progress=False),
                )
                assert again.unchanged == args.rows, again.as_text(max_rejections=5)
                bench_matchers(premises, args.places, rng)
                raise Rollback
        except Rollback:
            print("rolled back: the database is as it was")


def bench_matchers(premises, count: int, rng: random.Random) -> None:
    """Half the new places are a held premises a few metres off under a variant of
    its name; the other half are somewhere new."""
    places = []
    for _ in range(count):
        lon, lat, name = rng.choice(premises)
        if rng.random() < 0.5:
            places.append(
                dedupe.NewPlace(lon + 0.00005, lat + 0.00003, f"The {name} Ltd")
            )
        else:
            places.append(
                dedupe.NewPlace(
                    rng.uniform(WEST, EAST), rng.uniform(SOUTH, NORTH), name
                )
            )
    compare_matchers(
        f"{count:,} new places against {len(premises):,} held", places, "osm"
    )


def compare_matchers(what: str, places, exclude_source: str, repeat: int = 3) -> None:
    """Best of `repeat` runs of each matcher: the machine is shared, so a single
    run says as much about the neighbours as about the code."""
    print(f"de-dup matching, {what} (best of {repeat}):")
    results = {}
    for label, matcher in (
        ("PostGIS (ST_DWithin on point_bng)", dedupe.matches_postgis),
        ("rtree + shapely in Python", dedupe.matches_rtree),
    ):
        best = None
        for _ in range(repeat):
            start = time.perf_counter()
            found = matcher(places=places, exclude_source=exclude_source)
            seconds = time.perf_counter() - start
            best = seconds if best is None else min(best, seconds)
        rate = len(places) / best
        print(f"  {label}: {len(places):,} rows in {best:.2f} s = {rate:,.0f} rows/s")
        results[label] = (found, best)
    (a, ta), (b, tb) = results.values()
    assert a == b, "the two matchers disagree"
    faster = min(results, key=lambda k: results[k][1])
    print(
        f"  both found the same {len(a):,} matches; faster: {faster} "
        f"({max(ta, tb) / min(ta, tb):.1f}x)"
    )


if __name__ == "__main__":
    main()
