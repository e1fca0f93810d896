#!/usr/bin/env bash
# Writes a backup of the configured database (see scripts/db_env.sh) in
# pg_dump's custom format: compressed, and restored table by table by
# scripts/restore.sh. Usage: backup.sh [FILE]; by default
# backups/intel-map-<UTC time>.dump. Prints the file's path and size.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
source "$ROOT/scripts/db_env.sh"
db_env
db_reachable

OUT="${1:-$ROOT/backups/intel-map-$(date -u +%Y%m%dT%H%M%SZ).dump}"
mkdir -p "$(dirname "$OUT")"
# Written under a temporary name first: a dump that fails half way never
# sits where a good one is expected.
PARTIAL="$OUT.partial"
trap 'rm -f "$PARTIAL"' EXIT
"$PGBIN/pg_dump" --format=custom --file="$PARTIAL" "$PGDATABASE"
mv "$PARTIAL" "$OUT"
trap - EXIT

SIZE=$(stat -c %s "$OUT")
echo "Backed up $(db_describe) to $OUT ($(numfmt --to=iec --suffix=B "$SIZE"), $SIZE bytes)"
