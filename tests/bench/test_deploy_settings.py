"""The deployment settings the benchmark's load test runs with, and the
load test's request mix: what the map really asks for, each answered."""

import runpy
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import connection
from django.urls import resolve, reverse

from scripts.bench.__main__ import parse_args
from scripts.bench.loadtest import GUNICORN_CONF, gunicorn_shape, request_mix
from scripts.bench.ops import context_make
from tests import factories

ROOT = Path(__file__).resolve().parents[2]


def test_gunicorn_conf_is_threaded_kept_alive_and_preloaded(monkeypatch):
    assert GUNICORN_CONF == ROOT / "gunicorn.conf.py"
    conf = runpy.run_path(str(GUNICORN_CONF))
    assert conf["worker_class"] == "gthread"
    # Threads for the kept-alive users a worker may hold (gunicorn.conf.py).
    assert conf["workers"] >= 2 and conf["threads"] >= 10
    assert conf["keepalive"] > 0 and conf["preload_app"] is True
    assert callable(conf["post_fork"]) and callable(conf["when_ready"])
    # Each worker its own listening socket, so that the kernel spreads the
    # users' connections over them.
    assert conf["reuse_port"] is True
    monkeypatch.setenv("GUNICORN_WORKERS", "3")
    monkeypatch.setenv("GUNICORN_THREADS", "8")
    monkeypatch.setenv("GUNICORN_REUSE_PORT", "false")
    conf = runpy.run_path(str(GUNICORN_CONF))
    assert (conf["workers"], conf["threads"]) == (3, 8)
    assert conf["reuse_port"] is False
    assert gunicorn_shape() == "gunicorn 3 x 8 gthread"


@pytest.mark.django_db
def test_app_sessions_run_without_jit_or_parallel_workers():
    db = settings.DATABASES["default"]
    assert db["CONN_MAX_AGE"] >= 60 and db["CONN_HEALTH_CHECKS"] is True
    with connection.cursor() as cur:
        cur.execute("SHOW jit")
        assert cur.fetchone()[0] == "off"
        cur.execute("SHOW max_parallel_workers_per_gather")
        assert cur.fetchone()[0] == "0"


def test_load_users_option_takes_several_counts():
    # 50 and 100 users by default, each level against its own p95 target.
    assert parse_args(["--load-test"]).load_users == [50, 100]
    assert parse_args(["--load-test", "--load-users", "50", "20"]).load_users == [
        50,
        20,
    ]


@pytest.mark.django_db
def test_request_mix_is_what_the_map_asks_for_and_each_answers(client, analyst):
    ctx = context_make(anchor=date(2026, 6, 30), seed=1)
    paths = request_mix(ctx)
    routes = {urlsplit(p).path for p in paths}
    # The map's layers fetch these (maps/views.py config.urls, static/js).
    assert reverse("api-location-markers") in routes
    assert reverse("api-heatmap") in routes
    assert "/api/v1/locations/" not in routes
    heat = sum(urlsplit(p).path == reverse("api-heatmap") for p in paths)
    markers = sum(urlsplit(p).path == reverse("api-location-markers") for p in paths)
    assert heat == markers == 40
    client.force_login(analyst)
    factories.justify(client)  # as the load test's session has (s.62)
    for path in sorted(set(paths)):
        resolve(urlsplit(path).path)
        resp = client.get(path, HTTP_ACCEPT="application/json")
        assert resp.status_code == 200, (path, resp.content[:200])


def test_a_second_server_on_a_served_port_refuses_to_start():
    """With reuse_port, binding a port another server of this user listens on
    would succeed; gunicorn.conf.py's on_starting refuses instead."""
    import socket

    conf = runpy.run_path(str(GUNICORN_CONF))
    with socket.socket() as first:
        first.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        first.bind(("127.0.0.1", 0))
        first.listen()
        port = first.getsockname()[1]
        with pytest.raises(SystemExit, match=f"127.0.0.1:{port} is already in use"):
            conf["port_free_or_exit"]([("127.0.0.1", port)], tries=2, wait_s=0.1)
    # Free again (closed, nothing in TIME_WAIT holds a listener): no error.
    conf["port_free_or_exit"]([("127.0.0.1", port), "/run/intel-map.sock"])
