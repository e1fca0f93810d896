# Intel Map: `make run` serves the demo city, `make test` runs every test.
SHELL := /bin/bash
PY := .venv/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup run dev test stop demo lint bench backup restore cluster cluster-stop cluster-test

setup:
	@bash scripts/setup.sh

demo: setup
	@$(PY) manage.py demo_city --seed 1 --if-empty
	@$(PY) manage.py demo_users

# Served as a deployment serves it: gunicorn with gunicorn.conf.py, DEBUG off,
# static files collected once and served by WhiteNoise.
run: demo
	@WHITENOISE_USE_FINDERS=false $(PY) manage.py collectstatic --no-input -v 0
	@echo ""
	@echo "Intel Map is at http://$(HOST):$(PORT)/  (Ctrl-C to stop; 'make stop' stops PostGIS)"
	@# The background worker (notification emails, the coming-due scan every
	@# 15 minutes) runs beside the web server and stops with it.
	@$(PY) manage.py procrastinate worker --queues notifications & WORKER=$$!; \
	  trap 'kill $$WORKER 2>/dev/null' EXIT INT TERM; \
	  DEBUG=false WHITENOISE_USE_FINDERS=false .venv/bin/gunicorn intel_map.wsgi:application \
		--config gunicorn.conf.py --bind $(HOST):$(PORT)

# Django's development server: reloads on every change, DEBUG on, static files
# straight from the source folders.
dev: demo
	@echo ""
	@echo "Intel Map (development server) is at http://$(HOST):$(PORT)/  (Ctrl-C to stop)"
	@$(PY) manage.py procrastinate worker --queues notifications & WORKER=$$!; \
	  trap 'kill $$WORKER 2>/dev/null' EXIT INT TERM; \
	  DEBUG=true $(PY) manage.py runserver $(HOST):$(PORT)

test: setup
	@bash scripts/test.sh $(PYTEST_ARGS)

stop:
	@bash scripts/stop.sh

lint:
	@.venv/bin/ruff check . && .venv/bin/ruff format --check .

# Not part of `make test`: loads (or reuses) a synthetic city of 1,000,000
# records in its own database and times the heavy operations. BENCH_ARGS
# passes options, e.g. BENCH_ARGS="--scale 5m" or "--fresh --load-test".
bench: setup
	@$(PY) -m scripts.bench $(BENCH_ARGS)

# A pg_dump (custom format) of the configured database: DATABASE_URL, else the
# project-local cluster. FILE=path to choose where; by default
# backups/intel-map-<UTC time>.dump.
backup:
	@bash scripts/backup.sh $(FILE)

# Replaces the configured database's contents with a backup: FILE=path is
# required; asks for confirmation unless YES=1.
restore:
	@YES=$(YES) bash scripts/restore.sh "$(FILE)"

# Several machines on one (issue 19): a pg_auto_failover monitor, a primary
# and a synchronous standby, a PgBouncer beside each, APP_SERVERS (default 3)
# gunicorn app servers behind HAProxy, all on loopback, ports 56100-56139,
# state in .cluster/. docs/scaling.md shows the picture and the figures.
cluster:
	@bash scripts/cluster/up.sh

cluster-stop:
	@python3 -m scripts.cluster down

# Faults under load against the cluster (started if it is not running):
# the primary killed, an app server killed, the standby stopped. Not part of
# `make test` (tests/ does not hold it): it takes a few minutes.
cluster-test:
	@bash scripts/cluster/up.sh
	@.venv/bin/python -m pytest scripts/cluster/tests -p no:cacheprovider -s $(PYTEST_ARGS)
