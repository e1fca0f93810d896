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
missing=()
for p in "${DEB_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then SUDO=""
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo"
  else
    echo "These Debian packages are missing: ${missing[*]}" >&2
    echo "Install them, then run this again:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  printf '\033[1m==> Installing Debian packages: %s\033[0m\n' "${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
exec python3 -m scripts.cluster up
