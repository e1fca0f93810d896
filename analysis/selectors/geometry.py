"""Area outlines in British National Grid for server-side map images."""

from shapely import wkb
from shapely.geometry.base import BaseGeometry

from common.db.router import read_connection


def area_outlines_bng(*, area_type: str = "ward") -> list[tuple[str, BaseGeometry]]:
    with read_connection().cursor() as cur:
        cur.execute(
            "SELECT name, ST_AsBinary(ST_SimplifyPreserveTopology(geom_bng, 5)) "
            "FROM locations_area WHERE area_type = %s ORDER BY name",
            [area_type],
        )
        return [(name, wkb.loads(bytes(g))) for name, g in cur.fetchall()]
