"""The benchmark's own logic: statistics, targets and a tiny seeded load.

No timings here; they belong to `make bench`."""

import json
from datetime import date

import pytest

from scripts.bench.ops import Target, context_make, heatmap_cell_m, viewport
from scripts.bench.stats import percentile, ratio, summarize


def test_percentile_interpolates_between_ranks():
    values = [5.0, 1.0, 3.0, 2.0, 4.0]
    assert percentile(values, 50) == 3.0
    assert percentile(values, 0) == 1.0
    assert percentile(values, 100) == 5.0
    assert percentile(values, 95) == pytest.approx(4.8)
    assert percentile([7.0], 95) == 7.0


def test_percentile_refuses_nonsense():
    with pytest.raises(ValueError):
        percentile([], 50)
    with pytest.raises(ValueError):
        percentile([1.0], 101)


def test_summarize_reports_milliseconds():
    s = summarize([0.001, 0.002, 0.003, 0.004])
    assert s["runs"] == 4
    assert s["median_ms"] == pytest.approx(2.5)
    assert s["min_ms"] == pytest.approx(1.0)
    assert s["p95_ms"] == pytest.approx(3.85)


def test_ratio_and_targets():
    assert ratio(30.0, 10.0) == 3.0
    assert ratio(None, 10.0) is None
    assert ratio(5.0, 0.0) is None
    at_most = Target("<=3x raw", "floor_ratio", "<=", 3)
    assert at_most.met({"floor_ratio": 3.0}) is True
    assert at_most.met({"floor_ratio": 3.1}) is False
    assert at_most.met({}) is None
    assert Target("<150 KB", "bytes", "<", 150_000).met({"bytes": 150_000}) is False


def test_viewport_halves_with_each_zoom_and_cells_double_out():
    ctx = context_make(anchor=date(2026, 1, 1), seed=1)
    w12, s12, e12, n12 = viewport(ctx, 12)
    w13, s13, e13, n13 = viewport(ctx, 13)
    assert w12 < ctx.lon < e12 and s12 < ctx.lat < n12
    assert (e12 - w12) == pytest.approx(2 * (e13 - w13), rel=1e-3)
    assert heatmap_cell_m(16) == 25 and heatmap_cell_m(12) == 400
    # The query points are the same for the same seed.
    assert ctx.points == context_make(anchor=date(2026, 1, 1), seed=1).points


def _bench_load_as_owner(run, seed: int) -> dict:
    code = (
        "import json; from datetime import date; "
        "from scripts.bench.dataset import SCALES, bench_load; "
        f"r = bench_load(scale=SCALES['tiny'], seed={seed}, anchor=date(2026, 6, 30)); "
        "print(json.dumps(r['counts']))"
    )
    return {"counts": json.loads(run(code))}


@pytest.mark.django_db(transaction=True)
def test_tiny_load_gives_the_expected_rows_and_the_triggers_columns(
    bench_owner_python,
):
    from intelligence.models import IntelligenceRecord
    from locations.services import areas_reassign
    from scripts.bench.dataset import SCALES

    scale = SCALES["tiny"]
    loaded = _bench_load_as_owner(bench_owner_python, 3)
    counts = loaded["counts"]
    assert counts["locations"] == scale.locations
    assert counts["records"] == scale.records
    assert counts["actions"] == scale.actions
    assert counts["wards"] == 18
    assert counts["links"] > 0
    # The load computed point_bng and area_ids as the trigger does: a
    # set-based recomputation by the product changes nothing.
    assert set(areas_reassign().values()) == {0}
    assert not IntelligenceRecord.objects.filter(point_bng__isnull=True).exists()
    # Nearly all fall in a ward; a few hot-spot records spill over the edge.
    in_wards = IntelligenceRecord.objects.exclude(area_ids=[]).count()
    assert 0.98 * scale.records <= in_wards <= scale.records
    newest = IntelligenceRecord.objects.order_by("-occurred_from").first()
    assert newest.occurred_from.date() <= date(2026, 6, 30)
    # Same seed, same data.
    first = list(
        IntelligenceRecord.objects.order_by("id").values_list("point", flat=True)[:5]
    )
    _bench_load_as_owner(bench_owner_python, 3)
    again = list(
        IntelligenceRecord.objects.order_by("id").values_list("point", flat=True)[:5]
    )
    assert [p.coords for p in first] == [p.coords for p in again]


def test_heat_map_runs_miss_the_cache_even_across_bench_runs():
    from scripts.bench.ops import OPERATIONS

    ctx = context_make(anchor=date(2026, 1, 1), seed=1)
    z12 = next(op for op in OPERATIONS if op.name == "heatmap_z12")
    runs = {z12.params(ctx, i)["run"] for i in range(5)}
    assert len(runs) == 5
    # A token of this process, so an earlier run's cached entries (the cache
    # keeps them 5 minutes) are not hit.
    token = next(iter(runs)).split("-")[0]
    assert len(token) == 8 and all(r.startswith(token + "-") for r in runs)
