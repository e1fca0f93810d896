#!/usr/bin/env bash
# Stops the project-local PostGIS cluster, if this checkout started one, and
# the tests' streaming standby of it (tests/db/standby.py), if running.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PGDIR="$(cat "$ROOT/.stamps/pgdir" 2>/dev/null || true)"
if [ -z "$PGDIR" ] || [ ! -f "$PGDIR/data/PG_VERSION" ]; then
  echo "No project-local PostGIS cluster to stop."; exit 0
fi
pg_ctl() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl "$@"
  else
    /usr/lib/postgresql/15/bin/pg_ctl "$@"
  fi
}
if [ -f "$PGDIR/standby/PG_VERSION" ]; then
  pg_ctl -D "$PGDIR/standby" stop -m fast >/dev/null 2>&1 || true
fi
pg_ctl -D "$PGDIR/data" stop -m fast || true
