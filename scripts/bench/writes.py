"""What the roll-ups cost the writes that keep them (issue 18): records
entered one at a time through the services, and a bulk import of records,
each with the roll-up triggers on and off (in the same transaction, rolled
back), interleaved in blocks so that a change in the machine's load falls
on both alike."""

import time
from datetime import timedelta

from django.db import connection, transaction

from .ops import Context
from .special import _import_points, _Rollback

# The roll-ups' triggers: the day rows (intelligence/migrations/
# 0011_rollups.py) and the bucket rows (0013_rollup_buckets.py).
ROLLUP_TRIGGERS = [
    (table, f"{prefix}_{event}")
    for prefix in ("rollup", "rollup_zbuckets")
    for table, event in (
        ("intelligence_intelligencerecord", "insert"),
        ("intelligence_intelligencerecord", "update"),
        ("intelligence_intelligencerecord", "delete"),
        ("intelligence_intelligencelocationlink", "insert"),
        ("intelligence_intelligencelocationlink", "update"),
        ("intelligence_intelligencelocationlink", "delete"),
        ("locations_location", "update"),
    )
]
BLOCK = 100


def _rollup_triggers(*, on: bool) -> None:
    verb = "ENABLE" if on else "DISABLE"
    with connection.cursor() as cur:
        for table, name in ROLLUP_TRIGGERS:
            cur.execute(f'ALTER TABLE {table} {verb} TRIGGER "{name}"')


def _timed_blocks(*, n: int, work, block: int = BLOCK) -> dict[bool, float]:
    """Seconds spent on n items with the triggers on and on n with them off,
    in alternating blocks, each in its own transaction, rolled back (a
    trigger cannot be switched once a transaction has deferred checks)."""
    spent = {True: 0.0, False: 0.0}
    done = 0
    while done < n:
        for on in (True, False):
            try:
                with transaction.atomic():
                    _rollup_triggers(on=on)
                    t = time.perf_counter()
                    work(start=done + (0 if on else n), count=min(block, n - done))
                    spent[on] += time.perf_counter() - t
                    raise _Rollback
            except _Rollback:
                pass
        done += block
    return spent


def write_cost_run(*, ctx: Context, n: int = 10_000) -> dict:
    """n records submitted and graded through the services (the way a
    record comes to count), triggers on against off."""
    from django.contrib.auth import get_user_model
    from django.contrib.gis.geos import Point
    from django.utils import timezone

    from intelligence.intake.services import submission_create
    from intelligence.triage.services import record_grade

    user = get_user_model().objects.get(username="bench-analyst")
    points = _import_points(2 * n)
    when = timezone.make_aware(ctx.start + timedelta(days=45))

    def work(*, start: int, count: int) -> None:
        for i in range(start, start + count):
            point = Point(*points[i], srid=4326)
            record = submission_create(
                user=user,
                data={
                    "kind": "intelligence",
                    "occurred_from": when + timedelta(minutes=i),
                    "source_type": "police",
                    "account": "Bench: a young person seen with older adults.",
                    "submitter_is_source": True,
                    "location_method": "map",
                    "point": point,
                    "precision_m": 10,
                },
            )
            record_grade(
                record=record,
                user=user,
                version=record.version,
                source_evaluation="2",
                intelligence_assessment="B",
                handling_code="P",
                handling_conditions="",
                summary="Young person seen with older adults.",
                point=point,
                precision_m=10,
            )

    spent = _timed_blocks(n=n, work=work)
    ratio = spent[True] / spent[False]
    return {
        "name": "write_cost",
        "label": f"{n:,} records submitted and graded, roll-up triggers on / off",
        "path": "intelligence.intake.services.submission_create + "
        "intelligence.triage.services.record_grade",
        "runs": 1,
        "median_ms": spent[True] / n * 1000,
        "p95_ms": spent[True] / n * 1000,
        "ratio": ratio,
        "summary": f"on {spent[True]:.1f} s, off {spent[False]:.1f} s: "
        f"{ratio:.2f}x ({spent[True] / n * 1000:.1f} against "
        f"{spent[False] / n * 1000:.1f} ms a record)",
        "targets": [{"label": "<=1.5x", "met": ratio <= 1.5}],
    }


def records_import_run(*, n: int = 100_000) -> dict:
    """A police.uk incidents import of n records (COPY, set-based insert),
    triggers on against off."""
    from django.utils import timezone

    from imports.services.police_uk import CrimeRow, _records_upsert
    from imports.services.report import ImportReport

    points = _import_points(2 * n)
    received = timezone.localdate()

    def work(*, start: int, count: int) -> None:
        rows = [
            CrimeRow(
                where=f"row {i}",
                source_id=f"bench-crime-{i}",
                month="2026-01",
                crime_type="Public order",
                location_text="On or near Bench Street",
                summary="",
                x=points[i][0],
                y=points[i][1],
            )
            for i in range(start, start + count)
        ]
        report = ImportReport(what="bench incidents")
        _records_upsert(rows=rows, report=report, received=received)
        assert report.created == count, report.as_text()

    spent = _timed_blocks(n=n, work=work, block=n // 4)
    on, off = n / spent[True], n / spent[False]
    return {
        "name": "records_import",
        "label": f"bulk import of {n:,} records (police.uk incidents)",
        "path": "imports.services.police_uk._records_upsert",
        "runs": 1,
        "median_ms": spent[True] * 1000,
        "p95_ms": spent[True] * 1000,
        "rows_per_s": on,
        "summary": f"{on:,.0f} rows/s with the roll-ups, {off:,.0f} without "
        f"({spent[True] / spent[False]:.2f}x)",
        "targets": [{"label": ">=5,000 rows/s", "met": on >= 5_000}],
    }
