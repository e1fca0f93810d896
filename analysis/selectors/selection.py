"""The records an analysis runs on: a period, a place (an area, a radius, a
premises) and the kinds and indicators asked for, on the heat map's
need-to-know scope.

Roles with record content weigh the records they may see; roles without it
(licensing, community safety) weigh every graded record with no content shown
and small counts suppressed where the result is shown
(intelligence.selectors.intelligence_count_scope). Records at restricted
locations are placed where the user may see them (`display_bng`), so a
near-repeat distance never pins down a children's home more closely than the
map does.
"""

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.contrib.gis.geos import Point
from django.db.models import QuerySet

from intelligence.grading import low_grade
from intelligence.models import IntelligenceLocationLink, IntelligenceRecord
from intelligence.selectors import intelligence_count_scope, record_filter
from locations.models import Area, Location


@dataclass(frozen=True)
class Selection:
    """What an analysis was run on; shown with the result and kept with it."""

    since: date
    until: date
    area: Area | None = None
    point: Point | None = None
    radius_m: int | None = None
    location: Location | None = None
    kinds: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    include_low_grade: bool = False
    # Words for where the point came from ("hot spot Hotel A"), if any.
    label: str = ""

    @property
    def days(self) -> int:
        return (self.until - self.since).days + 1

    def where_words(self) -> str:
        if self.location is not None:
            return f"records linked to {self.location.name}"
        if self.point is not None:
            where = (
                f"within {self.radius_m} m of {self.point.y:.5f}, {self.point.x:.5f}"
            )
            return f"{self.label}: {where}" if self.label else where
        if self.area is not None:
            return f"{self.area.get_area_type_display()} {self.area.name}"
        return "the whole area covered"

    def describe(self) -> str:
        kinds = ", ".join(self.kinds) if self.kinds else "all kinds"
        tags = f"; indicators {', '.join(self.tags)}" if self.tags else ""
        grades = (
            "all grades" if self.include_low_grade else "grade E and source 3 left out"
        )
        return (
            f"{self.where_words()}; {self.since:%d %b %Y} to {self.until:%d %b %Y} "
            f"({self.days} days); {kinds}{tags}; {grades}"
        )


def selection_records(
    *, user: AbstractBaseUser, selection: Selection
) -> QuerySet[IntelligenceRecord]:
    """The graded records of the selection this user's analyses weigh, each
    with `display_bng` (see the module's docstring)."""
    placed = (
        selection.area is not None
        or selection.point is not None
        or selection.location is not None
    )
    # A place narrows the rows by index first; a whole-city selection places
    # most records of its period, where one hashed lookup is cheaper.
    qs = intelligence_count_scope(
        user=user, restricted_lookup="per_row" if placed else "hashed"
    )
    qs = record_filter(
        qs=qs,
        since=selection.since,
        until=selection.until,
        tag=list(selection.tags) or None,
        point=selection.point,
        radius=selection.radius_m,
        area_ids=[selection.area.pk] if selection.area is not None else None,
    )
    if selection.kinds:
        qs = qs.filter(kind__in=selection.kinds)
    if selection.location is not None:
        linked = IntelligenceLocationLink.objects.filter(location=selection.location)
        qs = qs.filter(pk__in=linked.values("record_id"))
    if not selection.include_low_grade:
        qs = qs.exclude(low_grade())
    return qs
