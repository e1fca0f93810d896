"""Operations that are not one API request: the cached whole-city heat map,
bulk import and hot-spot statistics."""

import time
from importlib.util import find_spec

from django.db import transaction

from .ops import Context, viewport
from .runner import route_available
from .stats import summarize


def heatmap_cached_run(*, ctx: Context, client, runs: int) -> list[dict]:
    if not route_available("/api/v1/heatmap/"):
        return [
            {
                "name": "heatmap_cached",
                "label": "whole-city heat map from the cache",
                "skipped": "endpoint not available yet (/api/v1/heatmap/)",
            }
        ]
    from django.core.cache import cache

    out = []
    for zoom in (10, 11, 12):
        params = {"bbox": ",".join(map(str, viewport(ctx, zoom))), "zoom": zoom}
        params.update(ctx.period)
        cache.clear()
        t = time.perf_counter()
        first = client.get("/api/v1/heatmap/", params)
        cold_ms = (time.perf_counter() - t) * 1000
        assert first.status_code == 200, first.content[:300]
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            r = client.get("/api/v1/heatmap/", params)
            times.append(time.perf_counter() - t)
            assert r["X-Cache"] == "hit"
        s = summarize(times)
        out.append(
            {
                "name": f"heatmap_cached_z{zoom}",
                "label": f"whole-city heat map, zoom {zoom}, from the cache",
                "path": "/api/v1/heatmap/ (maps/cache.py)",
                "bytes": len(first.content),
                "cold_ms": cold_ms,
                **s,
                "targets": [
                    {"label": "<50 ms", "met": s["median_ms"] < 50},
                ],
            }
        )
    return out


class _Rollback(Exception):
    pass


def _import_points(n: int) -> list[tuple[float, float]]:
    """n WGS84 points spread over the city, deterministic."""
    from django.contrib.gis.geos import MultiPoint, Point

    from demo.city import CENTRE

    pts = MultiPoint(
        [
            Point(
                CENTRE[0] - 5_000 + (i * 7919) % 10_000,
                CENTRE[1] - 4_000 + (i * 104_729) % 8_000,
            )
            for i in range(n)
        ],
        srid=27700,
    )
    pts.transform(4326)
    return [p.coords for p in pts]


def bulk_import_run(*, n: int = 100_000) -> dict:
    """Import n premises the way the product does, then roll back.

    With the imports app: imports.services.premises.premises_upsert (COPY to
    a staging table, matching against held premises, set-based insert; the
    trigger fills point_bng and area_ids). Without it: Django's bulk_create,
    the floor every importer would otherwise rest on."""
    result = {"name": "bulk_import_100k", "label": f"bulk import of {n:,} premises"}
    points = _import_points(n)
    if find_spec("imports") is not None:
        from imports.services.premises import PlaceRow, premises_upsert
        from imports.services.report import ImportReport

        result["path"] = "imports.services.premises.premises_upsert"
        rows = [
            PlaceRow(
                where=f"row {i}",
                source_id=f"bench-import-{i}",
                name=f"Imported takeaway {i}",
                category="takeaway",
                lon=lon,
                lat=lat,
                address=f"{i} Import Road",
                postcode="CV1 1AA",
            )
            for i, (lon, lat) in enumerate(points)
        ]

        def work():
            report = ImportReport(what="bench premises")
            premises_upsert(source="osm", rows=rows, report=report)
            return report

        result["note"] = "matching against the 50,000 held premises included"
    else:
        from django.contrib.gis.geos import Point

        from locations.models import Location

        result["path"] = "Location.objects.bulk_create (trigger on)"
        result["note"] = "imports app not on main yet; bulk_create is the floor"
        objs = [
            Location(
                name=f"Imported takeaway {i}",
                category="takeaway",
                point=Point(lon, lat, srid=4326),
                source="import",
                source_id=f"bench-import-{i}",
            )
            for i, (lon, lat) in enumerate(points)
        ]

        def work():
            return Location.objects.bulk_create(objs, batch_size=2_000)

    t = time.perf_counter()
    try:
        with transaction.atomic():
            out = work()
            elapsed = time.perf_counter() - t
            raise _Rollback
    except _Rollback:
        pass
    if hasattr(out, "created"):
        result["note"] += f"; created {out.created:,}, matched {out.matched:,}"
    rate = n / elapsed
    result.update(
        {
            "runs": 1,
            "median_ms": elapsed * 1000,
            "p95_ms": elapsed * 1000,
            "rows_per_s": rate,
            "summary": f"{rate:,.0f} rows/s",
            "targets": [{"label": ">=5,000 rows/s", "met": rate >= 5_000}],
        }
    )
    return result


def gistar_run(*, ctx: Context, runs: int = 3) -> dict:
    result = {"name": "gistar", "label": "hot-spot statistics (Gi*), city grid"}
    if find_spec("analysis") is None:
        result["skipped"] = "analysis app not on main yet"
        return result
    try:
        from analysis.selectors.gistar import GridSettings, hotspot_grid
    except ImportError as exc:
        result["skipped"] = f"analysis.selectors.gistar not importable: {exc}"
        return result
    from datetime import datetime, timedelta

    from django.utils import timezone

    end = timezone.make_aware(
        datetime.combine(ctx.anchor + timedelta(days=1), datetime.min.time())
    )
    out = {}
    for cell in (250, 100):
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            grid = hotspot_grid(settings=GridSettings(end=end, cell_m=cell))
            times.append(time.perf_counter() - t)
        out[cell] = (summarize(times), int(grid.grid.counts.sum()))
    s, n = out[250]
    result.update(
        {
            "path": "analysis.selectors.gistar.hotspot_grid",
            **s,
            "note": f"250 m cells ({n:,} records): median {s['median_ms']:.0f} ms; "
            f"100 m cells: median {out[100][0]['median_ms']:.0f} ms",
            "targets": [{"label": "report the time", "met": None}],
        }
    )
    return result
