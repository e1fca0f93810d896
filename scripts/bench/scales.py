"""Data set sizes the benchmark knows; no Django here, so the CLI can list them."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Scale:
    name: str
    locations: int
    records: int
    actions: int


SCALES = {
    s.name: s
    for s in (
        Scale("tiny", 300, 3_000, 120),
        Scale("100k", 10_000, 100_000, 2_000),
        Scale("1m", 50_000, 1_000_000, 10_000),
        Scale("5m", 250_000, 5_000_000, 50_000),
    )
}

# Concurrent users of the load test, one run each, and the p95 each must stay
# under (issue 18).
LOAD_P95_TARGET_MS = {50: 250, 100: 500}
