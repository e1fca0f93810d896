"""Database triggers that keep derived spatial columns right on every write.

Every table with a WGS84 point also stores it in British National Grid (metres)
and the ids of the areas it falls in. The database fills both on insert and
when the point changes, so ORM saves, bulk inserts and raw SQL imports all get
them, and queries never transform rows or look up areas per row.
"""

import pgtrigger

PROJECTED_SRID = 27700


def projected_point_trigger(
    *, point: str = "point", projected: str = "point_bng", areas: str = "area_ids"
) -> pgtrigger.Trigger:
    func = f"""
        IF TG_OP = 'INSERT' OR NEW.{point} IS DISTINCT FROM OLD.{point} THEN
            NEW.{projected} := ST_Transform(NEW.{point}, {PROJECTED_SRID});
            NEW.{areas} := ARRAY(
                SELECT a.id FROM locations_area a
                WHERE NEW.{projected} IS NOT NULL
                  AND ST_Intersects(a.geom_bng, NEW.{projected})
                ORDER BY a.id
            );
        END IF;
        RETURN NEW;
    """
    return pgtrigger.Trigger(
        name="set_projected_point_and_areas",
        operation=pgtrigger.Insert | pgtrigger.Update,
        when=pgtrigger.Before,
        func=func,
    )
