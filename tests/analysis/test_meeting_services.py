"""Meetings carry open taskings forward; an action answers and closes one."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from disruption.forms import tasking_target_parse
from disruption.selectors import tasking_is_overdue, tasking_list_open
from disruption.services import (
    meeting_open,
    tasking_answer,
    tasking_create,
    tasking_create_for_cell,
)
from tests import factories

pytestmark = pytest.mark.django_db


def _tasking(meeting, location, **kw):
    return tasking_create(
        meeting=meeting,
        target_location=location,
        reason="Repeat reports of young people taken to rooms",
        priority="high",
        owner_agency="community_safety",
        due_date=kw.pop("due_date", date(2026, 3, 1)),
        **kw,
    )


def test_open_taskings_are_carried_and_closing_closes_the_chain(
    location, tasking_officer
):
    first, carried = meeting_open(group="cse_mog", held_on=date(2026, 2, 1))
    assert carried == []
    open_one = _tasking(first, location)
    done_one = _tasking(first, location)
    tasking_answer(
        tasking=done_one,
        completes=True,
        action_type="awareness_visit",
        outcome="staff_trained",
        occurred_at=timezone.now(),
        agency="community_safety",
    )
    second, carried = meeting_open(
        group="cse_mog", held_on=date(2026, 2, 15), chair=tasking_officer
    )
    assert [t.carried_from_id for t in carried] == [open_one.pk]
    copy = carried[0]
    assert list(tasking_list_open()) == [copy]  # the original stands behind it
    # Another group's meeting does not take this group's taskings.
    _other, none = meeting_open(group="daily_tasking", held_on=date(2026, 2, 16))
    assert none == []

    action = tasking_answer(
        tasking=copy,
        completes=True,
        action_type="awareness_visit",
        outcome="staff_trained",
        occurred_at=timezone.now(),
        agency="community_safety",
        staff_trained=6,
    )
    assert action.location == location and action.tasking == copy
    copy.refresh_from_db()
    open_one.refresh_from_db()
    assert copy.status == open_one.status == "done"
    assert open_one.closed_at is not None
    with pytest.raises(ValidationError):
        tasking_answer(
            tasking=copy,
            action_type="patrol",
            outcome="other",
            occurred_at=timezone.now(),
        )


def test_an_action_without_completing_moves_it_in_progress(location):
    meeting, _ = meeting_open(group="cse_mog", held_on=date(2026, 2, 1))
    t = _tasking(meeting, location)
    tasking_answer(
        tasking=t,
        action_type="patrol",
        outcome="advice_given",
        occurred_at=timezone.now(),
        agency="police",
    )
    t.refresh_from_db()
    assert t.status == "in_progress"


def test_overdue(location):
    meeting, _ = meeting_open(group="cse_mog", held_on=date(2026, 2, 1))
    t = _tasking(meeting, location, due_date=date(2026, 2, 10))
    assert tasking_is_overdue(tasking=t, today=date(2026, 2, 11))
    assert not tasking_is_overdue(tasking=t, today=date(2026, 2, 10))


def test_task_a_cell(area):
    meeting, _ = meeting_open(group="cse_mog", held_on=date(2026, 2, 1))
    t = tasking_create_for_cell(
        meeting=meeting,
        x0=433250,
        y0=279250,
        cell_m=250,
        reason="Persistent hot spot",
        priority="medium",
        owner_agency="police",
        due_date=date(2026, 2, 1) + timedelta(days=14),
    )
    assert "250 m grid cell at E 433250 N 279250" in t.target_description
    # The centre, in WGS84, is in Coventry.
    assert -1.55 < t.target_point.x < -1.45 and 52.38 < t.target_point.y < 52.44


def test_a_tasking_target_is_parsed_at_the_edge(analyst, area):
    home = factories.make_location(category="childrens_home")
    hotel = factories.make_location()
    assert tasking_target_parse(user=analyst, query={"location": str(hotel.pk)}) == {
        "location": hotel
    }
    assert tasking_target_parse(user=analyst, query={"cell": "431000,281000,250"}) == {
        "cell": (431000.0, 281000.0, 250)
    }
    for query, message in [
        # A place the analyst sees only on the grid cannot be chosen.
        ({"location": str(home.pk)}, "No such location."),
        ({"location": "x"}, "No such location."),
        ({"cell": "1,2"}, "A cell is given as x0,y0,size in metres."),
        ({"cell": "800000,1,250"}, "That cell is not on the British National Grid."),
        ({}, "Choose a location or a cell to task."),
    ]:
        with pytest.raises(ValidationError) as exc:
            tasking_target_parse(user=analyst, query=query)
        assert exc.value.messages == [message]
