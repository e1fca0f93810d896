"""gunicorn settings for a deployment: `gunicorn intel_map.wsgi:application`
reads this file from the working directory (the repository root).

Each value can be set from the environment, so one file serves a laptop and
a server. The defaults suit a small app server beside its database:

- gthread workers: a request spends most of its time waiting for PostgreSQL,
  so each process serves several requests at once on threads. A kept-alive
  connection stays with the worker that accepted it, so a worker must have
  threads for the users that happen to land on it: with 4 threads, 50 users'
  p95 was 1.8-2.7 s while the server's own p95 was 0.3 s (requests queued for
  a thread in a busy worker beside idle ones); with 10 it was 0.38 s
  (docs/scaling.md). Each thread keeps a database connection (CONN_MAX_AGE):
  workers x threads connections per app server;
- keep-alive, so a browser's or a proxy's requests reuse their connection,
  held longer than a load balancer's usual 60 s idle timeout (a server that
  closes first makes the balancer's next request on that connection fail);
  idle connections wait in the worker's poller, not on a thread;
- the app loaded once before forking (preload), so workers share its memory
  and start at once; each worker opens its own database connections
  (CONN_MAX_AGE keeps them) after the fork.
"""

import multiprocessing
import os

_cores = multiprocessing.cpu_count()

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
worker_class = "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * _cores + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 10))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", 75))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 20
preload_app = True
# Each worker listens on its own socket (SO_REUSEPORT) and the kernel spreads
# new connections over them evenly. On one shared socket the worker that
# happened to be awake took most of them: at 100 users on 1m records one of
# five workers served nearly every request (p95 2.9 s, the other four idle);
# at 50 users the p95 fell from 456 to 281 ms with this on (docs/scaling.md).
# A worker that stops resets connections still waiting in its own queue,
# unless the host sets net.ipv4.tcp_migrate_req = 1 (Linux 5.14 and later),
# which hands them to another worker's socket.
reuse_port = os.environ.get("GUNICORN_REUSE_PORT", "true").lower() not in (
    "0",
    "false",
    "no",
)
# Recycle workers now and then (jittered so they do not restart together),
# bounding the memory any one of them can accumulate.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 5000))
max_requests_jitter = max_requests // 10
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "warning")


def on_starting(server):
    # With SO_REUSEPORT a second server started on a port already served by
    # this user's first one would bind it too, and the two would split the
    # users between old and new code without a word. A plain bind first
    # (that ignores only TIME_WAIT) makes that an "address in use" error.
    # Sockets handed over by a re-executing master (USR2) are not checked.
    if not server.cfg.reuse_port or os.environ.get("GUNICORN_FD"):
        return
    port_free_or_exit(server.cfg.address)


def port_free_or_exit(addresses, *, tries: int = 5, wait_s: float = 1.0) -> None:
    """Exit unless each TCP address can be bound; like gunicorn's own bind,
    a few tries a second apart, for a server still letting go of it."""
    import socket
    import time

    for address in addresses:
        if not isinstance(address, tuple):
            continue  # a Unix socket path: gunicorn itself checks it
        host, port = address[0], address[1]
        family = socket.AF_INET6 if ":" in str(host) else socket.AF_INET
        for attempt in range(tries):
            with socket.socket(family, socket.SOCK_STREAM) as probe:
                probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                try:
                    probe.bind((host, port))
                    break
                except OSError as exc:
                    error = exc.strerror
            if attempt + 1 < tries:
                time.sleep(wait_s)
        else:
            raise SystemExit(
                f"gunicorn: {host}:{port} is already in use ({error}); "
                "is another Intel Map server running there?"
            )


def post_fork(server, worker):
    # Nothing should have connected before the fork; if something did, the
    # worker must not share that socket with its parent and siblings.
    from django.db import connections

    connections.close_all()


def when_ready(server):
    # The app is loaded before forking, but Django imports the URLconf (and
    # with it every view module) and compiles templates on a worker's first
    # request: seconds on a busy machine, paid again by each worker that
    # max_requests recycles. Done once here, the forked workers start warm.
    if not server.cfg.preload_app:
        return
    from django.template.loader import get_template
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports every route's views
    get_template("maps/map.html")
