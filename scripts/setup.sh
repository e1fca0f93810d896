#!/usr/bin/env bash
# Brings a fresh Debian 12 machine (or an existing checkout) to the point where
# the product can run and be tested: Debian packages, .env, virtualenv, npm
# packages, a project-local PostGIS cluster (unless DATABASE_URL is set) and
# migrations. Every step checks first, so a second run is fast and loses nothing.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
PGBIN=/usr/lib/postgresql/15/bin
PGPORT="${INTEL_MAP_PG_PORT:-54329}"
VENV="$ROOT/.venv"
STAMPS="$ROOT/.stamps"
mkdir -p "$STAMPS" "$ROOT/staticfiles"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

# --- 1. Debian packages -------------------------------------------------------
DEB_PACKAGES=(
  postgresql-15 postgresql-15-postgis-3 postgresql-client-15
  gdal-bin libgdal-dev libgeos-c1v5 libproj25 binutils
  chromium fonts-dejavu-core poppler-utils
  wrk
)
command -v npm >/dev/null 2>&1 || DEB_PACKAGES+=(nodejs npm)
command -v python3 >/dev/null 2>&1 || DEB_PACKAGES+=(python3)
python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || DEB_PACKAGES+=(python3-venv)

# shellcheck source=scripts/debs.sh
source "$ROOT/scripts/debs.sh"
debs_ensure "${DEB_PACKAGES[@]}"

# --- 2. .env with a secret key made on this machine ---------------------------
if [ ! -f .env ]; then
  say "Writing .env with a new secret key"
  python3 - <<'PY' > .env
import secrets
print(f"SECRET_KEY={secrets.token_urlsafe(50)}")
print("DEBUG=false")
PY
fi

# --- 3. Python virtualenv -----------------------------------------------------
if [ ! -x "$VENV/bin/python" ]; then
  say "Creating the virtualenv"
  python3 -m venv "$VENV"
fi
if [ ! -f "$STAMPS/requirements" ] || [ requirements.txt -nt "$STAMPS/requirements" ]; then
  say "Installing Python packages"
  "$VENV/bin/pip" install -q --disable-pip-version-check -r requirements.txt
  touch "$STAMPS/requirements"
fi

# --- 4. npm packages (Leaflet plugins) ----------------------------------------
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "Installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error
fi

# --- 5. PostGIS ---------------------------------------------------------------
if [ -z "${DATABASE_URL:-}" ]; then
  PGDIR="${INTEL_MAP_PG_DIR:-$ROOT/.pg}"
  run_pg() { "$@"; }
  if [ "$(id -u)" = 0 ]; then
    # initdb refuses to run as root: the cluster belongs to the postgres user.
    mkdir -p "$PGDIR"
    chown postgres:postgres "$PGDIR"
    if ! runuser -u postgres -- test -w "$PGDIR"; then
      PGDIR="/var/lib/postgresql/intel-map-$(printf %s "$ROOT" | md5sum | cut -c1-10)"
      mkdir -p "$PGDIR" && chown postgres:postgres "$PGDIR"
    fi
    run_pg() { runuser -u postgres -- "$@"; }
  fi
  if [ ! -f "$PGDIR/data/PG_VERSION" ]; then
    say "Initialising a project-local PostGIS cluster in $PGDIR"
    run_pg mkdir -p "$PGDIR/data" "$PGDIR/run"
    run_pg "$PGBIN/initdb" -D "$PGDIR/data" -U postgres --auth=trust -E UTF8 \
      --locale=C.UTF-8 >/dev/null
    cat >> "$PGDIR/data/postgresql.conf" <<CONF
port = $PGPORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$PGDIR/run'
shared_buffers = 512MB
work_mem = 32MB
maintenance_work_mem = 256MB
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
  fi
  if ! run_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" status >/dev/null 2>&1; then
    say "Starting PostGIS on 127.0.0.1:$PGPORT"
    run_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/server.log" -w start >/dev/null
  fi
  echo "$PGDIR" > "$STAMPS/pgdir"
  PSQL=("$PGBIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -d postgres -qtA)
  if [ -z "$("${PSQL[@]}" -c "SELECT 1 FROM pg_roles WHERE rolname='intelmap'")" ]; then
    # Superuser in this local cluster only, so the test runner can create its
    # database with the PostGIS extension.
    "${PSQL[@]}" -c "CREATE ROLE intelmap LOGIN SUPERUSER"
  fi
  # The application's role: owns nothing, makes nothing; it gets its row
  # privileges from the owner after every migrate (common/db/roles.py).
  if [ -z "$("${PSQL[@]}" -c "SELECT 1 FROM pg_roles WHERE rolname='intelmap_app'")" ]; then
    "${PSQL[@]}" -c "CREATE ROLE intelmap_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOREPLICATION NOBYPASSRLS"
  fi
  if [ -z "$("${PSQL[@]}" -c "SELECT 1 FROM pg_database WHERE datname='intelmap'")" ]; then
    "${PSQL[@]}" -c "CREATE DATABASE intelmap OWNER intelmap"
  fi
  "$PGBIN/psql" -h 127.0.0.1 -p "$PGPORT" -U intelmap -d intelmap -qtA \
    -c "CREATE EXTENSION IF NOT EXISTS postgis" >/dev/null
fi

# --- 6. Schema, as the owner role; then the application role's privileges -----
say "Migrating the database"
DATABASE_AS_OWNER=true "$VENV/bin/python" manage.py migrate --no-input -v 0
DATABASE_AS_OWNER=true "$VENV/bin/python" manage.py createcachetable
if [ -z "${DATABASE_URL:-}" ] || [ -n "${DATABASE_OWNER_URL:-}" ]; then
  DATABASE_AS_OWNER=true "$VENV/bin/python" manage.py db_roles -v 0 >/dev/null
fi
