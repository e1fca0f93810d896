"""A deployment on the open network: `DJANGO_SETTINGS_MODULE=intel_map.settings.production`.

Everything still comes from the environment (base.py); this module only makes
the safe choice the default where the demo needs the other one, and refuses
to start without what a deployment must say for itself: SECRET_KEY and
ALLOWED_HOSTS. TLS ends at the reverse proxy, which sets X-Forwarded-Proto.
"""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")

# Every role signs in with a second factor; OTP_REQUIRED=false only for a demo.
OTP_REQUIRED = env.bool("OTP_REQUIRED", default=True)

SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool(
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True
)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# The "__Host-" prefix binds the cookie to this exact host, over HTTPS only.
# (The CSRF cookie keeps its name: static/js/api.js reads it.)
SESSION_COOKIE_NAME = env("SESSION_COOKIE_NAME", default="__Host-sessionid")
# A closed browser ends the session too, on a shared police terminal.
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Static files are collected at deploy time, not served from the finders.
WHITENOISE_USE_FINDERS = env.bool("WHITENOISE_USE_FINDERS", default=False)

# Debian 12's GDAL (3.6) cannot be told to refuse file and network look-ups
# in spatial references given by users (gis.W001, fixed by GDAL 3.9 as in
# Debian 13). The one place user GeoJSON reaches GDAL, common/params.py's
# PolygonParam, passes it only the coordinates, never a "crs" member; the
# warning is silenced on that ground. Drop this on a GDAL 3.9+ host.
SILENCED_SYSTEM_CHECKS = env.list("SILENCED_SYSTEM_CHECKS", default=["gis.W001"])
