"""The map's aggregates: heat-map bins and counts by area, all in PostGIS."""

import json
import math
import threading
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.gis.gdal import CoordTransform, SpatialReference
from django.contrib.gis.geos import GEOSGeometry, Polygon
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.urls import reverse

from common.db.router import read_connection
from common.placement import (
    placement_is_placed,
    placement_position_sql,
    placement_sees_exact,
)
from disruption.selectors import disruption_filter, disruption_scope
from intelligence.grading import (
    ASSESSMENT_WEIGHT,
    HEATMAP_HALF_LIFE_DAYS,
    SOURCE_WEIGHT,
    age_weight_sql,
    grade_weight_sql,
    low_grade,
)
from intelligence.models import IntelligenceRecord
from intelligence.selectors import (
    SMALL_COUNT,
    count_display,
    intelligence_count_scope,
    record_counts,
    record_counts_ids_newest,
    record_filter,
    record_has_content_access,
    record_placed,
    record_rows,
    record_rows_for_ids,
)
from locations.models import (
    RESTRICTED_CATEGORIES,
    Area,
    LocationAreaCount,
)
from locations.selectors import (
    location_feature_collection,
    location_list_in_polygon,
    location_list_within,
    location_scope,
    location_with_distance,
)
from locations.triggers import PROJECTED_SRID

from .rollups import (
    rollup_area_answers,
    rollup_area_counts,
    rollup_buckets_answer,
    rollup_buckets_heatmap_sql,
    rollup_heatmap_answers,
    rollup_heatmap_binned_sql,
    rollup_heatmap_rim,
)

# Weights by grade and age: intelligence.grading.
# Cell size: 25 m at zoom 16, doubling with each zoom level out, so a cell is
# always about 15-20 screen pixels; the browser blurs cells over 1.5 cells.
CELL_AT_ZOOM_16_M = 25
CELL_MIN_M, CELL_MAX_M = 25, 25_600
BANDWIDTH_CELLS = 1.5
# The response never holds more cells than this, whatever the number of
# records: a larger box gets a coarser grid.
MAX_CELLS = 20_000


# The heat map's weight of one record, in SQL: grade x age at the end of the
# period (the first placeholder) with the half-life (the second).
_WEIGHT_SQL = (
    f"{grade_weight_sql()} * "
    f"{age_weight_sql(as_of='%s::timestamptz', half_life_days='%s')}"
)


# GEOS's transform(srid) builds a new GDAL coordinate transformation on every
# call (PROJ looks both systems up in its database): most of a small heat
# map's own time (docs/scaling.md, "Figures behind the code"). Each thread keeps one per source SRID
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
# the box afterwards: at zoom 15 that reads 174,000 records to keep 30,000.
# Without plain index scans it takes a bitmap of the (point, occurred_from)
# GiST index for a close view and a bitmap of the btree for a wide one, as
# cheap as before (docs/scaling.md has the times). Set for this one query only.
PLAN_BY_BOX_AND_PERIOD = "SET LOCAL enable_indexscan = off"
PLAN_DEFAULT = "SET LOCAL enable_indexscan TO DEFAULT"


# The parsed heat-map parameters that choose its records.
HEATMAP_FILTERS = ("bbox", "since", "until", "kind", "min_grade", "tag")


def heatmap_records(
    *, user: AbstractBaseUser, params: dict
) -> QuerySet[IntelligenceRecord]:
    """The records a heat map with these parsed parameters weighs (before
    placement): the map's own query, and the access log's way back from a
    logged heat map to its records."""
    filters = {k: params[k] for k in HEATMAP_FILTERS if k in params}
    qs = record_filter(
        qs=intelligence_count_scope(user=user, restricted_lookup="hashed"), **filters
    )
    if not params.get("include_low_grade"):
        qs = qs.exclude(low_grade())
    return qs


def heatmap_bins(
    *,
    qs: QuerySet[IntelligenceRecord],
    user: AbstractBaseUser,
    cell_m: int,
    until: date,
    half_life_days: float = HEATMAP_HALF_LIFE_DAYS,
) -> dict:
    """Bin the (already filtered) records on a British National Grid square
    grid of cell_m metres, weighted by grade and age; only the cell centres
    are transformed to WGS84. `records_weighed` and `data_version` are for
    the access log, not the answer."""
    binned = heatmap_records_binned_sql(
        qs=qs, user=user, cell_m=cell_m, until=until, half_life_days=half_life_days
    )
    sql, params = heatmap_statement(binned=binned, user=user, cell_m=cell_m)
    rows = heatmap_rows_read(sql=sql, params=params)
    return heatmap_result(
        rows=rows, user=user, cell_m=cell_m, half_life_days=half_life_days
    )


def heatmap_records_binned_sql(
    *,
    qs: QuerySet[IntelligenceRecord],
    user: AbstractBaseUser,
    cell_m: int,
    until: date,
    half_life_days: float,
) -> tuple[str, list]:
    """SQL for the records' cells: (gx, gy, n, w) on a cell_m grid."""
    # Records at restricted locations are binned where the user may see them
    # (on the 500 m grid unless cleared for exact positions): a 25 m cell must
    # not pin down a children's home the map itself only places to 500 m.
    if not placement_is_placed(qs):
        qs = record_placed(user=user, qs=qs, restricted_lookup="hashed")
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
    sql = f"""
        SELECT floor(ST_X(r.display_bng) / %s) AS gx,
               floor(ST_Y(r.display_bng) / %s) AS gy,
               count(*) AS n,
               sum({_WEIGHT_SQL}) AS w
        FROM ({inner_sql} OFFSET 0) AS r
        GROUP BY 1, 2
    """
    end_of_period = f"{until.isoformat()}T23:59:59Z"
    return sql, [cell_m, cell_m, end_of_period, half_life_days, *inner_params]


def heatmap_statement(
    *, binned: tuple[str, list], user: AbstractBaseUser, cell_m: int
) -> tuple[str, list]:
    """The heat map's one statement around `binned` (gx, gy, n, w rows, a
    cell possibly in several rows): the cells shown, with their centres in
    WGS84, and besides them how many records were weighed (suppressed cells
    too) and the data version, read in the same statement (one snapshot),
    for the access log (audit.consults). The first cell always comes back,
    shown or not, so that the total does; a map of nothing still answers
    one row, for the version."""
    binned_sql, binned_params = binned
    min_count = 1 if record_has_content_access(user=user) else SMALL_COUNT
    sql = f"""
        SELECT ST_X(c), ST_Y(c), b.n, b.w, b.total, v.version
        FROM (SELECT coalesce(sum(version), 0) AS version
              FROM intelligence_dataversion) AS v
        LEFT JOIN (
            SELECT g.*, sum(g.n) OVER () AS total, row_number() OVER () AS i
            FROM (
                SELECT u.gx, u.gy, sum(u.n)::bigint AS n, sum(u.w) AS w
                FROM ({binned_sql}) AS u
                GROUP BY 1, 2
            ) AS g
        ) AS b ON true
        LEFT JOIN LATERAL ST_Transform(ST_SetSRID(ST_MakePoint(
            (b.gx + 0.5) * %s, (b.gy + 0.5) * %s), {PROJECTED_SRID}), 4326) AS c
            ON true
        WHERE b.n >= %s OR b.i = 1 OR b.n IS NULL
        ORDER BY b.gy, b.gx
    """
    return sql, [*binned_params, cell_m, cell_m, min_count]


def heatmap_compute(
    *,
    user: AbstractBaseUser,
    params: dict,
    cell_m: int,
    include_low_grade: bool,
    half_life_days: float = HEATMAP_HALF_LIFE_DAYS,
) -> dict:
    """The heat map for these parsed parameters: the roll-ups' cells wholly
    inside the box (the bucket roll-ups where they hold the answer, else
    the day roll-ups) and the records of the cells astride its edge
    (maps.rollups), where the roll-ups hold the answer; else the records."""
    params = {**params, "include_low_grade": include_low_grade}
    if not rollup_heatmap_answers(
        params=params, cell_m=cell_m, half_life_days=half_life_days
    ):
        return heatmap_bins(
            qs=heatmap_records(user=user, params=params),
            user=user,
            cell_m=cell_m,
            until=params["until"],
            half_life_days=half_life_days,
        )
    if rollup_buckets_answer(params=params):
        inside_sql, inside_params = rollup_buckets_heatmap_sql(
            user=user,
            params=params,
            cell_m=cell_m,
            include_low_grade=include_low_grade,
            projected=projected,
        )
    else:
        inside_sql, inside_params = rollup_heatmap_binned_sql(
            user=user,
            params=params,
            cell_m=cell_m,
            include_low_grade=include_low_grade,
        )
    rim_sql, rim_params = _rim_binned_sql(
        user=user, params=params, cell_m=cell_m, half_life_days=half_life_days
    )
    sql, sql_params = heatmap_statement(
        binned=(
            f"{inside_sql} UNION ALL {rim_sql}",
            [*inside_params, *rim_params],
        ),
        user=user,
        cell_m=cell_m,
    )
    # The planner's own choice: the rim's thin strips go through the
    # box-and-period index anyway, and each rim record asks by its own link
    # whether it is at a restricted location (an index lookup).
    rows = heatmap_rows_read(sql=sql, params=sql_params, by_box_and_period=False)
    return heatmap_result(
        rows=rows, user=user, cell_m=cell_m, half_life_days=half_life_days
    )


def _rim_binned_sql(
    *, user: AbstractBaseUser, params: dict, cell_m: int, half_life_days: float
) -> tuple[str, list]:
    """heatmap_records_binned_sql for the records of the cells astride the
    box's edge (maps.rollups.rollup_heatmap_rim). They are few, so each
    asks by its own links, one index lookup that stops at the first,
    whether it is at a restricted location; the planner would otherwise
    hash every such record's link for a few hundred rows."""
    rim = rollup_heatmap_rim(
        qs=heatmap_records(user=user, params=params), bbox=params["bbox"]
    )
    rim_sql, rim_params = (
        rim.filter(point_bng__isnull=False)
        .order_by()
        .values(
            "id",
            "point_bng",
            "grading_scheme",
            "source_evaluation",
            "intelligence_assessment",
            "occurred_from",
        )
        .query.sql_with_params()
    )
    exact = placement_sees_exact(user=user)
    restricted = (
        ""
        if exact
        else """
        LEFT JOIN LATERAL (
            SELECT true AS hit FROM intelligence_intelligencelocationlink l
            JOIN locations_location loc ON loc.id = l.location_id
            WHERE l.record_id = r.id AND loc.category = ANY(%s) LIMIT 1
        ) AS x ON true"""
    )
    position = placement_position_sql(
        exact=exact, restricted_sql="x.hit IS NOT NULL", alias="r"
    )
    sql = f"""
        SELECT floor(ST_X(d.p) / %s) AS gx, floor(ST_Y(d.p) / %s) AS gy,
               count(*) AS n, sum({_WEIGHT_SQL}) AS w
        FROM ({rim_sql} OFFSET 0) AS r
        {restricted}
        CROSS JOIN LATERAL (SELECT {position} AS p) AS d
        GROUP BY 1, 2
    """
    return sql, [
        cell_m,
        cell_m,
        f"{params['until'].isoformat()}T23:59:59Z",
        half_life_days,
        *rim_params,
        *([] if exact else [sorted(RESTRICTED_CATEGORIES)]),
    ]


def heatmap_rows_read(
    *, sql: str, params: list, by_box_and_period: bool = True
) -> list[tuple]:
    """Run a binning statement, by default with the heat map's plan choice
    (PLAN_BY_BOX_AND_PERIOD)."""
    conn = read_connection()
    with transaction.atomic(using=conn.alias), conn.cursor() as cur:
        if by_box_and_period:
            cur.execute(PLAN_BY_BOX_AND_PERIOD)
        cur.execute(sql, params)
        rows = cur.fetchall()
        if by_box_and_period:
            cur.execute(PLAN_DEFAULT)
    return rows


def heatmap_result(
    *, rows: list[tuple], user: AbstractBaseUser, cell_m: int, half_life_days: float
) -> dict:
    """The heat map's answer from binned rows (lon, lat, n, weight, records
    weighed, data version), suppressing small cells for roles without
    record content."""
    min_count = 1 if record_has_content_access(user=user) else SMALL_COUNT
    weighed = int(rows[0][4] or 0) if rows else 0
    version = int(rows[0][5]) if rows else None
    rows = [r for r in rows if r[2] is not None and r[2] >= min_count]
    show_counts = min_count == 1
    cells = [
        [round(x, 6), round(y, 6), round(float(w), 4)] + ([n] if show_counts else [])
        for x, y, n, w, _total, _version in rows
    ]
    return {
        # For the access log only, never the answer: the view pops them.
        "records_weighed": weighed,
        "data_version": version,
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


def area_count_records(
    *, user: AbstractBaseUser, params: dict
) -> QuerySet[IntelligenceRecord]:
    """The records area counts with these parsed parameters count from (those
    in no area count nowhere): the view's query, and the access log's way
    back from a logged count to its records."""
    filters = {k: params.get(k) for k in ("since", "until", "kind", "min_grade", "tag")}
    return record_filter(
        qs=intelligence_count_scope(user=user, restricted_lookup="hashed"), **filters
    )


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


def _record_counts_by_area(qs: QuerySet) -> tuple[dict[int, int], int, int]:
    """{area id: records}, how many records were counted in some area, and
    the data version, in one statement (one snapshot) for the access log."""
    inner_sql, params = qs.order_by().values("area_ids").query.sql_with_params()
    with read_connection().cursor() as cur:
        # The empty grouping set is the total: each record once (its first
        # area), however many areas it lies in.
        cur.execute(
            "SELECT GROUPING(u.aid), u.aid, count(*), "
            "count(*) FILTER (WHERE u.o = 1), "
            "(SELECT coalesce(sum(version), 0) FROM intelligence_dataversion) "
            f"FROM ({inner_sql}) AS r, unnest(r.area_ids) WITH ORDINALITY "
            "AS u(aid, o) GROUP BY GROUPING SETS ((u.aid), ())",
            params,
        )
        rows = cur.fetchall()
    counts = {aid: n for total_row, aid, n, _f, _v in rows if not total_row}
    # The empty grouping set answers one row even when nothing matched.
    (weighed, version) = next((f, v) for t, _a, _n, f, v in rows if t)
    return counts, weighed, int(version)


def area_counts(
    *,
    user: AbstractBaseUser,
    area_type: str,
    params: dict,
    actions: QuerySet,
    consultation: dict | None = None,
) -> list[dict]:
    """Areas of a type with their counts for the parsed record filters
    `params` (period, kind, minimum grade, tags): from the roll-ups where
    they hold the answer, else from the records; constant query count. With
    `consultation` (a dict), it is given what the access log needs: how many
    records were counted (those in some area) and the data version."""
    # Every location counts (no role's scope narrows them), kept per area
    # by the locations' own triggers.
    per_area = list(LocationAreaCount.objects.values_list("area_id", "n", "n_flagged"))
    locations = {aid: n for aid, n, _flagged in per_area}
    flagged = {aid: f for aid, _n, f in per_area if f}
    if rollup_area_answers(params=params):
        intel, weighed, version = rollup_area_counts(user=user, params=params)
    else:
        intel, weighed, version = _record_counts_by_area(
            area_count_records(user=user, params=params)
        )
    if consultation is not None:
        consultation.update(count=weighed, data_version=version)
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


# A "what is here" answer lists at most this many locations and actions.
QUERY_LIST_LIMIT = 500


@dataclass
class WhatIsHere:
    """What a radius or a drawn area holds, as this user may see it."""

    locations: dict
    intelligence: dict
    disruption: list[dict]
    # The records themselves, for roles cleared for their content.
    records: list[dict] | None = None
    # The ids of the records counted, when asked for (a logged search).
    record_ids: list[int] | None = None


def what_is_here(
    *, user: AbstractBaseUser, where: dict, period: dict, with_ids: bool = False
) -> WhatIsHere:
    """Locations, intelligence counts and disruption within `where`, either
    {"point": Point, "radius_m": metres} or {"polygon": GEOSGeometry}, in
    `period` ({"since": date, "until": date}).

    Locations come nearest first for a radius, by name for an area. With
    `with_ids`, the ids of the records counted come from the counts' own
    query (for the access log)."""
    locations = location_scope(user=user)
    records = intelligence_count_scope(user=user)
    actions = disruption_scope(user=user)
    if "point" in where:
        point, radius_m = where["point"], where["radius_m"]
        spatial = {"point": point, "radius": radius_m}
        locations = location_with_distance(
            qs=location_list_within(point=point, radius_m=radius_m, qs=locations),
            point=point,
        ).order_by("distance", "id")
    else:
        spatial = {"polygon": where["polygon"]}
        locations = location_list_in_polygon(
            polygon=where["polygon"], qs=locations
        ).order_by("name", "id")
    records = record_filter(qs=records, **spatial, **period)
    actions = disruption_filter(qs=actions, **spatial, **period).order_by(
        "-occurred_at"
    )
    location_data = location_feature_collection(qs=locations[:QUERY_LIST_LIMIT])
    cleared = record_has_content_access(user=user)
    record_ids = None
    rows = None
    if with_ids:
        # The ids for the log and, for a cleared role, the records listed
        # come from the counts' own reading of the records.
        counts, record_ids, newest = record_counts_ids_newest(
            qs=records, user=user, newest=QUERY_LIST_LIMIT if cleared else 0
        )
        if cleared:
            rows = record_rows_for_ids(ids=newest)
    else:
        counts = record_counts(qs=records, user=user)
        if cleared:
            rows = record_rows(qs=records, limit=QUERY_LIST_LIMIT)
    return WhatIsHere(
        locations=location_data,
        intelligence=counts,
        disruption=[
            {
                "id": a.id,
                "occurred_at": a.occurred_at,
                "action_type": a.get_action_type_display(),
                "outcome": a.get_outcome_display(),
                "agency": a.get_agency_display(),
                "location": a.location.name if a.location else "",
                "location_url": (
                    reverse("location-page", args=[a.location_id])
                    if a.location_id
                    else ""
                ),
            }
            for a in actions[:QUERY_LIST_LIMIT]
        ],
        records=rows,
        record_ids=record_ids,
    )


WHAT_IS_HERE_CSV_HEADER = [
    "section",
    "name",
    "type",
    "address",
    "postcode",
    "distance_m",
    "value",
]


def what_is_here_csv_rows(*, here: WhatIsHere, query: dict) -> list[list]:
    """The rows of a what-is-here export (WHAT_IS_HERE_CSV_HEADER): the
    locations, the counts, the records shown to roles cleared for them, the
    actions, and last the query the answer was for."""
    rows = []
    for f in here.locations["features"]:
        p = f["properties"]
        rows.append(
            [
                "location",
                p["name"],
                p["category_label"],
                p["address"],
                p["postcode"],
                p["distance_m"] if p["distance_m"] is not None else "",
                p["concern_label"],
            ]
        )
    intel = here.intelligence
    rows.append(["intelligence", "all records", "", "", "", "", intel["total"]])
    for kind, n in intel["by_kind"].items():
        rows.append(["intelligence", f"kind {kind}", "", "", "", "", n])
    for grade, n in intel["by_grade"].items():
        rows.append(["intelligence", f"grade {grade}", "", "", "", "", n])
    for r in here.records or []:
        conditions = (
            f" [{r['handling_conditions']}]" if r["handling_conditions"] else ""
        )
        rows.append(
            [
                "record",
                r["reference"],
                r["kind_label"],
                "; ".join(loc["name"] for loc in r["locations"]),
                "",
                "",
                f"{r['occurred_from']:%Y-%m-%d} {r['grade']}{conditions}: "
                f"{r['summary']}",
            ]
        )
    for a in here.disruption:
        rows.append(
            [
                "disruption",
                a["action_type"],
                a["agency"],
                a["location"],
                "",
                "",
                f"{a['occurred_at']:%Y-%m-%d} {a['outcome']}",
            ]
        )
    rows.append(["query", str(query), "", "", "", "", ""])
    return rows
