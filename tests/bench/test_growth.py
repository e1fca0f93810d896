"""The growth plot: each operation's newest median per scale, its slope on
log-log axes, and the PNG drawn from them."""

import json

import pytest

from scripts.bench.growth import (
    growth_rows,
    growth_slope,
    growth_words,
    main,
    results_read,
)


def write_run(directory, name, *, scale, when, medians):
    doc = {
        "when": when,
        "scale": scale,
        "results": [
            {"name": op, "label": op, "median_ms": ms} for op, ms in medians.items()
        ]
        # Not per-request operations on the data: never plotted.
        + [
            {"name": "load_test_50", "median_ms": 80.0},
            {"name": "bulk_import_100k", "median_ms": 9000.0},
            {"name": "first_view", "skipped": "no browser"},
        ],
    }
    (directory / f"bench-{scale}-{name}.json").write_text(json.dumps(doc))


def test_slope_is_the_power_of_the_growth():
    flat = [(1e5, 3.0), (1e6, 3.0), (5e6, 3.0)]
    linear = [(1e5, 2.0), (1e6, 20.0), (5e6, 100.0)]
    root = [(1e4, 1.0), (1e6, 10.0)]
    assert growth_slope(flat) == pytest.approx(0.0)
    assert growth_slope(linear) == pytest.approx(1.0)
    assert growth_slope(root) == pytest.approx(0.5)
    assert growth_slope([(1e5, 3.0)]) is None
    assert growth_slope([(1e5, 3.0), (1e5, 4.0)]) is None
    assert [growth_words(s) for s in (0.05, 0.5, 1.0, None)] == [
        "flat",
        "grows slower than the records",
        "grows with the records",
        "not enough scales",
    ]


def test_newest_run_of_each_scale_is_read(tmp_path):
    runs = [
        ("a", "100k", "01", {"nearest_10": 9.0}),
        ("b", "100k", "02", {"nearest_10": 3.0, "ward_counts": 10.0}),
        ("c", "1m", "03", {"nearest_10": 3.0, "ward_counts": 100.0}),
        ("d", "tiny", "04", {"nearest_10": 1.0}),
    ]
    for name, scale, hour, medians in runs:
        when = f"2026-12-07T{hour}:00:00+00:00"
        write_run(tmp_path, name, scale=scale, when=when, medians=medians)
    table = results_read(tmp_path, ["100k", "1m"])
    assert set(table) == {"nearest_10", "ward_counts"}
    assert table["nearest_10"]["100k"]["median_ms"] == 3.0
    rows = {r["name"]: r for r in growth_rows(table, ["100k", "1m"])}
    assert rows["nearest_10"]["slope"] == pytest.approx(0.0)
    assert rows["nearest_10"]["growth"] == "flat"
    assert rows["ward_counts"]["slope"] == pytest.approx(1.0)


def test_plot_is_drawn_and_slopes_printed(tmp_path, capsys):
    for scale, n in (("100k", 1), ("1m", 10), ("5m", 50)):
        write_run(
            tmp_path,
            scale,
            scale=scale,
            when="2026-12-07T01:00:00+00:00",
            medians={"ward_counts": 2.0 * n, "nearest_10": 3.0},
        )
    out = tmp_path / "growth.png"
    assert main(["--results", str(tmp_path), "--out", str(out)]) == 0
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    printed = capsys.readouterr().out
    line = next(ln for ln in printed.splitlines() if ln.startswith("ward_counts"))
    assert "1.00" in line and "grows with the records" in line
    line = next(ln for ln in printed.splitlines() if ln.startswith("nearest_10"))
    assert "0.00" in line and "flat" in line


def test_no_results_is_said(tmp_path, capsys):
    assert main(["--results", str(tmp_path), "--out", str(tmp_path / "x.png")]) == 1
    assert "No results" in capsys.readouterr().out
