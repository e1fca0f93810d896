from .base import *  # noqa: F403

# Tests never reach a tile server; the map must still work without tiles.
MAP_TILES_URL = ""
LEAFLET_CONFIG["TILES"] = []  # noqa: F405
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DEBUG = False
