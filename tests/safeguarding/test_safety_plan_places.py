"""Police roles see live plans' trigger places on the map as "Safety-plan
place", without the child; roles that answer no alert get 404."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from safeguarding.services import safety_plan_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(cast):
    return safety_plan_create(
        subject=cast.young,
        police_contact=cast.police,
        lead_professional=cast.practitioner,
        starts_on=date.today() - timedelta(days=1),
        ends_on=date.today() + timedelta(days=10),
        user=cast.practitioner,
        locations=[cast.hotel],
    )


def _logged_in(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def test_the_police_contact_sees_the_place_and_not_the_child(cast, plan):
    response = _logged_in(cast.police).get(reverse("api-safety-plan-places"))
    assert response.status_code == 200
    (feature,) = response.json()["features"]
    assert feature["properties"] == {
        "id": cast.hotel.pk,
        "name": "Canal Side Hotel",
        "label": "Safety-plan place",
    }
    assert cast.young.reference not in response.content.decode()


def test_an_ended_plan_shows_nothing(cast, plan):
    plan.ends_on = date.today() - timedelta(days=1)
    plan.starts_on = date.today() - timedelta(days=5)
    plan.save()
    response = _logged_in(cast.police).get(reverse("api-safety-plan-places"))
    assert response.json()["features"] == []


def test_an_analyst_gets_404(cast, plan):
    response = _logged_in(cast.analyst).get(reverse("api-safety-plan-places"))
    assert response.status_code == 404


def test_the_map_offers_the_layer_to_police_only(cast, plan):
    police_map = _logged_in(cast.police).get(reverse("map")).content.decode()
    analyst_map = _logged_in(cast.analyst).get(reverse("map")).content.decode()
    assert 'data-layer="safetyplan"' in police_map
    assert 'data-layer="safetyplan"' not in analyst_map
