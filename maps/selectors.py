"""The map's aggregates: heat-map bins and counts by area, all in PostGIS."""

import json
import math
import threading
from datetime import date

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.gis.gdal import CoordTransform, SpatialReference
from django.contrib.gis.geos import GEOSGeometry, Polygon
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from common.db.router import read_connection
from intelligence.models import IntelligenceRecord
from intelligence.selectors import (
    LEGACY_ASSESSMENT_AS_3X5X2,
    LEGACY_SOURCE_AS_3X5X2,
    SMALL_COUNT,
    count_display,
    record_has_content_access,
    record_placed,
)
from locations.models import Area, ConcernLevel, Location
from locations.triggers import PROJECTED_SRID

# Heat-map weights. A record counts as source weight x assessment weight x age
# weight, so one well-graded recent report outweighs several poor old ones.
# Source evaluation (3x5x2): 1 reliable, 2 untested, 3 not reliable.
SOURCE_WEIGHT = {"1": 1.0, "2": 0.6, "3": 0.2}
# Intelligence assessment: A known directly ... E suspected false.
ASSESSMENT_WEIGHT = {"A": 1.0, "B": 0.8, "C": 0.5, "D": 0.3, "E": 0.1}
# Age: the weight halves every HALF_LIFE_DAYS before the end of the period,
# so last month's intelligence counts more than last year's.
HALF_LIFE_DAYS = 60
# Cell size: 25 m at zoom 16, doubling with each zoom level out, so a cell is
# always about 15-20 screen pixels; the browser blurs cells over 1.5 cells.
CELL_AT_ZOOM_16_M = 25
CELL_MIN_M, CELL_MAX_M = 25, 25_600
BANDWIDTH_CELLS = 1.5
# The response never holds more cells than this, whatever the number of
# records: a larger box gets a coarser grid.
MAX_CELLS = 20_000


def _case(column: str, weights: dict[str, float], legacy: dict[str, str]) -> str:
    """SQL CASE giving the weight of a 3x5x2 or legacy (mapped) grade letter.

    The two schemes use disjoint letters for each field (the table's check
    constraint holds each row to its scheme's letters), so the letter alone
    decides: one simple CASE, cheap per row, rather than a scheme test too."""
    if set(weights) & set(legacy):
        raise ValueError(f"{column}: grading schemes share letters")
    whens = [f"WHEN '{k}' THEN {float(w)}::float8" for k, w in weights.items()] + [
        f"WHEN '{k}' THEN {float(weights[v])}::float8" for k, v in legacy.items()
    ]
    return f"CASE r.{column} " + " ".join(whens) + " ELSE 0::float8 END"


_SOURCE_SQL = _case("source_evaluation", SOURCE_WEIGHT, LEGACY_SOURCE_AS_3X5X2)
_ASSESSMENT_SQL = _case(
    "intelligence_assessment", ASSESSMENT_WEIGHT, LEGACY_ASSESSMENT_AS_3X5X2
)


# GEOS's transform(srid) builds a new GDAL coordinate transformation on every
# call, which costs 10-20 ms (PROJ looks both systems up in its database):
# most of a small heat map's own time. Each thread keeps one per source SRID
# (a transformation object is not safe to share between threads).
_transforms = threading.local()


def projected(geom: GEOSGeometry) -> GEOSGeometry:
    """A copy of geom in PROJECTED_SRID (metres)."""
    cache = _transforms.__dict__
    ct = cache.get(geom.srid)
    if ct is None:
        ct = cache[geom.srid] = CoordTransform(
            SpatialReference(geom.srid), SpatialReference(PROJECTED_SRID)
        )
    out = geom.transform(ct, clone=True)
    out.srid = PROJECTED_SRID
    return out


def heatmap_cell_size(*, zoom: int, bbox: GEOSGeometry) -> int:
    cell = CELL_AT_ZOOM_16_M * 2 ** (16 - zoom)
    cell = int(min(max(cell, CELL_MIN_M), CELL_MAX_M))
    # Only the part of the box inside the deployment's extent holds records.
    extent = Polygon.from_bbox(settings.DEPLOYMENT_EXTENT)
    extent.srid = 4326
    box = bbox.intersection(extent)
    area_m2 = projected(box).area if not box.empty else 0
    while cell < CELL_MAX_M and area_m2 / (cell * cell) > MAX_CELLS:
        cell *= 2
    return cell


# The records are stored in time order, so the planner prices reading the whole
# period through the occurred_from btree as cheap and filters each record by
# the box afterwards: at zoom 15 that reads 174,000 records to keep 30,000
# (125 ms). Without plain index scans it takes a bitmap of the (point,
# occurred_from) GiST index for a close view (42 ms) and a bitmap of the
# btree for a wide one, as cheap as before. Set for this one query only.
PLAN_BY_BOX_AND_PERIOD = "SET LOCAL enable_indexscan = off"
PLAN_DEFAULT = "SET LOCAL enable_indexscan TO DEFAULT"


def heatmap_bins(
    *,
    qs: QuerySet[IntelligenceRecord],
    user: AbstractBaseUser,
    cell_m: int,
    until: date,
    half_life_days: float = HALF_LIFE_DAYS,
) -> dict:
    """Bin the (already filtered) records on a British National Grid square
    grid of cell_m metres, weighted by grade and age; only the cell centres
    are transformed to WGS84."""
    # Records at restricted locations are binned where the user may see them
    # (on the 500 m grid unless cleared for exact positions): a 25 m cell must
    # not pin down a children's home the map itself only places to 500 m.
    if "display_bng" not in qs.query.annotations:
        qs = record_placed(user=user, qs=qs, many=True)
    inner = (
        qs.filter(point_bng__isnull=False)
        .order_by()
        .values(
            "display_bng",
            "grading_scheme",
            "source_evaluation",
            "intelligence_assessment",
            "occurred_from",
        )
    )
    inner_sql, inner_params = inner.query.sql_with_params()
    # OFFSET 0 keeps the subquery whole, so each record's display position
    # is worked out once, not once for each of its uses below.
    inner_sql = f"{inner_sql} OFFSET 0"
    min_count = 1 if record_has_content_access(user=user) else SMALL_COUNT
    # Every per-row term is float8: numeric (extract() since PostgreSQL 14,
    # decimal literals) costs arbitrary-precision arithmetic on each record.
    sql = f"""
        SELECT ST_X(c), ST_Y(c), b.n, b.w FROM (
            SELECT floor(ST_X(r.display_bng) / %s) AS gx,
                   floor(ST_Y(r.display_bng) / %s) AS gy,
                   count(*) AS n,
                   sum(({_SOURCE_SQL}) * ({_ASSESSMENT_SQL}) * power(0.5::float8,
                       GREATEST(0::float8, date_part('epoch', %s::timestamptz
                           - r.occurred_from)) / 86400.0 / %s)) AS w
            FROM ({inner_sql}) AS r
            GROUP BY 1, 2
        ) AS b,
        LATERAL ST_Transform(ST_SetSRID(ST_MakePoint(
            (b.gx + 0.5) * %s, (b.gy + 0.5) * %s), {PROJECTED_SRID}), 4326) AS c
        WHERE b.n >= %s
        ORDER BY b.gy, b.gx
    """
    end_of_period = f"{until.isoformat()}T23:59:59Z"
    params = [
        cell_m,
        cell_m,
        end_of_period,
        half_life_days,
        *inner_params,
        cell_m,
        cell_m,
        min_count,
    ]
    conn = read_connection()
    with transaction.atomic(using=conn.alias), conn.cursor() as cur:
        cur.execute(PLAN_BY_BOX_AND_PERIOD)
        cur.execute(sql, params)
        rows = cur.fetchall()
        cur.execute(PLAN_DEFAULT)
    show_counts = min_count == 1
    cells = [
        [round(x, 6), round(y, 6), round(float(w), 4)] + ([n] if show_counts else [])
        for x, y, n, w in rows
    ]
    return {
        "cells": cells,
        "max_weight": max((c[2] for c in cells), default=0),
        "records": count_display(n=sum(r[2] for r in rows), user=user),
        "settings": {
            "cell_m": cell_m,
            "bandwidth_m": round(cell_m * BANDWIDTH_CELLS),
            "half_life_days": half_life_days,
            "weights": {
                "source": SOURCE_WEIGHT,
                "assessment": ASSESSMENT_WEIGHT,
                "age": f"halves every {half_life_days:g} days",
            },
            "cell_fields": ["lon", "lat", "weight"]
            + (["count"] if show_counts else []),
            "small_cells_suppressed_below": None if show_counts else SMALL_COUNT,
        },
    }


def _counts_by_area(qs: QuerySet) -> dict[int, int]:
    """{area id: rows} in one grouped query over the GIN-indexed area_ids."""
    inner_sql, params = qs.order_by().values("area_ids").query.sql_with_params()
    with read_connection().cursor() as cur:
        cur.execute(
            f"SELECT aid, count(*) FROM ({inner_sql}) AS r, "
            "unnest(r.area_ids) AS aid GROUP BY aid",
            params,
        )
        return dict(cur.fetchall())


def area_counts(
    *,
    user: AbstractBaseUser,
    area_type: str,
    records: QuerySet[IntelligenceRecord],
    actions: QuerySet,
) -> list[dict]:
    """Areas of a type with their counts; constant query count."""
    locations = _counts_by_area(Location.objects.all())
    flagged = _counts_by_area(Location.objects.exclude(concern_level=ConcernLevel.NONE))
    intel = _counts_by_area(records)
    disruption = _counts_by_area(actions)
    # 5 m tolerance keeps boundaries true at street scale while shrinking them.
    areas = Area.objects.filter(area_type=area_type).annotate(
        geojson=RawSQL(
            "ST_AsGeoJSON(ST_Transform(ST_SimplifyPreserveTopology("
            "locations_area.geom_bng, 5), 4326), 6)",
            [],
        )
    )
    return [
        {
            "id": a.id,
            "code": a.code,
            "name": a.name,
            "area_type": a.area_type,
            "geometry": json.loads(a.geojson),
            "locations": locations.get(a.id, 0),
            "flagged_locations": flagged.get(a.id, 0),
            "intelligence": count_display(n=intel.get(a.id, 0), user=user),
            "disruption": disruption.get(a.id, 0),
            "intelligence_density": _density(intel.get(a.id, 0), user=user),
        }
        for a in areas.only("id", "code", "name", "area_type")
    ]


def _density(n: int, *, user) -> int | None:
    """The number the choropleth colours by: hidden for small counts."""
    if n and n < SMALL_COUNT and not record_has_content_access(user=user):
        return None
    return n


def area_polygon_size_ok(*, polygon: GEOSGeometry, max_km2: float = 2500) -> bool:
    area_m2 = projected(polygon).area
    return math.isfinite(area_m2) and area_m2 <= max_km2 * 1_000_000
