"""Times each declared operation: API in-process, floor through psycopg, peer.

The API is called through Django's test Client in this process: every
request passes the full middleware stack (sessions, sign-in, CSRF), URL
routing, DRF authentication and permissions, the view and JSON rendering,
against the bench database, without socket noise; HTTP itself is measured by
the load test against gunicorn. Runs are interleaved (API, floor, peer) so a
neighbour's load on the shared machine hits all three alike.
"""

import time
from collections.abc import Callable

import psycopg
from django.db import connection
from django.test import Client
from django.urls import Resolver404, resolve

from .ops import BENCH_JUSTIFICATION, Context, Operation, SqlList
from .stats import ratio, summarize

WARMUP = 3


def route_available(path: str) -> bool:
    try:
        resolve(path)
    except Resolver404:
        return False
    return True


def bench_analyst():
    """The analyst every timed request is made as (created, or brought back
    in line, on each run)."""
    from accounts.roles import ANALYST
    from accounts.services import user_create

    return user_create(
        username="bench-analyst",
        password="bench-analyst-password",
        role=ANALYST,
        agency="police",
    )


def client_for(user) -> Client:
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    # The analyst has given the session's reason for consulting intelligence
    # (s.62), as a user does once per session before a what-is-here query.
    from audit.justification import session_justification_store

    session = client.session
    session_justification_store(session=session, text=BENCH_JUSTIFICATION)
    session.save()
    return client


def _timed(fn: Callable[[], object]) -> tuple[float, object]:
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def floor_run(conn: psycopg.Connection, statements: SqlList) -> int:
    rows = 0
    with conn.cursor() as cur:
        for sql, args in statements:
            cur.execute(sql, args)
            rows += len(cur.fetchall())
    return rows


class QueryCounter:
    def __init__(self):
        self.n = 0

    def __call__(self, execute, sql, params, many, context):
        self.n += 1
        return execute(sql, params, many, context)


def operation_run(
    op: Operation,
    *,
    ctx: Context,
    client: Client,
    floor_conn: psycopg.Connection,
    runs: int,
    peer_every: int = 4,
) -> dict:
    result: dict = {"name": op.name, "label": op.label, "path": op.path}
    if not route_available(op.path):
        result["skipped"] = f"endpoint not available yet ({op.path})"
        return result
    runs = op.runs or runs

    def api(i: int):
        response = client.get(op.path, op.params(ctx, i))
        if response.status_code != 200:
            raise RuntimeError(
                f"{op.name}: HTTP {response.status_code}: {response.content[:300]!r}"
            )
        return response

    for i in range(WARMUP):
        api(i)
        if op.floor:
            floor_run(floor_conn, op.floor(ctx, i))
    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        response = api(0)
    result["queries"] = counter.n
    result["bytes"] = len(response.content)

    api_t, floor_t, peer_t, peer_bytes = [], [], [], []
    for i in range(runs):
        api_t.append(_timed(lambda i=i: api(i))[0])
        if op.floor:
            dt, rows = _timed(lambda i=i: floor_run(floor_conn, op.floor(ctx, i)))
            floor_t.append(dt)
            result["floor_rows"] = rows
        if op.peer and i % peer_every == 0:
            dt, size = _timed(lambda i=i: op.peer(ctx, i, client))
            peer_t.append(dt)
            peer_bytes.append(size)
    api_s = summarize(api_t)
    result.update(api_s)
    if floor_t:
        floor_s = summarize(floor_t)
        result["floor_median_ms"] = floor_s["median_ms"]
        result["floor_p95_ms"] = floor_s["p95_ms"]
        result["floor_ratio"] = ratio(api_s["median_ms"], floor_s["median_ms"])
    if peer_t:
        peer_s = summarize(peer_t)
        result["peer"] = op.peer_label
        result["peer_median_ms"] = peer_s["median_ms"]
        result["peer_bytes"] = max(peer_bytes)
        result["peer_speedup"] = ratio(peer_s["median_ms"], api_s["median_ms"])
        result["peer_size"] = ratio(max(peer_bytes), result["bytes"])
    result["targets"] = [
        {"label": t.label, "met": t.met(result)}
        for t in op.targets
        if t.applies(ctx.scale)
    ]
    return result
