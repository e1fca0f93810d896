"""Time the heat-map API on whatever city is loaded (e.g. the demo city).

Usage: DATABASE_URL=... .venv/bin/python scripts/bench_heatmap.py [USERNAME]
Prints, per zoom level over the city's extent, the response size, the number of
cells and the median time of five calls through the full Django/DRF stack.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "intel_map.settings.base")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.gis.db.models import Extent  # noqa: E402
from django.test import Client  # noqa: E402

from intelligence.models import IntelligenceRecord  # noqa: E402
from locations.models import Area  # noqa: E402


def main() -> None:
    username = sys.argv[1] if len(sys.argv) > 1 else "analyst"
    user = get_user_model().objects.get(username=username)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    extent = Area.objects.aggregate(e=Extent("geom"))["e"]
    bbox = ",".join(f"{v:.5f}" for v in extent)
    print(f"records: {IntelligenceRecord.objects.count()}  user: {username}")
    print(f"bbox: {bbox}")
    for zoom in (11, 12, 13, 14, 15, 16):
        for params in ({}, {"since": "2025-11-24", "min_grade": "2B"}):
            times, resp = [], None
            for _ in range(5):
                start = time.perf_counter()
                resp = client.get(
                    "/api/v1/heatmap/", {"bbox": bbox, "zoom": zoom, **params}
                )
                times.append((time.perf_counter() - start) * 1000)
            assert resp.status_code == 200, resp.content[:300]
            body = resp.json()
            label = "365d,2B" if params else "90d"
            print(
                f"zoom {zoom:2d} {label:8s} cell {body['settings']['cell_m']:5d} m  "
                f"cells {len(body['cells']):5d}  bytes {len(resp.content):7d}  "
                f"median {statistics.median(times):6.1f} ms"
            )


if __name__ == "__main__":
    main()
