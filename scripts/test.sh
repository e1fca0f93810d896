#!/usr/bin/env bash
# Runs the whole suite against real PostGIS and Debian's Chromium. pytest's
# exit code 5 (no tests collected) is a failure here, never a pass.
#
# The suite runs on every core (pytest-xdist): each worker makes its own test
# database (test_intelmap_gw0, _gw1, ...) in the one cluster and runs its own
# Chromium. Tests sharing something cluster-wide (tests/db's standby,
# tests/ops's databases) run on one worker (tests/conftest.py's scheduler for
# `--dist loadgroup`). INTEL_MAP_TEST_WORKERS chooses how many workers (0: the
# suite in this process); options given here come last, so `-n 0` wins too.
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
mkdir -p test-artifacts
.venv/bin/python -m pytest --create-db \
  -n "${INTEL_MAP_TEST_WORKERS:-auto}" --dist loadgroup "$@"
rc=$?
if [ $rc -eq 5 ]; then
  echo "pytest collected no tests: that is a failure." >&2
  exit 1
fi
exit $rc
