"""Settings for every deployment; a deployment differs only by its environment.

Values are read from the process environment and, when present, from a `.env`
file at the repository root (written by `scripts/setup.sh` with a fresh secret
key; never committed).
"""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from csp.constants import NONCE, NONE, SELF

from common.db.config import (
    REPLICA,
    primary_database,
    replica_database,
    standby_windows_check,
)

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.gis",
    "django.contrib.postgres",
    # Sign-in hardening: second factor, lock-out, Content-Security-Policy.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "rest_framework",
    # API tokens (accounts.ApiToken, accounts/tokens.py).
    "knox",
    "rest_framework_gis",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_tables2",
    "leaflet",
    "pgtrigger",
    "pghistory",
    "history",
    "accounts",
    "locations",
    "intelligence",
    "disruption",
    "maps",
    "demo",
    "imports",
    "analysis",
    "audit",
    "notifications",
    "home",
    "people",
    "licensing",
    "safeguarding",
    # Background jobs on PostgreSQL: notifications' emails and the periodic
    # look for what is coming due (notifications/tasks.py).
    "procrastinate.contrib.django",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A user's reads stay on the primary for a moment after their writes.
    "common.db.middleware.PrimaryAfterWriteMiddleware",
    # Idle and absolute session limits, then the second factor (accounts/).
    "accounts.middleware.SessionTimeoutMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.OTPRequiredMiddleware",
    # Nothing is public: every view needs a signed-in user unless it is
    # explicitly marked with @login_not_required (the sign-in page itself).
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Every write in a request is recorded with who made it and where
    # (history.tracking); API token users are picked up when DRF signs them in.
    "pghistory.middleware.HistoryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: counts failed sign-ins, answers lock-outs.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "intel_map.urls"
WSGI_APPLICATION = "intel_map.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "home.context_processors.navigation",
            ],
        },
    },
]

# Two database roles (common/db/roles.py). DATABASE_URL is the application's
# own role, which the web process and its workers connect as: it reads and
# writes rows but owns nothing, and on the access log and the history tables
# may only INSERT and SELECT. DATABASE_OWNER_URL is the role that owns the
# schema and runs migrations; only commands that change the schema use it
# (DATABASE_AS_OWNER=true, as scripts/setup.sh does). Without DATABASE_URL,
# the project-local cluster made by `make run` on 127.0.0.1:54329
# (INTEL_MAP_PG_PORT to change it), roles intelmap_app and intelmap.
_LOCAL_PG_PORT = env.int("INTEL_MAP_PG_PORT", default=54329)
_LOCAL_PG = f"127.0.0.1:{_LOCAL_PG_PORT}/intelmap"
_APP_DB_URL = env("DATABASE_URL", default=f"postgis://intelmap_app@{_LOCAL_PG}")
# A deployment that names only DATABASE_URL runs with one role, as before the
# split; `manage.py check --deploy` warns about it (common/db/roles.py).
_OWNER_DB_URL = env(
    "DATABASE_OWNER_URL",
    default=_APP_DB_URL
    if env.str("DATABASE_URL", default="")
    else (f"postgis://intelmap@{_LOCAL_PG}"),
)
DATABASE_APP = env.db_url_config(_APP_DB_URL)
DATABASE_OWNER = env.db_url_config(_OWNER_DB_URL)
DATABASE_AS_OWNER = env.bool("DATABASE_AS_OWNER", default=False)
DATABASES = {"default": dict(DATABASE_OWNER if DATABASE_AS_OWNER else DATABASE_APP)}
DATABASES["default"]["ENGINE"] = "django.contrib.gis.db.backends.postgis"
# Connections stay open between requests (checked before reuse), so a request
# does not pay for a new backend process.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=600)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# PostgreSQL settings for the app's own sessions. The app's queries are short
# and index-driven, but PostGIS functions' declared costs push the planner's
# estimates past jit_above_cost, and JIT compilation then costs 20-150 ms per
# query that runs in 5-50 ms (docs/scaling.md); parallel workers likewise cost
# more to start than they save and take the cores other users' requests need.
PG_SESSION_OPTIONS = env(
    "PG_SESSION_OPTIONS", default="-c jit=off -c max_parallel_workers_per_gather=0"
)
if PG_SESSION_OPTIONS:
    _db_options = DATABASES["default"].setdefault("OPTIONS", {})
    _db_options["options"] = " ".join(
        filter(None, [_db_options.get("options", ""), PG_SESSION_OPTIONS])
    )
# Several nodes (common/db/): DATABASE_URL may list every node in libpq's
# multi-host form (postgis://u@node1:5432,node2:5432/intelmap); the app then
# connects to whichever accepts writes. DATABASE_REPLICA_URL names where the
# map's reads go (the same list: libpq prefers a standby, else the primary).
DATABASES["default"] = primary_database(DATABASES["default"])
if env("DATABASE_REPLICA_URL", default=""):
    DATABASES[REPLICA] = replica_database(
        default=DATABASES["default"], replica=env.db("DATABASE_REPLICA_URL")
    )
# Behind PgBouncer in transaction mode a server-side cursor cannot outlive
# its transaction's server connection.
if env.bool("DATABASE_POOLED", default=False):
    for _db in DATABASES.values():
        _db["DISABLE_SERVER_SIDE_CURSORS"] = True
DATABASE_ROUTERS = ["common.db.router.PrimaryStandbyRouter"]
# A standby further behind than this is skipped; a user's reads stay on the
# primary this long after each of their writes (at least the lag bound, so
# their own write is on any standby that serves them afterwards).
REPLICA_MAX_LAG_SECONDS = env.float("REPLICA_MAX_LAG_SECONDS", default=5.0)
REPLICA_STICKY_SECONDS = env.float("REPLICA_STICKY_SECONDS", default=10.0)
REPLICA_CHECK_SECONDS = env.float("REPLICA_CHECK_SECONDS", default=1.0)
standby_windows_check(
    sticky_s=REPLICA_STICKY_SECONDS, max_lag_s=REPLICA_MAX_LAG_SECONDS
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Shared by every worker and app server (common/cache.py): by default the
# database cache table (made by `manage.py createcachetable`); a deployment
# may point CACHE_URL at Redis or Memcached instead.
CACHES = {"default": env.cache("CACHE_URL", default="dbcache://intel_map_cache")}

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Third-party front-end code comes from the npm registry (package.json and its
# lockfile); only the built files of each package are exposed.
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/leaflet.heat", NODE_MODULES / "leaflet.heat" / "dist"),
    ("vendor/leaflet.markercluster", NODE_MODULES / "leaflet.markercluster" / "dist"),
    ("vendor/leaflet-draw", NODE_MODULES / "leaflet-draw" / "dist"),
    ("vendor/cytoscape", NODE_MODULES / "cytoscape" / "dist"),
]
# Packages whose built file sits at the package's root, beside its sources:
# that one file each (common/static_finders.py). The link chart's force
# layout, fCoSE, and the two libraries it is built on, loaded in this order.
NODE_MODULE_FILES = {
    f"vendor/{package}/{package}.js": NODE_MODULES / package / f"{package}.js"
    for package in ("layout-base", "cose-base", "cytoscape-fcose")
}
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "common.static_finders.NodeModuleFilesFinder",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Serve straight from the finders so `make run` needs no collectstatic step.
WHITENOISE_USE_FINDERS = env.bool("WHITENOISE_USE_FINDERS", default=True)

REST_FRAMEWORK = {
    "EXCEPTION_HANDLER": "common.errors.api_exception_handler",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        # Hashed, expiring, scoped tokens (knox); DRF's own plain-text
        # tokens were removed (accounts migration 0005).
        "accounts.tokens.ScopedTokenAuthentication",
    ],
    # MapReader extends accounts.tokens.TokenScopePermission: a token is
    # held to its scope on every API view.
    "DEFAULT_PERMISSION_CLASSES": ["accounts.roles.MapReader"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "audit.schema.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 200,
    # DRF's JSON, with GeoJSON built in SQL written as it came (common.renderers).
    "DEFAULT_RENDERER_CLASSES": [
        "common.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}
# API tokens (django-rest-knox): only a digest is stored; each token lasts
# API_TOKEN_DAYS and is then refused. Clients send `Authorization: Token <t>`.
API_TOKEN_DAYS = env.int("API_TOKEN_DAYS", default=30)
KNOX_TOKEN_MODEL = "accounts.ApiToken"
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=API_TOKEN_DAYS),
    "AUTH_HEADER_PREFIX": "Token",
    # Marks the string as an Intel Map token for secret scanners (short: the
    # prefix counts within the 15 characters knox looks tokens up by).
    "TOKEN_PREFIX": "im_",
    "AUTO_REFRESH": False,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Intel Map API",
    "DESCRIPTION": "Locations of concern, intelligence and disruption for CSE prevention.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and its docs are behind sign-in like everything else.
    "SERVE_PERMISSIONS": ["accounts.roles.MapReader"],
    # Swagger UI from the installed package, not a CDN: works offline.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# The deployment's map: where it opens and which points it accepts. Longitude
# and latitude, WGS84. The default extent is Great Britain.
MAP_CENTER = env.list("MAP_CENTER", cast=float, default=[52.4081, -1.5106])
DEPLOYMENT_EXTENT = env.list(
    "DEPLOYMENT_EXTENT", cast=float, default=[-8.7, 49.8, 1.9, 60.9]
)
MAP_TILES_URL = env(
    "MAP_TILES_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png"
)
LEAFLET_CONFIG = {
    "DEFAULT_CENTER": tuple(MAP_CENTER),
    "DEFAULT_ZOOM": 13,
    "MIN_ZOOM": 5,
    "MAX_ZOOM": 19,
    "TILES": (
        [("OpenStreetMap", MAP_TILES_URL, "&copy; OpenStreetMap contributors")]
        if MAP_TILES_URL
        else []
    ),
    "RESET_VIEW": False,
}

# Metric coordinates: British National Grid. Every geometry is stored in WGS84
# and again in this projection (filled by the database at write time), so radius
# and grid work never transforms rows at query time.
PROJECTED_SRID = 27700

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}

# Permission sets come from the shared cache, dropped when roles change.
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out username before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.CachedPermissionsBackend",
]
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

# --- Sign-in and hardening ---------------------------------------------------
# A second factor (TOTP app) after the password. Off by default so that the
# demo (`make run`) signs in with a password alone; production.py turns it on.
OTP_REQUIRED = env.bool("OTP_REQUIRED", default=False)
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", default="Intel Map")
# Each failed code doubles the wait before the next is accepted (1 s, 2 s, ...).
OTP_TOTP_THROTTLE_FACTOR = 1

# Lock-out (django-axes, accounts/lockout.py), in two tiers: a username tried
# from one address is locked there after AXES_FAILURE_LIMIT failures; a
# username tried from anywhere is locked everywhere after
# AXES_USERNAME_FAILURE_LIMIT. Never an address alone: one office behind NAT
# is not locked out together. Each lock lifts AXES_COOLOFF_MINUTES after the
# last failure; failures while locked do not extend it.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_USERNAME_FAILURE_LIMIT = env.int("AXES_USERNAME_FAILURE_LIMIT", default=20)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username"]
AXES_HANDLER = "accounts.lockout.TieredLockoutHandler"
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
# Unlocking is the administrator's "Unlock sign-in" action (accounts.admin),
# which the audit records; axes' own admin would delete attempts unrecorded.
AXES_ENABLE_ADMIN = False
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
# Behind a reverse proxy, how many X-Forwarded-For hops to trust (0: none).
AXES_IPWARE_PROXY_COUNT = env.int("AXES_PROXY_COUNT", default=0) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
    if AXES_IPWARE_PROXY_COUNT
    else ["REMOTE_ADDR"]
)

# Sessions end after SESSION_IDLE_MINUTES without a request, and in any case
# SESSION_ABSOLUTE_HOURS after sign-in (accounts/middleware.py). The cookie and
# the stored session last as long as the idle limit, renewed as the user works.
# Sessions are stored with their user's id, so deactivating a user ends them.
SESSION_ENGINE = "accounts.sessions"
SESSION_IDLE_TIMEOUT = timedelta(minutes=env.int("SESSION_IDLE_MINUTES", default=30))
SESSION_ABSOLUTE_TIMEOUT = timedelta(
    hours=env.int("SESSION_ABSOLUTE_HOURS", default=12)
)
SESSION_COOKIE_AGE = int(SESSION_IDLE_TIMEOUT.total_seconds())
# An export or bulk download needs the password or the second factor given
# within this long (accounts/reauth.py); signing in counts.
REAUTH_TIMEOUT = timedelta(minutes=env.int("REAUTH_MINUTES", default=15))
SESSION_COOKIE_NAME = env("SESSION_COOKIE_NAME", default="sessionid")

# Content-Security-Policy (django-csp): scripts only from this site, or inline
# ones carrying the response's nonce (django-leaflet's map set-up). Styles may
# be inline: Leaflet, the admin and Swagger UI set them; no script runs so.
_tiles = urlsplit(MAP_TILES_URL)
# "{s}" is Leaflet's subdomain placeholder (a., b., c.).
_TILE_ORIGIN = (
    f"{_tiles.scheme}://{_tiles.netloc.replace('{s}', '*')}" if MAP_TILES_URL else None
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:", "blob:", *([_TILE_ORIGIN] if _TILE_ORIGIN else [])],
        "connect-src": [SELF],
        "font-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Notifications by email, through Django's email framework: the console
# backend unless EMAIL_URL names a server (smtp+tls://user:pass@host:587).
# SITE_URL makes the links in emails absolute.
_email = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email["EMAIL_HOST"] or "localhost"
EMAIL_PORT = _email["EMAIL_PORT"] or 25
EMAIL_HOST_USER = _email["EMAIL_HOST_USER"] or ""
EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"] or ""
EMAIL_USE_TLS = bool(_email.get("EMAIL_USE_TLS"))
EMAIL_USE_SSL = bool(_email.get("EMAIL_USE_SSL"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="intel-map@localhost")
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

# Licensing (licensing.compliance): an enhanced DBS check with the update
# service is checked every 6 months, else a new certificate every 3 years;
# CSE training is refreshed every 3 years unless a refresher date is given.
LICENSING_DBS_UPDATE_CHECK_MONTHS = env.int(
    "LICENSING_DBS_UPDATE_CHECK_MONTHS", default=6
)
LICENSING_DBS_RENEWAL_MONTHS = env.int("LICENSING_DBS_RENEWAL_MONTHS", default=36)
LICENSING_TRAINING_REFRESHER_MONTHS = env.int(
    "LICENSING_TRAINING_REFRESHER_MONTHS", default=36
)
LICENSING_DUE_SOON_DAYS = env.int("LICENSING_DUE_SOON_DAYS", default=30)
