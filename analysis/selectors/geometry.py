"""Area outlines in British National Grid for server-side map images."""

from shapely import wkb
from shapely.geometry.base import BaseGeometry

from common.db.router import read_connection


def area_shapes_bng(*, area_type: str = "ward") -> list[tuple[int, str, BaseGeometry]]:
    """(id, name, outline) of each area of the type, simplified to 5 m."""
    with read_connection().cursor() as cur:
        cur.execute(
            "SELECT id, name, ST_AsBinary(ST_SimplifyPreserveTopology(geom_bng, 5)) "
            "FROM locations_area WHERE area_type = %s ORDER BY name",
            [area_type],
        )
        return [(pk, name, wkb.loads(bytes(g))) for pk, name, g in cur.fetchall()]


def area_outlines_bng(*, area_type: str = "ward") -> list[tuple[str, BaseGeometry]]:
    return [(name, g) for _, name, g in area_shapes_bng(area_type=area_type)]
