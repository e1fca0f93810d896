"""Faults injected into the running cluster (`make cluster`) while 20
simulated users write and read through HAProxy. Each test prints one line:
fault, time to recover, requests failed, writes lost.

Time to recover: from the fault to the last request that failed (0 when
none did). Requests failed: answers other than 2xx, by status. Writes lost:
records acknowledged to a user (201) that the primary does not hold after
the fault; always 0.

Run by `make cluster-test`, never by `make test` (outside testpaths: a run
takes a few minutes and needs the cluster's ports).
"""

import collections
import signal
import time

import psycopg
import pytest

from scripts.cluster import apps, nodes, process
from scripts.cluster.tests.load import Load

USERS = 20
RECOVERY_BUDGET_S = 30
# Load before the fault, and how long every request must then succeed.
WARM_S = 5
STEADY_S = 10
TABLE = process.STATE / "fault-table.txt"


def cluster_healthy(timeout_s: float = 300) -> None:
    process.wait_for(
        "a primary and a secondary",
        lambda: (
            sorted(r for r, g in nodes.node_states().values() if r == g)
            == ["primary", "secondary"]
        ),
        timeout_s=timeout_s,
        every_s=1,
    )
    n = apps.app_servers()
    for i in range(n):
        apps.app_start(i)
    process.wait_for(
        "every app server up in HAProxy",
        lambda: len(apps.haproxy_servers_up()) == n,
        timeout_s=120,
    )


@pytest.fixture(scope="module", autouse=True)
def cluster():
    if not process.running("haproxy"):
        pytest.fail("the cluster is not running: `make cluster` starts it")
    TABLE.write_text(
        "| Fault | Time to recover | Requests failed | Writes lost |\n"
        "|---|---|---|---|\n"
    )
    yield
    print("\n" + TABLE.read_text())


@pytest.fixture
def healthy():
    cluster_healthy()


def primary_record_ids(ids: list[int]) -> set[int]:
    """Which of these records the primary holds, asked of whichever node
    is primary now (libpq's read-write choice across both nodes)."""
    hosts = ",".join("127.0.0.1" for _ in nodes.NODES)
    ports = ",".join(str(n.port) for n in nodes.NODES)
    with psycopg.connect(
        f"host={hosts} port={ports} user={nodes.OWNER} dbname={nodes.DBNAME} "
        "target_session_attrs=read-write connect_timeout=3"
    ) as conn:
        rows = conn.execute(
            "SELECT id FROM intelligence_intelligencerecord WHERE id = ANY(%s)",
            [ids],
        ).fetchall()
    return {r[0] for r in rows}


def report(fault: str, load: Load, t_fault: float) -> dict:
    failed = load.stats.failed(since=t_fault)
    recover_s = max((a.at + a.latency_s for a in failed), default=t_fault) - t_fault
    acked = list(load.stats.acknowledged)
    lost = len(set(acked) - primary_record_ids(acked))
    by_status = collections.Counter(a.status for a in failed)
    total = len(load.stats.answers)
    statuses = ", ".join(
        f"{n} x {s or 'no answer'}" for s, n in sorted(by_status.items())
    )
    line = (
        f"| {fault} | {recover_s:.1f} s | {len(failed)} of {total}"
        f"{f' ({statuses})' if failed else ''} | {lost} of {len(acked)} |"
    )
    print(f"\nFAULT {line}")
    with TABLE.open("a") as f:
        f.write(line + "\n")
    return {"recover_s": recover_s, "failed": failed, "lost": lost, "acked": acked}


def steady(load: Load, seconds: float) -> float:
    """Keeps the load on; returns when the last `seconds` had no failure."""
    deadline = time.monotonic() + RECOVERY_BUDGET_S + seconds + 30
    while time.monotonic() < deadline:
        time.sleep(1)
        now = time.monotonic()
        if not load.stats.failed(since=now - seconds) and load.stats.ok_after(
            now - seconds
        ):
            return now
    return time.monotonic()


def every_user_continued(load: Load, since: float) -> list[str]:
    return [u.username for u in load.users if u.last_ok < since]


def test_an_app_server_killed_under_load_is_taken_out_by_haproxy(healthy):
    victim = "app2"
    with Load(base=apps.URL, users=USERS) as load:
        time.sleep(WARM_S)
        t_fault = time.monotonic()
        process.stop(victim, sig=signal.SIGKILL, timeout_s=5)
        process.wait_for(
            "HAProxy to mark the app server down",
            lambda: victim not in apps.haproxy_servers_up(),
            timeout_s=30,
            every_s=0.1,
        )
        t_noticed = time.monotonic()
        time.sleep(STEADY_S)
    result = report(
        f"App server killed (SIGKILL, {victim} of {apps.app_servers()}); "
        f"HAProxy noticed after {t_noticed - t_fault:.1f} s",
        load,
        t_fault,
    )
    after_notice = load.stats.failed(since=t_noticed)
    assert after_notice == [], after_notice[:5]
    assert result["lost"] == 0
    assert t_noticed - t_fault < 10
    assert not [a for a in result["failed"] if a.status == 500]
    assert every_user_continued(load, since=t_noticed) == []
    assert load.stats.ok_after(t_noticed) > 0


def test_a_stopped_standby_sends_reads_to_the_primary_without_error(healthy):
    standby = next(
        n for n in nodes.NODES if nodes.node_states()[n.name][0] == "secondary"
    )
    with Load(base=apps.URL, users=USERS) as load:
        time.sleep(WARM_S)
        t_fault = time.monotonic()
        nodes.pgaf_stop(standby.name, standby.pgdata)
        time.sleep(STEADY_S)
        t_end = time.monotonic()
    result = report(
        f"Standby stopped ({standby.name}); reads on the primary",
        load,
        t_fault,
    )
    try:
        assert result["failed"] == [], result["failed"][:5]
        assert result["lost"] == 0
        reads_after = [
            a for a in load.stats.answers if a.at >= t_fault and a.kind == "read"
        ]
        assert reads_after and all(a.status == 200 for a in reads_after)
        assert every_user_continued(load, since=t_end - STEADY_S / 2) == []
    finally:
        nodes.node_start(standby)


def test_the_primary_killed_under_load_fails_over_without_losing_a_write(healthy):
    primary = nodes.primary_node()
    standby = next(n for n in nodes.NODES if n != primary)
    with Load(base=apps.URL, users=USERS) as load:
        time.sleep(WARM_S)
        t_fault = time.monotonic()
        nodes.node_kill(primary)
        process.wait_for(
            f"{standby.name} to be promoted",
            lambda: nodes.primary_node() == standby,
            timeout_s=60,
            every_s=0.2,
        )
        t_promoted = time.monotonic()
        t_steady = steady(load, STEADY_S)
    result = report(
        f"Primary killed (SIGKILL {primary.name}: pg_autoctl, PostgreSQL, its PgBouncer); "
        f"{standby.name} promoted after {t_promoted - t_fault:.1f} s",
        load,
        t_fault,
    )
    try:
        assert t_promoted - t_fault < RECOVERY_BUDGET_S
        assert result["recover_s"] < RECOVERY_BUDGET_S
        assert result["lost"] == 0, f"{result['lost']} acknowledged writes lost"
        # Whatever failed during the switch said so, and when to try again.
        wrong = [a for a in result["failed"] if a.status != 503 or not a.retry_after]
        assert wrong == [], [a.detail for a in wrong[:3]]
        assert every_user_continued(load, since=t_steady - STEADY_S) == []
    finally:
        # The lost node comes back as the new primary's standby.
        nodes.node_start(primary)
        cluster_healthy(timeout_s=300)
