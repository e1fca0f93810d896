"""Every read of disruption actions."""

from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.contrib.gis.geos import GEOSGeometry, Point
from django.db.models import Q, QuerySet

from common.params import (
    period_bounds,
)
from locations.models import RESTRICTED_CATEGORIES
from locations.selectors import (
    place_display_annotations,
    point_list_in_polygon,
    point_list_within,
)

from .models import DisruptionAction


def disruption_scope(*, user: AbstractBaseUser) -> QuerySet[DisruptionAction]:
    """The actions a user may read: none without the permission, only their own
    agency's for roles limited to it (licensing)."""
    if not user.has_perm("disruption.view_disruptionaction"):
        return DisruptionAction.objects.none()
    # Actions at restricted locations are placed as their location is.
    annotations = place_display_annotations(
        user=user,
        restricted=Q(location__category__in=sorted(RESTRICTED_CATEGORIES)),
        table="disruption_disruptionaction",
    )
    display_point = annotations.pop("display_point")
    qs = (
        DisruptionAction.objects.select_related("location", "officer")
        .annotate(**annotations)
        .annotate(display_point=display_point)
    )
    if user.has_perm("disruption.view_own_agency_only") and not user.is_superuser:
        profile = getattr(user, "profile", None)
        if profile is None:
            return DisruptionAction.objects.none()
        qs = qs.filter(agency=profile.agency)
    return qs


def disruption_filter(
    *,
    qs: QuerySet[DisruptionAction],
    since: date | None = None,
    until: date | None = None,
    bbox: GEOSGeometry | None = None,
    point: Point | None = None,
    radius: int | None = None,
    polygon: GEOSGeometry | None = None,
    area_ids: list[int] | None = None,
    location_id: int | None = None,
) -> QuerySet[DisruptionAction]:
    if since and until:
        start, end = period_bounds(since=since, until=until)
        qs = qs.filter(occurred_at__gte=start, occurred_at__lt=end)
    if bbox is not None:
        qs = qs.filter(point__bboverlaps=bbox)
    if point is not None and radius:
        qs = point_list_within(qs=qs, point=point, radius_m=radius)
    if polygon is not None:
        qs = point_list_in_polygon(qs=qs, polygon=polygon)
    if area_ids is not None:
        qs = qs.filter(area_ids__overlap=area_ids)
    if location_id is not None:
        qs = qs.filter(location_id=location_id)
    return qs


def disruption_history(
    *, user: AbstractBaseUser, location
) -> QuerySet[DisruptionAction]:
    return (
        disruption_scope(user=user).filter(location=location).order_by("-occurred_at")
    )
