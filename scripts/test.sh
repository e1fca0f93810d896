#!/usr/bin/env bash
# Runs the whole suite against real PostGIS and Debian's Chromium. pytest's
# exit code 5 (no tests collected) is a failure here, never a pass.
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
mkdir -p test-artifacts
.venv/bin/python -m pytest --create-db "$@"
rc=$?
if [ $rc -eq 5 ]; then
  echo "pytest collected no tests: that is a failure." >&2
  exit 1
fi
exit $rc
