"""The data version: one number that changes whenever a write that can change
a map, a count or a score commits (intelligence.models.DataVersion).

Read from the same connection as the data (a standby's own version when the
map reads from a standby), so a cache key or a log row names the version
of the data the answer was computed from.
"""

from common.db.router import read_connection

# The triggers that keep it: intelligence/migrations/0010_data_version.py
# (records, links, locations), disruption/migrations/0003_data_version.py
# (actions, taskings).


def data_version_read() -> int:
    """The current data version (of the connection the map's reads use)."""
    with read_connection().cursor() as cur:
        cur.execute("SELECT coalesce(sum(version), 0) FROM intelligence_dataversion")
        return int(cur.fetchone()[0])
