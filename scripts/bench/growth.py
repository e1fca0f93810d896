"""How each operation's cost grows with the data: a log-log plot and slopes.

    .venv/bin/python -m scripts.bench.growth [--scales 100k 1m 5m]
        [--results bench-results] [--out docs/scaling-growth.png] [--run]

    make bench BENCH_ARGS="--growth"

Reads the JSON files `make bench` writes (bench-results/*.json) and takes, for
each scale and operation, the newest median measured. `--run` first runs the
benchmark at each scale that has no results yet. It prints each operation's
growth exponent, the slope of log(median) against log(records) fitted by least
squares over the scales it was measured at: 0 is flat (the cost does not
depend on the number of records), 1 grows in proportion to them. The plot
(matplotlib, no display needed) draws each operation's median against the
number of records on log-log axes.
"""

import argparse
import json
import math
import subprocess
import sys
from pathlib import Path

from .scales import SCALES

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "bench-results"
PLOT = ROOT / "docs" / "scaling-growth.png"
DEFAULT_SCALES = ("100k", "1m", "5m")
# Not a per-request operation on the data set: these measure a fixed amount
# of work (an import of a fixed size, a load test, a browser) or a write.
NOT_GROWTH = ("load_test_", "first_view", "bulk_import", "licence_import")
NOT_GROWTH_NAMES = {"records_import", "write_cost"}
# Below this exponent an operation is called flat; from LINEAR_FROM on it
# grows about in proportion to the records.
FLAT_BELOW = 0.2
LINEAR_FROM = 0.8
# Issue 18: the heat maps the roll-ups answer may grow at most this much
# from 1m to 5m records.
GROWTH_TARGETS = {f"heatmap_z{z}": ("1m", "5m", 1.5) for z in (12, 13, 14)}


def growth_operation(name: str) -> bool:
    return name not in NOT_GROWTH_NAMES and not name.startswith(NOT_GROWTH)


def results_read(directory: Path, scales) -> dict[str, dict[str, dict]]:
    """{operation: {scale: result}}, the newest measurement of each, by the
    time the run finished ("when"), for the scales asked for."""
    newest: dict[tuple[str, str], tuple[str, dict]] = {}
    for path in sorted(directory.glob("bench-*.json")):
        try:
            doc = json.loads(path.read_text())
        except (OSError, ValueError):
            continue
        scale = doc.get("scale")
        if scale not in scales:
            continue
        when = doc.get("when", "")
        for result in doc.get("results", []):
            name = result.get("name")
            if not name or result.get("median_ms") is None:
                continue
            if not growth_operation(name):
                continue
            key = (name, scale)
            if key not in newest or newest[key][0] <= when:
                newest[key] = (when, result)
    table: dict[str, dict[str, dict]] = {}
    for (name, scale), (_, result) in newest.items():
        table.setdefault(name, {})[scale] = result
    return table


def growth_slope(points: list[tuple[float, float]]) -> float | None:
    """Least-squares slope of log(y) on log(x); None with fewer than two
    distinct x or any value that is not positive."""
    pts = [(math.log(x), math.log(y)) for x, y in points if x > 0 and y > 0]
    if len(pts) < 2 or len({x for x, _ in pts}) < 2:
        return None
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    sxx = sum((x - mx) ** 2 for x, _ in pts)
    sxy = sum((x - mx) * (y - my) for x, y in pts)
    return sxy / sxx


def growth_words(slope: float | None) -> str:
    if slope is None:
        return "not enough scales"
    if slope < FLAT_BELOW:
        return "flat"
    if slope < LINEAR_FROM:
        return "grows slower than the records"
    return "grows with the records"


def growth_rows(table: dict[str, dict[str, dict]], scales) -> list[dict]:
    rows = []
    for name in sorted(table):
        by_scale = table[name]
        points = [
            (SCALES[s].records, by_scale[s]["median_ms"])
            for s in scales
            if s in by_scale
        ]
        slope = growth_slope(points)
        rows.append(
            {
                "name": name,
                "label": next(iter(by_scale.values())).get("label", name),
                "points": points,
                "medians": {s: by_scale[s]["median_ms"] for s in by_scale},
                "slope": slope,
                "growth": growth_words(slope),
            }
        )
    return rows


def growth_plot(rows: list[dict], out: Path, scales) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(11, 7), dpi=110)
    markers = "osD^v<>pXh*"
    # Twenty distinct colours (the default cycle repeats after ten).
    colours = plt.get_cmap("tab20").colors
    for i, row in enumerate(r for r in rows if len(r["points"]) >= 2):
        xs, ys = zip(*sorted(row["points"]), strict=True)
        slope = "?" if row["slope"] is None else f"{row['slope']:.2f}"
        ax.plot(
            xs,
            ys,
            marker=markers[i % len(markers)],
            color=colours[(2 * i) % 20 + (i // 10) % 2],
            linewidth=1.4,
            label=f"{row['name']} (slope {slope})",
        )
    ax.set_xscale("log")
    ax.set_yscale("log")
    ticks = [SCALES[s].records for s in scales]
    ax.set_xticks(ticks)
    ax.set_xticklabels([f"{SCALES[s].records:,}" for s in scales])
    ax.minorticks_off()
    ax.set_xlabel("intelligence records in the database")
    ax.set_ylabel("median time per request, ms (log)")
    ax.set_title("Intel Map: each operation's median against the number of records")
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=8)
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out)
    plt.close(fig)


def growth_print(rows: list[dict], scales) -> None:
    head = "operation".ljust(32) + "".join(s.rjust(10) for s in scales)
    print(head + "   slope  growth")
    print("-" * (len(head) + 30))
    for row in rows:
        cells = "".join(
            (f"{row['medians'][s]:.1f}" if s in row["medians"] else "-").rjust(10)
            for s in scales
        )
        slope = "-" if row["slope"] is None else f"{row['slope']:.2f}"
        print(f"{row['name'].ljust(32)}{cells}   {slope.rjust(5)}  {row['growth']}")


def growth_targets(rows: list[dict]) -> list[str]:
    """Each growth target, met or missed, as a line; those whose two scales
    were not both measured are left out."""
    lines = []
    for row in rows:
        if row["name"] not in GROWTH_TARGETS:
            continue
        low, high, most = GROWTH_TARGETS[row["name"]]
        if low not in row["medians"] or high not in row["medians"]:
            continue
        grew = row["medians"][high] / row["medians"][low]
        verdict = "met" if grew <= most else "MISSED"
        lines.append(
            f"  {row['name']}: {low} to {high} grew {grew:.2f}x "
            f"(target <= {most}x): {verdict}"
        )
    return lines


def missing_scales_run(directory: Path, scales, runs: int) -> None:
    have = {
        json.loads(p.read_text()).get("scale") for p in directory.glob("bench-*.json")
    }
    for scale in scales:
        if scale in have:
            continue
        print(f"Running the benchmark at {scale} ...", flush=True)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "scripts.bench",
                "--scale",
                scale,
                "--runs",
                str(runs),
                "--skip-import",
            ],
            cwd=ROOT,
            check=True,
        )


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="scripts.bench.growth", description=__doc__)
    p.add_argument("--scales", nargs="+", default=list(DEFAULT_SCALES))
    p.add_argument("--results", type=Path, default=RESULTS)
    p.add_argument("--out", type=Path, default=PLOT)
    p.add_argument("--run", action="store_true", help="bench the missing scales")
    p.add_argument("--runs", type=int, default=20)
    args = p.parse_args(argv)
    unknown = [s for s in args.scales if s not in SCALES]
    if unknown:
        p.error(f"unknown scale(s) {unknown}; known: {', '.join(SCALES)}")
    scales = sorted(args.scales, key=lambda s: SCALES[s].records)
    if args.run:
        missing_scales_run(args.results, scales, args.runs)
    rows = growth_rows(results_read(args.results, scales), scales)
    if not rows:
        print(f"No results for {', '.join(scales)} in {args.results}.")
        return 1
    growth_print(rows, scales)
    targets = growth_targets(rows)
    if targets:
        print("\nTargets:")
        print("\n".join(targets))
    growth_plot(rows, args.out, scales)
    print(f"\nPlot: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
