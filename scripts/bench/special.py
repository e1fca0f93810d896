"""Operations that are not one API request: the cached whole-city heat map,
bulk import and hot-spot statistics."""

import time
from importlib.util import find_spec

from django.db import connection, transaction
from django.test import override_settings
from django.urls import include, path

from intel_map.cache import cache_for_scope

from .ops import Context, viewport
from .runner import route_available
from .stats import summarize


def heatmap_scope(request) -> str:
    user = request.user
    return "c{:d}h{:d}".format(
        user.has_perm("intelligence.view_record_content"),
        user.has_perm("intelligence.view_handling_c"),
    )


def newest_record_id() -> str:
    with connection.cursor() as cur:
        cur.execute("SELECT max(id) FROM intelligence_intelligencerecord")
        return str(cur.fetchone()[0])


def whole_city_view(request) -> bool:
    try:
        return int(request.GET.get("zoom", 99)) <= 12
    except ValueError:
        return False


def _bench_urlconf():
    """The project's URLs with the heat map behind the shared cache, as the
    map's view would be once wrapped with intel_map.cache.cache_for_scope."""
    from rest_framework.decorators import api_view, permission_classes
    from rest_framework.permissions import IsAuthenticated

    from maps.api import heatmap

    @api_view(["GET"])
    @permission_classes([IsAuthenticated])
    @cache_for_scope(
        prefix="heatmap",
        scope=heatmap_scope,
        when=whole_city_view,
        version=newest_record_id,
    )
    def cached_heatmap(request):
        return heatmap(request._request)

    module = type("BenchUrls", (), {})()
    module.urlpatterns = [
        path("bench/heatmap-cached/", cached_heatmap),
        path("", include("intel_map.urls")),
    ]
    return module


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
    with override_settings(ROOT_URLCONF=_bench_urlconf()):
        for zoom in (10, 11, 12):
            params = {"bbox": ",".join(map(str, viewport(ctx, zoom))), "zoom": zoom}
            params.update(ctx.period)
            cache.clear()
            t = time.perf_counter()
            first = client.get("/bench/heatmap-cached/", params)
            cold_ms = (time.perf_counter() - t) * 1000
            assert first.status_code == 200, first.content[:300]
            times = []
            for _ in range(runs):
                t = time.perf_counter()
                r = client.get("/bench/heatmap-cached/", params)
                times.append(time.perf_counter() - t)
                assert r["X-Cache"] == "hit"
            s = summarize(times)
            out.append(
                {
                    "name": f"heatmap_cached_z{zoom}",
                    "label": f"whole-city heat map, zoom {zoom}, from the cache",
                    "path": "/api/v1/heatmap/ (cached)",
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


def bulk_import_run(*, n: int = 100_000) -> dict:
    """Insert n premises the way an import does, then roll back.

    Uses the imports app's bulk path when it is there; otherwise Django's
    bulk_create of Locations (the trigger fills point_bng and area_ids), which
    is what every importer rests on."""
    from django.contrib.gis.geos import Point

    from demo.city import CENTRE
    from locations.models import Location

    result = {
        "name": "bulk_import_100k",
        "label": f"bulk import of {n:,} premises",
        "path": "Location.objects.bulk_create (trigger on)",
    }
    if find_spec("imports") is not None:
        result["note"] = (
            "imports app present; timed its storage path (bulk_create with the "
            "trigger), as its parsers differ by format"
        )
    else:
        result["note"] = "imports app not on main yet; bulk_create is the floor"
    # Points in metres; PostGIS transforms them on insert, as for any import.
    objs = [
        Location(
            name=f"Imported premises {i}",
            category="takeaway",
            address=f"{i} Import Road",
            postcode="CV1 1AA",
            point=Point(
                CENTRE[0] - 5_000 + (i * 7919) % 10_000,
                CENTRE[1] - 4_000 + (i * 104_729) % 8_000,
                srid=27700,
            ),
            source="import",
            source_id=f"bench-import-{i}",
        )
        for i in range(n)
    ]
    t = time.perf_counter()
    try:
        with transaction.atomic():
            Location.objects.bulk_create(objs, batch_size=2_000)
            elapsed = time.perf_counter() - t
            raise _Rollback
    except _Rollback:
        pass
    rate = n / elapsed
    result.update(
        {
            "runs": 1,
            "median_ms": elapsed * 1000,
            "p95_ms": elapsed * 1000,
            "rows_per_s": rate,
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
