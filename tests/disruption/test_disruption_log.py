from datetime import datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from disruption.models import DisruptionAction
from disruption.services import (
    disruption_log,
    meeting_create,
    tasking_close,
    tasking_create,
)
from tests import factories

pytestmark = pytest.mark.django_db

SERVED = timezone.make_aware(datetime(2026, 3, 31, 14, 0))


def _s116(location, user, expires, rank="inspector"):
    return disruption_log(
        action_type="s116_notice",
        outcome="notice_served",
        occurred_at=SERVED,
        officer=user,
        location=location,
        served_at=SERVED,
        expires_at=expires,
        authorised_by="Insp. Test",
        authorising_rank=rank,
    )


def test_action_at_a_location_takes_its_point_and_areas(location, safety_officer, area):
    action = disruption_log(
        action_type="awareness_visit",
        outcome="staff_trained",
        occurred_at=SERVED,
        officer=safety_officer,
        location=location,
        staff_trained=6,
        sector="hotel",
        checklist=["cash_payment", "no_luggage_or_id"],
        joined_watch_scheme=True,
    )
    action.refresh_from_db()
    assert action.agency == "community_safety"
    assert action.point == location.point
    assert action.area_ids == [area.id]


def test_s116_notice_of_six_months_is_accepted(location, tasking_officer):
    # 31 March + six months is 30 September (calendar months, not 183 days).
    action = _s116(location, tasking_officer, SERVED.replace(month=9, day=30))
    assert action.pk


def test_s116_notice_longer_than_six_months_is_refused_with_the_reason(
    location, tasking_officer
):
    with pytest.raises(ValidationError) as err:
        _s116(location, tasking_officer, SERVED.replace(month=10, day=1))
    assert "at most six months" in err.value.message_dict["expires_at"][0]
    assert "30 September 2026" in err.value.message_dict["expires_at"][0]
    assert not DisruptionAction.objects.exists()


def test_s116_notice_below_inspector_is_refused(location, tasking_officer):
    with pytest.raises(ValidationError) as err:
        _s116(location, tasking_officer, SERVED + timedelta(days=90), rank="sergeant")
    assert "inspector or above" in err.value.message_dict["authorising_rank"][0]


def test_database_backstops_the_six_month_rule(location):
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.make_action(
            action_type="s116_notice",
            outcome="notice_served",
            location=location,
            served_at=SERVED,
            expires_at=SERVED + timedelta(days=200),
        )


def test_an_action_needs_a_place():
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.make_action(point=None)


def test_tasking_follows_to_done(location, tasking_officer, safety_officer):
    meeting = meeting_create(
        group="cse_mog", held_on=SERVED.date(), chair=tasking_officer
    )
    tasking = tasking_create(
        meeting=meeting,
        target_location=location,
        reason="Rising reports",
        priority="high",
        owner_agency="community_safety",
        owner_officer=safety_officer,
        due_date=SERVED.date() + timedelta(days=14),
    )
    assert tasking.status == "open"
    disruption_log(
        action_type="awareness_visit",
        outcome="staff_trained",
        occurred_at=SERVED,
        officer=safety_officer,
        location=location,
        tasking=tasking,
    )
    tasking.refresh_from_db()
    assert tasking.status == "in_progress"
    tasking_close(tasking=tasking)
    assert tasking.status == "done" and tasking.closed_at is not None
    assert list(tasking.actions.values_list("action_type", flat=True)) == [
        "awareness_visit"
    ]


def test_tasking_needs_a_target(tasking_officer):
    meeting = meeting_create(group="cse_mog", held_on=SERVED.date())
    with pytest.raises(ValidationError):
        tasking_create(
            meeting=meeting,
            reason="x",
            priority="high",
            owner_agency="police",
            due_date=SERVED.date(),
        )
