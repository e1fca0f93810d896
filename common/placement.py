"""Where a restricted place may be shown: the one home of that rule.

A restricted place (a children's home, a school, a residential address:
locations.models.RESTRICTED_CATEGORIES) and every record or action linked to
one is shown to a role without ``locations.view_restricted_exact`` in one of
two ways, never at its exact position:

Snapped
    Placed at the centre of the 500 m British National Grid square it falls
    in, with its address withheld. This is the rule wherever places and
    records are drawn, listed or counted: the map's markers and clusters,
    record and action lists, the heat map, area counts and Gi* cells
    (``placement_annotate`` for querysets, ``placement_position_sql`` for
    aggregates written in SQL). A snapped queryset matches a radius or a
    polygon at the snapped position (``placement_filter``), so a small radius
    cannot pin one down, and its address cannot be searched for.

Hidden
    Left out altogether (``placement_hide``). This is the rule where a place
    would be singled out by its exact position or chosen as itself: the
    nearest-N list (its order by true distance would give the position away),
    the likely-duplicate search (a 50 m match), search by postcode, choosing a
    premises on a submission, and choosing a location to evaluate (did it
    work) or to task. A snapped square cannot be chosen, so these pages do
    without the place; the hot-spot ranking of locations leaves them out for
    the same reason.

Each app states what "restricted" means for its rows (a Q on its own columns,
or SQL for the aggregates) and calls this module; none writes the rule again.
"""

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.gis.db.models import PointField
from django.contrib.gis.db.models.functions import Transform
from django.contrib.gis.geos import GEOSGeometry, Point
from django.contrib.gis.measure import D
from django.db.models import BooleanField, Case, F, Func, Q, QuerySet, Value, When
from django.db.models.expressions import Expression

# The grid square a restricted place is shown at the centre of, in metres.
RESTRICTED_SNAP_M = 500
# The furthest a snapped position lies from the true one: half a diagonal.
SNAP_REACH_M = RESTRICTED_SNAP_M * 0.7072
PROJECTED_SRID = settings.PROJECTED_SRID
# The British National Grid's extent, in metres.
BNG_MAX_EASTING, BNG_MAX_NORTHING = 700_000, 1_300_000

# Set on a queryset's query by placement_annotate: True when restricted rows
# are snapped, False when every row is at its exact position. Query.clone()
# copies it, so it survives every filter, annotate and values() after it.
_SNAPPED = "placement_snapped"


def placement_sees_exact(*, user: AbstractBaseUser) -> bool:
    """Whether this user sees restricted places at their exact position."""
    return user.has_perm("locations.view_restricted_exact")


def snapped_bng_sql(table: str) -> str:
    """SQL for the centre of the grid square a row's point_bng falls in."""
    s, half = RESTRICTED_SNAP_M, RESTRICTED_SNAP_M / 2
    return (
        f"ST_SetSRID(ST_MakePoint("
        f"floor(ST_X({table}.point_bng) / {s}) * {s} + {half}, "
        f"floor(ST_Y({table}.point_bng) / {s}) * {s} + {half}), {PROJECTED_SRID})"
    )


class GridCentre(Func):
    """The centre of the grid square a projected point falls in, as an ORM
    expression: its column is named by the query that compiles it, so a
    placed queryset works as a subquery (pk__in=...) under the alias the
    outer query gives its table, where SQL naming the table would reach
    for the outer query's row or fail."""

    arity = 1
    output_field = PointField(srid=PROJECTED_SRID)

    def as_sql(self, compiler, connection, **extra_context):
        point, params = compiler.compile(self.source_expressions[0])
        s, half = RESTRICTED_SNAP_M, RESTRICTED_SNAP_M / 2
        sql = (
            f"ST_SetSRID(ST_MakePoint("
            f"floor(ST_X({point}) / {s}) * {s} + {half}, "
            f"floor(ST_Y({point}) / {s}) * {s} + {half}), {PROJECTED_SRID})"
        )
        # The point appears twice: its parameters (none for a column) too.
        return sql, (*params, *params)


def placement_position_sql(*, exact: bool, restricted_sql: str, alias: str) -> str:
    """SQL for where a row counts in an aggregate written in SQL: its
    point_bng, or, when not `exact`, its grid square's centre where
    `restricted_sql` (a condition on `alias`) holds."""
    if exact:
        return f"{alias}.point_bng"
    return (
        f"CASE WHEN {restricted_sql} THEN {snapped_bng_sql(alias)} "
        f"ELSE {alias}.point_bng END"
    )


def placement_annotate(
    *,
    qs: QuerySet,
    user: AbstractBaseUser,
    restricted: Q | Expression,
    restricted_by_columns: bool = False,
) -> QuerySet:
    """Rows placed where this user may see them.

    Adds `display_bng`, `display_point` and `position_approximate`: rows
    matching `restricted` are snapped to the grid for users who do not see
    exact positions; everyone else sees the exact point. The queryset is
    marked, so placement_is_snapped() can tell which it is.

    `restricted_by_columns` says `restricted` tests only the row's own
    columns (no subquery), so it is cheap to test twice: a row left exact
    then shows its stored WGS84 `point`, as for a user who sees exact
    positions, instead of `point_bng` transformed back (a projection per
    row, the larger part of a 500-row list's query).
    """
    if placement_sees_exact(user=user):
        # display_point last, as in the snapped case: the SELECT is the same.
        qs = qs.annotate(
            display_bng=F("point_bng"),
            position_approximate=Value(False, output_field=BooleanField()),
        ).annotate(display_point=F("point"))
        setattr(qs.query, _SNAPPED, False)
        return qs
    snapped = GridCentre(F("point_bng"))
    qs = qs.annotate(
        display_bng=Case(
            When(restricted, then=snapped),
            default=F("point_bng"),
            output_field=PointField(srid=PROJECTED_SRID),
        ),
        position_approximate=Case(
            When(restricted, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
    )
    if restricted_by_columns:
        qs = qs.annotate(
            display_point=Case(
                When(restricted, then=Transform(snapped, 4326)),
                default=F("point"),
                output_field=PointField(srid=4326),
            )
        )
    else:
        qs = qs.annotate(display_point=Transform("display_bng", 4326))
    setattr(qs.query, _SNAPPED, True)
    return qs


def placement_is_placed(qs: QuerySet) -> bool:
    """Whether placement_annotate() has placed this queryset's rows."""
    return getattr(qs.query, _SNAPPED, None) is not None


def placement_is_snapped(qs: QuerySet) -> bool:
    """Whether this queryset places restricted rows on the grid."""
    return getattr(qs.query, _SNAPPED, None) is True


def placement_hide(*, qs: QuerySet, user: AbstractBaseUser, restricted: Q) -> QuerySet:
    """The rows without the restricted ones, for a user who does not see
    exact positions (see the module docstring for where this applies)."""
    if placement_sees_exact(user=user):
        return qs
    return qs.exclude(restricted)


def _grid_bng(qs: QuerySet) -> GridCentre:
    """The centre of the grid square each row's point_bng falls in: where the
    row is shown if it is restricted, computed without asking whether it is
    (for records and actions that is a subquery on their linked premises)."""
    return GridCentre(F("point_bng"))


def placement_within(*, qs: QuerySet, point: Point, radius_m: float) -> QuerySet:
    """Rows within radius_m metres of point, by ST_DWithin on point_bng.

    Where restricted rows are snapped, they match by their snapped position,
    so a small radius cannot pin one down; the outer ST_DWithin keeps the
    spatial index in use. Within it the cheap distance tests come first, so
    whether a row is restricted is asked only of rows that one of its two
    possible positions puts inside the radius.
    """
    if not placement_is_snapped(qs):
        return qs.filter(point_bng__dwithin=(point, D(m=radius_m)))
    near = (point, D(m=radius_m))
    return (
        qs.alias(grid_bng=_grid_bng(qs))
        .filter(point_bng__dwithin=(point, D(m=radius_m + SNAP_REACH_M)))
        .filter(
            (Q(point_bng__dwithin=near) & Q(position_approximate=False))
            | (Q(grid_bng__dwithin=near) & Q(position_approximate=True))
        )
    )


def placement_in_polygon(*, qs: QuerySet, polygon: GEOSGeometry) -> QuerySet:
    """Rows inside polygon, snapped rows by their snapped position."""
    if not placement_is_snapped(qs):
        return qs.filter(point__intersects=polygon)
    grid_point = Transform(_grid_bng(qs), 4326)
    return qs.alias(grid_point=grid_point).filter(
        (Q(point__intersects=polygon) & Q(position_approximate=False))
        | (Q(grid_point__intersects=polygon) & Q(position_approximate=True))
    )


def placement_filter(
    *,
    qs: QuerySet,
    bbox: GEOSGeometry | None = None,
    point: Point | None = None,
    radius_m: float | None = None,
    polygon: GEOSGeometry | None = None,
    area_ids: list[int] | None = None,
) -> QuerySet:
    """The spatial filters every map, list and API applies, in this order:
    a lon/lat box, a radius around a point, a polygon, and areas by id.

    A point is inside a lon/lat box exactly when it overlaps the box's
    bounding box, so the index operator alone (&&) answers it. Areas match
    on the GIN-indexed area_ids, set when the row is written.
    """
    if bbox is not None:
        qs = qs.filter(point__bboverlaps=bbox)
    if point is not None and radius_m:
        qs = placement_within(qs=qs, point=point, radius_m=radius_m)
    if polygon is not None:
        qs = placement_in_polygon(qs=qs, polygon=polygon)
    if area_ids is not None:
        qs = qs.filter(area_ids__overlap=area_ids)
    return qs
