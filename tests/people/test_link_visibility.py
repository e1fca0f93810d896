"""A link is never more visible than the strictest record it rests on, and
goes when its last record is disposed of."""

import pytest
from django.contrib.auth.models import Group

from accounts.roles import ANALYST
from intelligence.services import record_review_dispose
from people.models import Link, LinkRecord
from people.selectors import link_scope
from people.services import link_create
from tests import factories

pytestmark = pytest.mark.django_db


def _analyst_without_c():
    user = factories.make_user(ANALYST, "analyst-no-c")
    group = Group.objects.create(name="Analyst without C")
    group.permissions.set(
        Group.objects.get(name=ANALYST).permissions.exclude(codename="view_handling_c")
    )
    user.groups.set([group])
    return type(user).objects.get(pk=user.pk)


def test_a_link_on_a_c_record_is_hidden_from_a_role_not_cleared_for_c(
    scene, analyst, client_for
):
    uncleared = _analyst_without_c()
    assert not uncleared.has_perm("intelligence.view_handling_c")
    assert scene.frequents_c in link_scope(user=analyst)
    assert scene.frequents_c not in link_scope(user=uncleared)
    body = (
        client_for(uncleared)
        .get("/api/v1/links/graph/", {"centre": f"location:{scene.hotel_a.pk}"})
        .json()
    )
    text = str(body)
    assert scene.poi_c.reference not in text
    assert f"record:{scene.r_c.pk}" not in text
    # Resting on a P and a C record: as strict as the C one.
    both = link_create(
        link_type="seen_at",
        subject=scene.poi,
        other=scene.hotel_b,
        records=[scene.r2, scene.r_c],
    )
    assert both in link_scope(user=analyst)
    assert both not in link_scope(user=uncleared)


def test_an_ungraded_record_hides_its_links(scene, analyst, awaiting_record):
    link = link_create(
        link_type="seen_at",
        subject=scene.poi,
        other=scene.hotel_b,
        records=[awaiting_record],
    )
    assert link not in link_scope(user=analyst)


def test_a_link_goes_with_the_last_of_its_records(scene, analyst):
    both = link_create(
        link_type="seen_at",
        subject=scene.poi,
        other=scene.hotel_b,
        records=[scene.r1, scene.r2],
    )
    record_review_dispose(record=scene.r2, user=analyst, reason="Past retention")
    # drives rested on r2 alone; the mention of the car by r2 too.
    assert not Link.objects.filter(pk=scene.drives.pk).exists()
    assert not Link.objects.filter(record_id=scene.r2.pk).exists()
    # seen_at keeps r1.
    both.refresh_from_db()
    assert list(
        LinkRecord.objects.filter(link=both).values_list("record_id", flat=True)
    ) == [scene.r1.pk]
    record_review_dispose(record=scene.r1, user=analyst, reason="Past retention")
    assert not Link.objects.filter(pk=both.pk).exists()
    assert not Link.objects.filter(pk=scene.frequents.pk).exists()
    assert not Link.objects.filter(pk=scene.seen_in.pk).exists()
    # The C record's link stands.
    assert Link.objects.filter(pk=scene.frequents_c.pk).exists()
