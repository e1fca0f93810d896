"""common.placement: a queryset says whether it snaps restricted rows, and
keeps saying so however it is chained, whatever its annotations look like."""

import pytest
from django.contrib.gis.geos import Point
from django.db.models import F
from django.db.models.functions import Coalesce

from common.placement import (
    placement_filter,
    placement_hide,
    placement_is_placed,
    placement_is_snapped,
)
from disruption.selectors import disruption_scope
from intelligence.selectors import record_list
from locations.models import Location
from locations.selectors import LOCATION_RESTRICTED, location_scope
from tests import factories

pytestmark = pytest.mark.django_db

# A children's home 180 m from the centre of its 500 m grid square
# (BNG 431250, 281250), so a 100 m radius around it finds it only at its
# exact position.
HOME = Point(431070, 281250, srid=27700)


def test_scopes_say_whether_they_snap(analyst, admin_user):
    assert placement_is_snapped(location_scope(user=analyst))
    assert not placement_is_snapped(location_scope(user=admin_user))
    assert placement_is_placed(location_scope(user=admin_user))
    assert not placement_is_placed(Location.objects.all())
    assert placement_is_snapped(record_list(user=analyst))
    assert placement_is_snapped(disruption_scope(user=admin_user)) is False


def test_the_mark_survives_chaining_and_rewritten_annotations(analyst, area):
    home = factories.make_location(category="childrens_home", point=HOME)
    qs = (
        location_scope(user=analyst)
        .filter(name__isnull=False)
        .annotate(display_bng=Coalesce(F("display_bng"), F("point_bng")))
        .order_by("id")
    )
    assert placement_is_snapped(qs)
    # Still matched only at its snapped position: 100 m around the exact
    # point misses it, 100 m around the square's centre finds it.
    exact = Point(HOME.x, HOME.y, srid=27700)
    centre = Point(431250, 281250, srid=27700)
    assert not placement_filter(qs=qs, point=exact, radius_m=100).exists()
    assert list(placement_filter(qs=qs, point=centre, radius_m=100)) == [home]


def test_hiding_leaves_restricted_rows_out_for_uncleared_roles_only(
    analyst, admin_user, area
):
    home = factories.make_location(category="childrens_home", point=HOME)
    hotel = factories.make_location(point=Point(431500, 281500, srid=27700))
    qs = Location.objects.filter(pk__in=[home.pk, hotel.pk])
    shown = placement_hide(qs=qs, user=analyst, restricted=LOCATION_RESTRICTED)
    assert list(shown) == [hotel]
    assert set(
        placement_hide(qs=qs, user=admin_user, restricted=LOCATION_RESTRICTED)
    ) == {
        home,
        hotel,
    }


def test_a_placed_queryset_works_as_a_subquery(analyst, area):
    """pk__in=<placed queryset>: Django renames the inner table (U0), so the
    snapped position must name its column through the query, not the table
    (which would fail, or read the outer query's row)."""
    home = factories.make_location(category="childrens_home", point=HOME)
    hotel = factories.make_location(point=Point(431600, 281600, srid=27700))
    centre = Point(431250, 281250, srid=27700)
    near_centre = placement_filter(
        qs=location_scope(user=analyst), point=centre, radius_m=100
    )
    inner = near_centre.values("pk")
    assert list(Location.objects.filter(pk__in=inner)) == [home]
    # The same table outside and in: the outer row must not leak in.
    outer = location_scope(user=analyst).filter(pk__in=inner)
    assert [loc.pk for loc in outer] == [home.pk]
    exact = Point(HOME.x, HOME.y, srid=27700)
    missed = placement_filter(
        qs=location_scope(user=analyst), point=exact, radius_m=100
    ).values("pk")
    assert not Location.objects.filter(pk__in=missed).exists()
    # A polygon round the square's centre, and records by their premises.
    square = centre.buffer(50)
    square.srid = 27700
    square.transform(4326)
    inside = placement_filter(qs=location_scope(user=analyst), polygon=square)
    assert list(Location.objects.filter(pk__in=inside.values("pk"))) == [home]
    record = factories.make_record()
    record.location_links.create(location=home, link_type="occurred_at")
    other = factories.make_record()
    other.location_links.create(location=hotel, link_type="occurred_at")
    from intelligence.models import IntelligenceRecord

    linked = IntelligenceRecord.objects.filter(
        location_links__location__in=near_centre.values("pk")
    )
    assert list(linked) == [record]
    # And the snapped display position itself, read through a subquery.
    shown = location_scope(user=analyst).filter(pk=home.pk).values("display_bng")
    assert Location.objects.filter(point_bng__equals=shown).count() == 0
    assert location_scope(user=analyst).filter(
        pk__in=Location.objects.filter(pk=home.pk).values("pk")
    ).get().display_bng.coords == (431250.0, 281250.0)
