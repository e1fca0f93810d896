#!/usr/bin/env bash
# `make cluster`: the Debian packages the cluster needs (as setup.sh installs
# its own: as root or through sudo, else the exact command to run), then the
# cluster itself (scripts/cluster/__main__.py, Python's standard library).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"

DEB_PACKAGES=(
  postgresql-15 postgresql-15-postgis-3 postgresql-client-15
  postgresql-15-auto-failover pgbouncer haproxy
)
# shellcheck source=scripts/debs.sh
source "$ROOT/scripts/debs.sh"
debs_ensure "${DEB_PACKAGES[@]}"
exec python3 -m scripts.cluster up
