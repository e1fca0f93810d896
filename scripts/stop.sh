#!/usr/bin/env bash
# Stops the project-local PostGIS cluster, if this checkout started one.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PGDIR="$(cat "$ROOT/.stamps/pgdir" 2>/dev/null || true)"
if [ -z "$PGDIR" ] || [ ! -f "$PGDIR/data/PG_VERSION" ]; then
  echo "No project-local PostGIS cluster to stop."; exit 0
fi
if [ "$(id -u)" = 0 ]; then
  runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D "$PGDIR/data" stop -m fast || true
else
  /usr/lib/postgresql/15/bin/pg_ctl -D "$PGDIR/data" stop -m fast || true
fi
