"""Every read of locations, flags and areas, and every spatial query on them.

Spatial selectors take a queryset and return one, so filters chain. Radius and
nearest work on `point_bng` (British National Grid, metres) with its GiST index.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.contrib.gis.db.models import PointField
from django.contrib.gis.db.models.functions import Distance, Transform
from django.contrib.gis.geos import GEOSGeometry, Point
from django.contrib.gis.measure import D
from django.db.models import BooleanField, Case, F, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Replace, Upper

from .models import RESTRICTED_CATEGORIES, Area, ConcernFlag, ConcernLevel, Location
from .triggers import PROJECTED_SRID

# Restricted locations (protective places, residential addresses) are shown to
# uncleared roles at the centre of the 500 m British National Grid square they
# fall in, never at their exact position.
RESTRICTED_SNAP_M = 500

_SNAPPED_BNG_SQL = (
    "ST_SetSRID(ST_MakePoint("
    f"floor(ST_X(locations_location.point_bng) / {RESTRICTED_SNAP_M}) * {RESTRICTED_SNAP_M} + {RESTRICTED_SNAP_M / 2}, "
    f"floor(ST_Y(locations_location.point_bng) / {RESTRICTED_SNAP_M}) * {RESTRICTED_SNAP_M} + {RESTRICTED_SNAP_M / 2}), {PROJECTED_SRID})"
)


def location_sees_exact(*, user: AbstractBaseUser) -> bool:
    return user.has_perm("locations.view_restricted_exact")


def location_scope(
    *, user: AbstractBaseUser, qs: QuerySet[Location] | None = None
) -> QuerySet[Location]:
    """Locations as this user may see them.

    Adds `display_bng` / `display_point` (where the user may see it) and
    `position_approximate`; restricted locations are snapped to the grid for
    users without locations.view_restricted_exact.
    """
    qs = Location.objects.all() if qs is None else qs
    if location_sees_exact(user=user):
        return qs.annotate(
            display_bng=F("point_bng"),
            display_point=F("point"),
            position_approximate=Value(False, output_field=BooleanField()),
        )
    restricted = Q(category__in=sorted(RESTRICTED_CATEGORIES))
    return qs.annotate(
        display_bng=Case(
            When(
                restricted,
                then=RawSQL(
                    _SNAPPED_BNG_SQL, [], output_field=PointField(srid=PROJECTED_SRID)
                ),
            ),
            default=F("point_bng"),
            output_field=PointField(srid=PROJECTED_SRID),
        ),
        position_approximate=Case(
            When(restricted, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
    ).annotate(display_point=Transform("display_bng", 4326))


def _snapped(qs: QuerySet[Location]) -> bool:
    """Whether this queryset places restricted locations on the grid."""
    return "display_bng" in qs.query.annotations and not isinstance(
        qs.query.annotations["display_bng"], F
    )


# The furthest a snapped position lies from the true one: half a diagonal.
_SNAP_REACH_M = RESTRICTED_SNAP_M * 0.7072


def location_list_within(
    *, point: Point, radius_m: float, qs: QuerySet[Location] | None = None
) -> QuerySet[Location]:
    """Locations within radius_m metres of point, by ST_DWithin on point_bng.

    Where restricted locations are snapped, they match by their snapped
    position, so a small radius cannot pin one down.
    """
    qs = Location.objects.all() if qs is None else qs
    if not _snapped(qs):
        return qs.filter(point_bng__dwithin=(point, D(m=radius_m)))
    return qs.filter(point_bng__dwithin=(point, D(m=radius_m + _SNAP_REACH_M))).filter(
        Q(position_approximate=False, point_bng__dwithin=(point, D(m=radius_m)))
        | Q(position_approximate=True, display_bng__dwithin=(point, D(m=radius_m)))
    )


def location_list_in_polygon(
    *, polygon: GEOSGeometry, qs: QuerySet[Location] | None = None
) -> QuerySet[Location]:
    qs = Location.objects.all() if qs is None else qs
    if not _snapped(qs):
        return qs.filter(point__intersects=polygon)
    return qs.filter(
        Q(position_approximate=False, point__intersects=polygon)
        | Q(position_approximate=True, display_point__intersects=polygon)
    )


def location_with_distance(
    *, qs: QuerySet[Location], point: Point
) -> QuerySet[Location]:
    """Adds `distance_m` from point to where the user may see each location."""
    field = "display_bng" if "display_bng" in qs.query.annotations else "point_bng"
    return qs.annotate(distance=Distance(field, point))


def location_nearest(
    *, point: Point, k: int, qs: QuerySet[Location] | None = None
) -> QuerySet[Location]:
    """The k nearest locations, by the index-assisted `<->` operator."""
    qs = Location.objects.all() if qs is None else qs
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
    if bbox is not None:
        qs = qs.filter(point__intersects=bbox)
    if point is not None and radius:
        qs = location_with_distance(
            qs=location_list_within(point=point, radius_m=radius, qs=qs), point=point
        )
    if area_ids is not None:
        qs = qs.filter(area_ids__overlap=area_ids)
    if q:
        # Postcodes match with or without their space ("CV11AA", "cv1 1aa").
        compact = q.replace(" ", "").upper()
        qs = qs.annotate(
            postcode_compact=Replace(Upper("postcode"), Value(" "), Value(""))
        )
        by_address = Q(address__icontains=q) | Q(postcode_compact__contains=compact)
        if _snapped(qs):
            # A hidden address must not be confirmable by searching for it.
            by_address &= Q(position_approximate=False)
        qs = qs.filter(Q(name__icontains=q) | by_address)
    return qs


def area_ids_for_code(*, code: str) -> list[int]:
    return list(Area.objects.filter(code=code).values_list("id", flat=True))


def location_flag_history(*, location: Location) -> QuerySet[ConcernFlag]:
    return location.flags.select_related("created_by").order_by("-created_at", "-id")


def location_get(*, user: AbstractBaseUser, pk: int) -> Location:
    return location_scope(user=user).get(pk=pk)
