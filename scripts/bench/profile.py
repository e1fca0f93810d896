"""Profile one bench operation in-process, as `make bench` times it.

    .venv/bin/python -m scripts.bench.profile nearest_10 [--scale 1m]
        [--runs 50] [--sql] [--top 30]

Signs the bench's analyst in through the test Client (full middleware), runs
the operation's request a few times to warm up, then prints every SQL
statement one request sends (--sql) and the functions where `--runs`
requests spent their time (cProfile, sorted by own time and cumulative).
Reuses the bench database `make bench` loaded; loads nothing.
"""

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from datetime import date

from .__main__ import ROOT, bench_url, meta_get


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="scripts.bench.profile", description=__doc__)
    p.add_argument("operation")
    p.add_argument("--scale", default="1m")
    p.add_argument("--runs", type=int, default=50)
    p.add_argument("--top", type=int, default=30)
    p.add_argument("--sql", action="store_true", help="print each statement")
    args = p.parse_args(argv)

    url = bench_url(args.scale)
    meta = meta_get(url)
    if not meta:
        print(f"No bench load in {url}: run make bench first.", file=sys.stderr)
        return 1
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "intel_map.settings.base"
    os.environ["DEBUG"] = "false"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .ops import OPERATIONS, context_make
    from .runner import bench_analyst, client_for

    ops = {op.name: op for op in OPERATIONS}
    if args.operation not in ops:
        print(f"Operations: {', '.join(ops)}", file=sys.stderr)
        return 2
    op = ops[args.operation]
    client = client_for(bench_analyst())
    ctx = context_make(anchor=date.fromisoformat(meta["anchor"]), seed=1)

    def request(i: int):
        response = client.get(op.path, op.params(ctx, i))
        if response.status_code != 200:
            raise RuntimeError(f"HTTP {response.status_code}: {response.content[:300]}")
        return response

    for i in range(5):
        request(i)
    with CaptureQueriesContext(connection) as queries:
        request(0)
    print(f"{op.name}: {len(queries)} statements in one request")
    if args.sql:
        for q in queries.captured_queries:
            print(f"  {q['time']}s  {q['sql'][:300]}")

    t = time.perf_counter()
    for i in range(args.runs):
        request(i)
    plain = (time.perf_counter() - t) / args.runs * 1000
    profiler = cProfile.Profile()
    profiler.enable()
    for i in range(args.runs):
        request(i)
    profiler.disable()
    print(f"mean {plain:.2f} ms a request without the profiler ({args.runs} runs)")
    for order in ("tottime", "cumulative"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(args.top)
        print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
