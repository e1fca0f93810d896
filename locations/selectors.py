"""Every read of locations, flags and areas, and every spatial query on them.

Spatial selectors take a queryset and return one, so filters chain. Radius and
nearest work on `point_bng` (British National Grid, metres) with its GiST index.
"""

import json

from django.contrib.auth.models import AbstractBaseUser
from django.contrib.gis.db.models.functions import Distance
from django.contrib.gis.geos import GEOSGeometry, Point
from django.contrib.gis.measure import D
from django.core.exceptions import EmptyResultSet
from django.db.models import (
    Count,
    FloatField,
    Func,
    Q,
    QuerySet,
    Value,
    Window,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Replace, Upper
from django.urls import reverse

from common.db.router import read_connection
from common.placement import (
    placement_annotate,
    placement_filter,
    placement_hide,
    placement_in_polygon,
    placement_is_placed,
    placement_is_snapped,
    placement_sees_exact,
    placement_within,
)
from common.postcodes import postcode_normalise
from common.renderers import JSONText
from history.selectors import Change, HistorySource, change_history

from .models import (
    RESTRICTED_CATEGORIES,
    Area,
    Category,
    ConcernFlag,
    ConcernFlagEvent,
    ConcernLevel,
    Location,
    LocationEvent,
    Postcode,
)
from .triggers import PROJECTED_SRID

# Where a restricted location may be shown: common.placement.
LOCATION_RESTRICTED = Q(category__in=sorted(RESTRICTED_CATEGORIES))


def location_sees_exact(*, user: AbstractBaseUser) -> bool:
    return placement_sees_exact(user=user)


def location_scope(
    *, user: AbstractBaseUser, qs: QuerySet[Location] | None = None
) -> QuerySet[Location]:
    """Locations as this user may see them: restricted ones snapped
    (common.placement)."""
    qs = Location.objects.all() if qs is None else qs
    return placement_annotate(
        qs=qs, user=user, restricted=LOCATION_RESTRICTED, restricted_by_columns=True
    )


def location_list_shown(
    *, user: AbstractBaseUser, qs: QuerySet[Location] | None = None
) -> QuerySet[Location]:
    """Locations without the restricted ones, for a user who does not see
    exact positions: where a page would single a place out rather than
    show it on the grid (common.placement says which pages)."""
    qs = Location.objects.all() if qs is None else qs
    return placement_hide(qs=qs, user=user, restricted=LOCATION_RESTRICTED)


def location_list_within(
    *, point: Point, radius_m: float, qs: QuerySet[Location] | None = None
) -> QuerySet[Location]:
    qs = Location.objects.all() if qs is None else qs
    return placement_within(qs=qs, point=point, radius_m=radius_m)


def location_list_in_polygon(
    *, polygon: GEOSGeometry, qs: QuerySet[Location] | None = None
) -> QuerySet[Location]:
    qs = Location.objects.all() if qs is None else qs
    return placement_in_polygon(qs=qs, polygon=polygon)


def location_with_distance(
    *, qs: QuerySet[Location], point: Point
) -> QuerySet[Location]:
    """Adds `distance` (metres, shown as `distance_m`) from point to where the
    user may see each location."""
    field = "display_bng" if placement_is_placed(qs) else "point_bng"
    return qs.annotate(distance=Distance(field, point))


def location_nearest(
    *, point: Point, k: int, qs: QuerySet[Location] | None = None
) -> QuerySet[Location]:
    """The k nearest locations, by the index-assisted `<->` operator.

    Where restricted locations are snapped they are left out: their order by
    true distance would give away what the snapping hides.
    """
    qs = Location.objects.all() if qs is None else qs
    if placement_is_snapped(qs):
        qs = qs.exclude(LOCATION_RESTRICTED)
    ewkt = f"SRID=4326;POINT({point.x:.8f} {point.y:.8f})"
    order = RawSQL(
        "locations_location.point_bng <-> ST_Transform(ST_GeomFromEWKT(%s), %s)",
        [ewkt, PROJECTED_SRID],
    )
    qs = qs.filter(point_bng__isnull=False).annotate(knn=order).order_by("knn")
    return location_with_distance(qs=qs, point=point)[:k]


def location_list_filtered(
    *,
    qs: QuerySet[Location],
    category: list[str] | None = None,
    flagged: bool = False,
    risk: str | None = None,
    bbox=None,
    point: Point | None = None,
    radius: int | None = None,
    area_ids: list[int] | None = None,
    q: str | None = None,
) -> QuerySet[Location]:
    if category:
        qs = qs.filter(category__in=category)
    if flagged:
        qs = qs.exclude(concern_level=ConcernLevel.NONE)
    if risk:
        qs = qs.filter(concern_level=risk)
    qs = placement_filter(
        qs=qs, bbox=bbox, point=point, radius_m=radius, area_ids=area_ids
    )
    if point is not None and radius:
        qs = location_with_distance(qs=qs, point=point)
    if q:
        # Postcodes match with or without their space ("CV11AA", "cv1 1aa").
        compact = q.replace(" ", "").upper()
        qs = qs.annotate(
            postcode_compact=Replace(Upper("postcode"), Value(" "), Value(""))
        )
        by_address = Q(address__icontains=q) | Q(postcode_compact__contains=compact)
        if placement_is_snapped(qs):
            # A hidden address must not be confirmable by searching for it.
            by_address &= Q(position_approximate=False)
        qs = qs.filter(Q(name__icontains=q) | by_address)
    return qs


# Up to this many locations in view the map gets each marker (and clusters
# them in the browser); past it, the server bins them into grid clusters.
MARKERS_MAX = 3_000
# A server cluster is about 60 screen pixels across: 60 px x the metres per
# pixel of Web Mercator at 52.4 N (156,543 m x cos 52.4) at zoom 0.
CLUSTER_M_AT_ZOOM_0 = 5_730_000


def location_markers(*, qs: QuerySet[Location]) -> tuple[int, list[tuple]]:
    """Compact rows for map markers, (id, lon, lat, category, concern, approximate,
    name), coordinates taken in SQL; none (with the count) past MARKERS_MAX."""
    count = qs.order_by().count()
    if count > MARKERS_MAX:
        return count, []
    rows = list(
        qs.order_by()
        .annotate(
            lon=Func("display_point", function="ST_X", output_field=FloatField()),
            lat=Func("display_point", function="ST_Y", output_field=FloatField()),
        )
        .values_list(
            "id",
            "lon",
            "lat",
            "category",
            "concern_level",
            "position_approximate",
            "name",
        )
    )
    return count, [
        (i, round(x, 6), round(y, 6), c, lvl, approx, name)
        for i, x, y, c, lvl, approx, name in rows
    ]


def location_clusters(*, qs: QuerySet[Location], zoom: int) -> list[tuple]:
    """Locations binned on a British National Grid square grid in PostGIS:
    (lon, lat, count, flagged count) per occupied cell, at the cells' mean
    position; the answer's size depends on the view, not on the rows."""
    cell = max(25, round(CLUSTER_M_AT_ZOOM_0 / 2**zoom))
    inner_sql, params = (
        qs.order_by().values("display_bng", "concern_level").query.sql_with_params()
    )
    sql = f"""
        SELECT ST_X(c), ST_Y(c), b.n, b.flagged FROM (
            SELECT avg(ST_X(r.display_bng)) AS x, avg(ST_Y(r.display_bng)) AS y,
                   count(*) AS n,
                   count(*) FILTER (WHERE r.concern_level <> 'none') AS flagged
            FROM ({inner_sql}) AS r
            GROUP BY floor(ST_X(r.display_bng) / %s), floor(ST_Y(r.display_bng) / %s)
        ) AS b,
        LATERAL ST_Transform(ST_SetSRID(ST_MakePoint(b.x, b.y), {PROJECTED_SRID}),
                             4326) AS c
    """
    with read_connection().cursor() as cur:
        cur.execute(sql, [*params, cell, cell])
        return [(round(x, 6), round(y, 6), n, f) for x, y, n, f in cur.fetchall()]


def area_ids_for_code(*, code: str) -> list[int]:
    return list(Area.objects.filter(code=code).values_list("id", flat=True))


def location_flag_history(*, location: Location) -> QuerySet[ConcernFlag]:
    return location.flags.select_related("created_by").order_by("-created_at", "-id")


def location_get(*, user: AbstractBaseUser, pk: int) -> Location:
    return location_scope(user=user).get(pk=pk)


def location_is_editable(*, user: AbstractBaseUser, location: Location) -> bool:
    """Whether this user may edit the premises: with the permission, and not
    a protected place they see on the grid (its form would show the address
    and position withheld from them). `location` comes from location_scope."""
    return user.has_perm("locations.change_location") and not getattr(
        location, "position_approximate", False
    )


# A location as a GeoJSON Feature, built by PostGIS: the shape of
# locations.api.LocationSerializer (tests/api/test_location_features.py holds
# them equal), without Python's per-row cost through DRF (docs/scaling.md).
_FEATURE_SQL = """
    json_build_object(
        'id', r.id,
        'type', 'Feature',
        'geometry', ST_AsGeoJSON(r.display_point)::json,
        'properties', json_build_object(
            'name', r.name,
            'category', r.category,
            'category_label', coalesce(%s::jsonb ->> r.category, r.category),
            'address', CASE WHEN r.position_approximate THEN '' ELSE r.address END,
            'postcode', CASE WHEN r.position_approximate THEN '' ELSE r.postcode END,
            'concern_level', r.concern_level,
            'concern_label',
                coalesce(%s::jsonb ->> r.concern_level, r.concern_level),
            'concern_review_date', r.concern_review_date,
            'position_approximate', r.position_approximate,
            'distance_m', {distance},
            'url', %s || r.id || %s))
"""


def _labels_json(choices) -> str:
    return json.dumps({value: str(label) for value, label in choices})


def _features_query(
    *, qs: QuerySet[Location], total: bool
) -> tuple[JSONText | list[dict], int | None]:
    has_distance = "distance" in qs.query.annotations
    fields = [
        "id",
        "name",
        "category",
        "address",
        "postcode",
        "concern_level",
        "concern_review_date",
        "position_approximate",
        "display_point",
    ] + (["distance"] if has_distance else [])
    if total:
        fields.append("total_rows")
    try:
        inner_sql, inner_params = qs.values(*fields).query.sql_with_params()
    except EmptyResultSet:
        return [], 0
    marker = 987654321
    url_prefix, url_suffix = reverse("location-page", args=[marker]).split(str(marker))
    distance = "round(r.distance::numeric, 1)" if has_distance else "NULL"
    feature = _FEATURE_SQL.format(distance=distance)
    # json_agg keeps the order in which the subquery returns its rows.
    total_sql = "max(r.total_rows)" if total else "NULL"
    sql = (
        f"SELECT coalesce(json_agg({feature}), '[]')::text, {total_sql} "
        f"FROM ({inner_sql}) AS r"
    )
    params = [
        _labels_json(Category.choices),
        _labels_json(ConcernLevel.choices),
        url_prefix,
        url_suffix,
        *inner_params,
    ]
    with read_connection().cursor() as cur:
        cur.execute(sql, params)
        features, n = cur.fetchone()
    # Sent as the database wrote it; parsed only if Python reads it.
    return JSONText(features), n


def location_features(*, qs: QuerySet[Location]) -> JSONText | list[dict]:
    """The rows of a location_scope() queryset (filtered, ordered, sliced as
    the caller likes) as GeoJSON Features, in its order, built in one query.

    Positions, addresses and distances are those the queryset's scope gives
    the user (snapped restricted locations lose their address). The array
    comes as the database's JSON text (common.renderers.JSONText): the API
    sends it unparsed, Python reading it gets a list of dicts."""
    return _features_query(qs=qs, total=False)[0]


def location_features_page(
    *, qs: QuerySet[Location], offset: int, limit: int
) -> tuple[JSONText | list[dict], int | None]:
    """One page of location_features, with the number of rows in the whole
    queryset counted by the same query (a window count over the rows the
    page is cut from), not by a second scan. The count is None when the page
    is past the last row (no row carries it)."""
    counted = qs.annotate(total_rows=Window(Count("id")))[offset : offset + limit]
    features, total = _features_query(qs=counted, total=True)
    return features, (total if features else None)


def location_feature_collection(*, qs: QuerySet[Location]) -> dict:
    return {"type": "FeatureCollection", "features": location_features(qs=qs)}


# Shown on the page; the admin keeps the whole history.
LOCATION_CHANGES_SHOWN = 100
# A protected location's exact position and address, withheld from roles that
# see it on the grid (its history would otherwise give them away).
PROTECTED_FIELDS = frozenset({"point", "footprint", "address", "postcode", "uprn"})


def location_change_history(
    *, location: Location, limit: int | None = LOCATION_CHANGES_SHOWN
) -> list[Change]:
    """Changes to the location and to its concern flags, newest first.

    `location` comes from location_scope(): where it is shown approximately,
    the changes to its position and address are withheld.
    """
    hidden = (
        PROTECTED_FIELDS
        if getattr(location, "position_approximate", False)
        else frozenset()
    )
    return change_history(
        sources=[
            HistorySource("Location", LocationEvent.objects.filter(pgh_obj=location)),
            HistorySource(
                "Concern flag",
                ConcernFlagEvent.objects.filter(location_id=location.pk),
                omit=frozenset({"location"}),
            ),
        ],
        hidden=hidden,
        limit=limit,
    )


# A new or edited premises this close to a held one of the same name is
# likely the same place (README: the importers' match uses the same 50 m).
DUPLICATE_RADIUS_M = 50


def location_duplicates(
    *,
    user: AbstractBaseUser,
    name: str,
    point: Point | None,
    fhrs_id: str = "",
    licence: str = "",
    exclude_pk: int | None = None,
) -> QuerySet[Location]:
    """Held premises that are likely the same: the same FHRS id, the same
    premises licence, or the same name within 50 m. Protected places are
    left out for roles that may not see where they are."""
    match = Q(pk__in=[])
    if fhrs_id:
        match |= Q(fhrs_id=fhrs_id)
    if licence:
        match |= Q(premises_licence_number__iexact=licence)
    if name and point is not None:
        near = Location.objects.filter(
            point_bng__dwithin=(point, D(m=DUPLICATE_RADIUS_M)),
            name__iexact=name.strip(),
        )
        match |= Q(pk__in=near.values("pk"))
    qs = location_list_shown(user=user, qs=location_scope(user=user).filter(match))
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.order_by("name", "id")


def postcode_point(*, postcode: str) -> Point | None:
    """The postcode's centroid from the postcode table, if it is there."""
    code = postcode_normalise(postcode)
    row = Postcode.objects.filter(postcode=code).only("point").first() if code else None
    return row.point if row else None
