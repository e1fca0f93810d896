# Sourced by backup.sh and restore.sh. Sets libpq's environment (PGHOST,
# PGPORT, PGUSER, PGPASSWORD, PGDATABASE) for the database the product is
# configured to use, read from Django's settings so that DATABASE_URL, .env
# and the project-local default (127.0.0.1:54329/intelmap) resolve exactly as
# they do for the application itself.
PGBIN=/usr/lib/postgresql/15/bin

db_env() {
  local exports
  exports="$(cd "$ROOT" && DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-intel_map.settings.base}" \
    "$ROOT/.venv/bin/python" - <<'PY'
import shlex

import django
from django.conf import settings

django.setup()
db = settings.DATABASES["default"]
for var, key in [
    ("PGHOST", "HOST"),
    ("PGPORT", "PORT"),
    ("PGUSER", "USER"),
    ("PGPASSWORD", "PASSWORD"),
    ("PGDATABASE", "NAME"),
]:
    if db.get(key):
        print(f"export {var}={shlex.quote(str(db[key]))}")
PY
  )" || { echo "Could not read the database settings." >&2; exit 1; }
  eval "$exports"
  # The dump and restore run as one session each; never wait on a password.
  export PGCONNECT_TIMEOUT=10
}

db_describe() {
  printf '%s on %s:%s' "$PGDATABASE" "${PGHOST:-local socket}" "${PGPORT:-5432}"
}

db_reachable() {
  if ! "$PGBIN/pg_isready" -q -d "$PGDATABASE" 2>/dev/null; then
    echo "The database $(db_describe) is not answering." >&2
    echo "Without DATABASE_URL this is the project-local cluster: 'make setup' starts it." >&2
    exit 1
  fi
}
