"""The benchmark's table on the terminal and its JSON file."""

import json
from datetime import datetime
from pathlib import Path


def _ms(value) -> str:
    if value is None:
        return "-"
    return f"{value:.1f}" if value < 100 else f"{value:.0f}"


def _x(value) -> str:
    return "-" if value is None else f"{value:.1f}x"


def _size(n) -> str:
    if n is None:
        return "-"
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f} MB"
    if n >= 1_000:
        return f"{n / 1_000:.1f} KB"
    return f"{n} B"


def _verdict(targets: list[dict]) -> str:
    parts = []
    for t in targets:
        mark = {True: "met", False: "MISSED", None: "n/a"}[t["met"]]
        parts.append(f"{t['label']}: {mark}")
    return "; ".join(parts)


COLUMNS = [
    ("operation", 30),
    ("median", 8),
    ("p95", 8),
    ("size", 9),
    ("q", 3),
    ("raw SQL", 8),
    ("ratio", 6),
    ("peer", 8),
    ("peer x", 7),
    ("peer size", 9),
]


def report_rows(doc: dict) -> list[list[str]]:
    rows = []
    for r in doc["results"]:
        if "skipped" in r:
            rows.append([r["name"], f"skipped: {r['skipped']}"])
            continue
        rows.append(
            [
                r["name"],
                _ms(r.get("median_ms")),
                _ms(r.get("p95_ms")),
                _size(r.get("bytes")),
                str(r.get("queries", "-")),
                _ms(r.get("floor_median_ms")),
                _x(r.get("floor_ratio")),
                _ms(r.get("peer_median_ms")),
                _x(r.get("peer_speedup")),
                _x(r.get("peer_size")),
            ]
        )
    return rows


def report_print(doc: dict) -> None:
    print(
        f"\nScale {doc['scale']} (seed {doc['seed']}); times in ms; ratio = API "
        "median / raw SQL median; peer x = peer median / API median; "
        "peer size = peer bytes / API bytes"
    )
    load = doc.get("machine", {}).get("load_average")
    if load:
        start, end = (", ".join(f"{v:.2f}" for v in load[k]) for k in ("start", "end"))
        print(f"Load average (1, 5, 15 min): {start} at the start, {end} at the end")
    header = "".join(h.ljust(w + 1) for h, w in COLUMNS)
    print(header)
    print("-" * len(header))
    for row in report_rows(doc):
        if len(row) == 2:
            print(row[0].ljust(COLUMNS[0][1] + 1) + row[1])
        else:
            print(
                "".join(c.ljust(w + 1) for c, (_, w) in zip(row, COLUMNS, strict=True))
            )
    print("\nTargets:")
    for r in doc["results"]:
        if r.get("targets"):
            extra = f"  ({r['note']})" if r.get("note") else ""
            print(f"  {r['name']}: {_verdict(r['targets'])}{extra}")
        elif "skipped" in r:
            print(f"  {r['name']}: skipped, {r['skipped']}")
        if r.get("summary"):
            print(f"  {r['name']}: {r['summary']}")


def report_write(doc: dict, directory: Path) -> Path:
    directory.mkdir(exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    path = directory / f"bench-{doc['scale']}-{stamp}.json"
    path.write_text(json.dumps(doc, indent=2, default=str))
    return path
