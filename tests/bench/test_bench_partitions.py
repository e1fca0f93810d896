"""The records partitioned by force (scripts/bench/partitions.py), on the
bench's tiny city: each force's queries read that force's partition alone.

The timings at 5,000,000 records belong to `make bench --only partitions`."""

import json

import pytest

from scripts.bench.partitions import FLAT, PARTED, QUERIES, index_definition

# Run as the owner in a process of its own: load the tiny city, build both
# tables, explain every query, then drop the tables again.
CODE = """
import json
from datetime import date
from django.db import connection
from scripts.bench.dataset import SCALES, bench_load
from scripts.bench.ops import context_make
from scripts.bench.partitions import (
    FLAT, PARTED, partitions_build, partitions_check, partitions_sizes,
    partitions_triggers_fit)
anchor = date(2026, 6, 30)
bench_load(scale=SCALES["tiny"], seed=2, anchor=anchor)
built = partitions_build(rebuild=True)
again = partitions_build()
out = {
    "built": built,
    "again": again,
    "sizes": partitions_sizes(),
    "check": partitions_check(context_make(anchor=anchor, seed=2)),
    "triggers": partitions_triggers_fit(),
}
with connection.cursor() as cur:
    cur.execute(f"DROP TABLE {PARTED}, {FLAT}")
print(json.dumps(out, default=str))
"""


@pytest.mark.django_db(transaction=True)
def test_a_forces_queries_read_its_partition_alone(bench_owner_python):
    from scripts.bench.dataset import SCALES

    out = json.loads(bench_owner_python(CODE))
    records = SCALES["tiny"].records
    assert out["built"]["reused"] is False and out["built"]["records"] == records
    # Unchanged records: the second build keeps the tables.
    assert out["again"]["reused"] is True

    sizes = out["sizes"]
    partitions = [f"{PARTED}_f{f}" for f in (1, 2, 3)]
    assert sorted(sizes) == sorted([*partitions, FLAT])
    assert sizes[FLAT]["rows"] == records
    assert sum(sizes[p]["rows"] for p in partitions) == records
    assert all(sizes[p]["rows"] > 0 for p in partitions)

    checks = out["check"]["checks"]
    assert {(c["query"], c["force"]) for c in checks} == {
        (q.name, f) for q in QUERIES for f in (1, 2, 3)
    }
    for c in checks:
        own = [f"{PARTED}_f{c['force']}"]
        assert c["planned"] == own and c["read"] == own, c
        assert c["pruned"] and c["same_answer"], c
    # Not vacuous: every query finds records in some force.
    for q in QUERIES:
        assert sum(c["rows"] for c in checks if c["query"] == q.name) > 0, q.name
    # The control, the nearest 10 with no force named, reads all three.
    assert out["check"]["control"]["read"] == partitions

    # The record table's triggers (roll-ups and history are statement-level
    # with transition tables) all go onto the partitioned table unchanged;
    # the row-level ones are cloned onto each partition; and none is left.
    triggers = out["triggers"]
    assert {"rollup_insert", "data_version_bump"} <= set(triggers["triggers"])
    assert triggers["refused"] == {}
    assert triggers["cloned_to_each_partition"] >= 2
    assert triggers["left"] == 0


def test_unique_indexes_lead_with_the_force_on_the_partitioned_table_only():
    source = (
        "CREATE UNIQUE INDEX intel_unique_source_id ON "
        "public.intelligence_intelligencerecord USING btree (source, source_id) "
        "WHERE ((source_id)::text <> ''::text)"
    )
    parted = index_definition(source, table=PARTED, name="p_i0", unique=True)
    flat = index_definition(source, table=FLAT, name="f_i0", unique=True)
    assert parted == (
        f"CREATE UNIQUE INDEX p_i0 ON {PARTED} USING btree "
        "(force_id, source, source_id) WHERE ((source_id)::text <> ''::text)"
    )
    assert flat == (
        f"CREATE UNIQUE INDEX f_i0 ON {FLAT} USING btree (source, source_id) "
        "WHERE ((source_id)::text <> ''::text)"
    )
    gist = (
        "CREATE INDEX intel_point_when_gist ON public.intelligence_intelligencerecord"
        " USING gist (point, occurred_from)"
    )
    assert index_definition(gist, table=PARTED, name="p_i1", unique=False) == (
        f"CREATE INDEX p_i1 ON {PARTED} USING gist (point, occurred_from)"
    )
