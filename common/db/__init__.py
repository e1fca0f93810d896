"""The application across database nodes: a primary for writes, standbys for
the map's reads (router.py), the standby's health and lag (standby.py), the
sticky window after a write (middleware.py) and the settings that name the
nodes (config.py)."""
