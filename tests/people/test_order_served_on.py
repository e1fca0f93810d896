"""Logging a child abduction warning notice or sexual risk order asks whom
it was served on, for roles that see subjects, and records it on that
person in the same transaction; the clock shows on the subject's page and
stays at the location. Roles that do not see subjects get no such field."""

from datetime import timedelta

import pytest
from django.utils import timezone

from disruption.models import DisruptionAction
from people.models import Subject, SubjectOrder
from tests import factories

pytestmark = pytest.mark.django_db


def _signed_in(client, user):
    client.force_login(user)
    factories.justify(client)
    return client


def _cawn(**over) -> dict:
    now = timezone.localtime()
    fmt = "%Y-%m-%dT%H:%M"
    return {
        "action_type": "cawn",
        "occurred_at": (now - timedelta(hours=3)).strftime(fmt),
        "outcome": "notice_served",
        "served_at": (now - timedelta(hours=3)).strftime(fmt),
        "expires_at": (now + timedelta(days=300)).strftime(fmt),
        **over,
    }


def test_an_order_is_served_on_the_person_named(client, admin_user, scene):
    _signed_in(client, admin_user)
    page = client.get(f"/locations/{scene.hotel_a.pk}/").content.decode()
    assert 'name="served_on"' in page
    answer = client.post(
        f"/locations/{scene.hotel_a.pk}/log/", _cawn(served_on=scene.poi.reference)
    )
    assert answer.status_code == 302
    action = DisruptionAction.objects.get(action_type="cawn")
    assert SubjectOrder.objects.get(action=action).subject == scene.poi
    assert action.location == scene.hotel_a  # the clock stays at the place
    subject_page = client.get(f"/people/subjects/{scene.poi.pk}/").content.decode()
    assert 'id="subject-orders"' in subject_page
    assert "Child abduction warning notice served" in subject_page
    assert "Grand Hotel" in subject_page


@pytest.mark.parametrize(
    ("served_on", "said"),
    [
        ("", "Say whom it was served on"),
        ("S-1999-000001", "No subject you may see has the reference"),
        ("young", "is not a person of interest"),
    ],
)
def test_an_order_without_its_person_is_refused_and_nothing_saved(
    client, admin_user, scene, served_on, said
):
    if served_on == "young":
        served_on = scene.young.reference
    answer = _signed_in(client, admin_user).post(
        f"/locations/{scene.hotel_a.pk}/log/", _cawn(served_on=served_on)
    )
    assert answer.status_code == 400
    assert said in answer.content.decode()
    assert not DisruptionAction.objects.filter(action_type="cawn").exists()
    assert not SubjectOrder.objects.exists()


def test_a_visit_is_not_served_on_anyone(client, admin_user, scene):
    answer = _signed_in(client, admin_user).post(
        f"/locations/{scene.hotel_a.pk}/log/",
        {
            "action_type": "patrol",
            "occurred_at": _cawn()["occurred_at"],
            "outcome": "advice_given",
            "served_on": scene.poi.reference,
        },
    )
    assert answer.status_code == 400
    assert "leave this empty" in answer.content.decode()


def test_a_role_that_does_not_see_subjects_gets_no_field(client, safety_officer, scene):
    _signed_in(client, safety_officer)
    page = client.get(f"/locations/{scene.hotel_a.pk}/").content.decode()
    assert 'id="log-form"' in page and 'name="served_on"' not in page
    before = set(Subject.objects.values_list("pk", flat=True))
    # Even sent, the field is not read: no subject is named or revealed.
    answer = client.post(
        f"/locations/{scene.hotel_a.pk}/log/",
        _cawn(served_on=scene.poi.reference),
    )
    assert answer.status_code == 302
    order = SubjectOrder.objects.select_related("subject", "action").get()
    # The order still has its person: a profile of its own, for an analyst.
    assert order.subject.pk not in before
    assert order.subject.kind == "person_of_interest"
    assert order.action.location == scene.hotel_a
