"""Missing episodes of young people: the 72-hour return-interview clock,
the MASP queue and its review, referral to CMOG at its next sitting, and
the repeat-missing count."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from people.models import Subject
from people.services import link_create, link_mention
from safeguarding.models import PanelCase
from safeguarding.selectors import (
    episode_get,
    masp_queue,
    repeat_missing_count,
    subject_episodes,
    subject_placement,
)
from safeguarding.services import (
    masp_review_record,
    panel_meeting_open,
    return_interview_record,
)
from tests import factories

pytestmark = pytest.mark.django_db


def _episode(child, *, returned_hours_ago=None, hours_missing=10, **kwargs):
    now = timezone.now()
    back = now - timedelta(hours=returned_hours_ago) if returned_hours_ago else None
    record = factories.make_record(
        kind="missing",
        missing_point="last_seen",
        occurred_from=(back or now) - timedelta(hours=hours_missing),
        occurred_to=back,
        **kwargs,
    )
    link_mention(record=record, entity=child)
    return record


def test_an_episode_of_a_young_person_is_in_the_queue_with_its_clock(cast):
    record = _episode(cast.young, returned_hours_ago=20)
    (e,) = masp_queue(user=cast.practitioner)
    assert (e.record, e.subject) == (record, cast.young)
    assert e.interview_due == record.occurred_to + timedelta(hours=72)
    assert e.interview_state() == "open" and e.hours_left() in (51, 52)


@pytest.mark.parametrize(
    ("hours_ago", "state"), [(10, "open"), (50, "due"), (73, "overdue")]
)
def test_the_clock_warns_in_its_last_day_and_is_overdue_after(cast, hours_ago, state):
    _episode(cast.young, returned_hours_ago=hours_ago)
    (e,) = masp_queue(user=cast.practitioner)
    assert e.interview_state() == state


def test_the_clock_starts_on_return(cast):
    _episode(cast.young)
    (e,) = masp_queue(user=cast.practitioner)
    assert e.interview_state() == "not_returned" and e.interview_due is None


def test_an_interview_stops_the_clock(cast):
    record = _episode(cast.young, returned_hours_ago=80)
    return_interview_record(
        record=record,
        subject=cast.young,
        held_at=timezone.now() - timedelta(hours=1),
        user=cast.practitioner,
    )
    (e,) = masp_queue(user=cast.practitioner)
    assert e.interview_state() == "done"


def test_an_episode_of_an_adult_or_another_kind_of_record_is_not_in_it(cast):
    _episode(cast.poi, returned_hours_ago=5)
    link_mention(record=factories.make_record(), entity=cast.young)
    assert masp_queue(user=cast.practitioner) == []


def test_only_practitioners_and_administrators_see_the_queue(cast):
    _episode(cast.young, returned_hours_ago=5)
    assert len(masp_queue(user=cast.admin)) == 1
    assert masp_queue(user=cast.analyst) == []
    assert masp_queue(user=cast.police) == []


def test_a_referral_to_cmog_leaves_the_queue_and_opens_a_case_at_the_next_sitting(
    cast,
):
    record = _episode(cast.young, returned_hours_ago=30)
    sitting = panel_meeting_open(
        panel="cse_mog", held_on=date.today() + timedelta(days=5)
    )
    review = masp_review_record(
        record=record,
        subject=cast.young,
        decision="refer_cmog",
        notes="Third episode",
        user=cast.practitioner,
    )
    assert masp_queue(user=cast.practitioner) == []
    case = PanelCase.objects.get(subject=cast.young)
    assert (case.panel, case.referred_by, case.next_review) == (
        "cse_mog",
        review,
        sitting.held_on,
    )
    assert Subject.objects.get(pk=cast.young.pk).forum == "cmog"
    e = episode_get(
        user=cast.practitioner, record_id=record.pk, subject_id=cast.young.pk
    )
    assert e.review.decided_by == cast.practitioner
    with pytest.raises(ValidationError):
        masp_review_record(
            record=record,
            subject=cast.young,
            decision="nfa",
            notes="",
            user=cast.practitioner,
        )


def test_three_episodes_in_ninety_days_are_repeat_missing(cast):
    for days in (5, 40, 80, 200):
        _episode(cast.young, returned_hours_ago=24 * days)
    episodes = subject_episodes(subject=cast.young)
    assert len(episodes) == 4
    assert repeat_missing_count(episodes=episodes) == 3


def test_the_childs_placement_is_read_from_where_they_live(cast):
    home = factories.make_location(name="Elm House", category="childrens_home")
    assert subject_placement(subject=cast.young) is None
    link_create(
        link_type="resides",
        subject=cast.young,
        other=home,
        records=[factories.make_record()],
    )
    assert subject_placement(subject=cast.young) == home
