#!/usr/bin/env bash
# Restores a backup made by scripts/backup.sh into the configured database
# (see scripts/db_env.sh), replacing what is there: every object in the
# backup is dropped and made again from it, in one transaction, so a restore
# that fails leaves the database as it was. Usage: restore.sh FILE; asks for
# confirmation unless YES=1.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
FILE="${1:-}"
if [ -z "$FILE" ]; then
  echo "Say which backup to restore: make restore FILE=backups/intel-map-....dump" >&2
  exit 2
fi
if [ ! -f "$FILE" ]; then
  echo "No such backup file: $FILE" >&2
  exit 2
fi
source "$ROOT/scripts/db_env.sh"
db_env
db_reachable
# A file that is not a custom-format dump is refused before anything is dropped.
if ! "$PGBIN/pg_restore" --list "$FILE" >/dev/null 2>&1; then
  echo "$FILE is not a backup made by 'make backup' (pg_dump custom format)." >&2
  exit 2
fi

if [ "${YES:-}" != "1" ]; then
  if [ ! -t 0 ]; then
    echo "Restoring replaces the data in $(db_describe); run with YES=1 to confirm." >&2
    exit 2
  fi
  read -r -p "Replace everything in $(db_describe) with $FILE? Type yes: " answer
  if [ "$answer" != "yes" ]; then
    echo "Nothing restored." >&2
    exit 1
  fi
fi

START=$(date +%s)
"$PGBIN/pg_restore" --clean --if-exists --no-owner --single-transaction \
  --exit-on-error --dbname="$PGDATABASE" "$FILE"
echo "Restored $FILE into $(db_describe) in $(( $(date +%s) - START )) s."

# Check the restored database works: the application can query it and its
# schema is the one this code expects.
PSQL=("$PGBIN/psql" -X -q -t -A -v ON_ERROR_STOP=1 -d "$PGDATABASE")
"${PSQL[@]}" -F '|' -c "
  SELECT 'locations', count(*) FROM locations_location
  UNION ALL SELECT 'areas', count(*) FROM locations_area
  UNION ALL SELECT 'intelligence records', count(*) FROM intelligence_intelligencerecord
  UNION ALL SELECT 'disruption actions', count(*) FROM disruption_disruptionaction" |
  while IFS='|' read -r what n; do echo "  $what: $n"; done
if ! (cd "$ROOT" && DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-intel_map.settings.base}" \
      .venv/bin/python manage.py migrate --check >/dev/null 2>&1); then
  echo "The backup predates this code's schema: run 'make setup' to migrate it." >&2
  exit 3
fi
echo "The restored schema is up to date with this code."
