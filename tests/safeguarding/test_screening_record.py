"""Recording a screening: the rule's outcome and the final one are both
kept, an override needs a reason and moves one level (in the service and
in the database), the profile carries the latest outcome, named places
become protective concerns and links."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from people.models import Link, Subject
from safeguarding.models import Screening
from safeguarding.selectors import screening_places
from safeguarding.services import AnswerInput, screening_record
from tests import factories

pytestmark = pytest.mark.django_db


def _answers(tool, present=()):
    return [
        AnswerInput(
            indicator=i,
            presence="present" if i.code in present else "absent",
            when="now",
        )
        for i in tool.indicators.all()
    ]


def test_the_outcome_follows_the_rule_and_the_profile_carries_it(cast):
    s = screening_record(
        subject=cast.young,
        indicator_set=cast.tool,
        user=cast.practitioner,
        answers=_answers(cast.tool, ["places_hotels"]),
    )
    assert (s.computed_outcome, s.outcome, s.override_reason) == (
        "at_risk",
        "at_risk",
        "",
    )
    assert s.rule_applied.startswith("3. Any one significant indicator")
    assert (
        s.indicator_set == cast.tool
        and s.answers.count() == cast.tool.indicators.count()
    )
    assert s.agency == "social_care"
    assert Subject.objects.get(pk=cast.young.pk).screening_outcome == "at_risk"


def test_an_override_keeps_both_outcomes_and_its_reason(cast):
    s = screening_record(
        subject=cast.young,
        indicator_set=cast.tool,
        user=cast.practitioner,
        answers=_answers(cast.tool, ["places_hotels"]),
        outcome="significant_risk",
        override_reason="Seen at the hotel twice this week",
    )
    assert (s.computed_outcome, s.outcome) == ("at_risk", "significant_risk")
    assert s.overridden
    # The review date follows the final outcome: 28 days for significant.
    assert (s.review_date - s.screened_at.date()).days == 28


def test_an_override_without_a_reason_is_refused(cast):
    with pytest.raises(ValidationError) as err:
        screening_record(
            subject=cast.young,
            indicator_set=cast.tool,
            user=cast.practitioner,
            answers=_answers(cast.tool),
            outcome="at_risk",
        )
    assert "override_reason" in err.value.message_dict
    assert not Screening.objects.exists()


def test_an_override_of_two_levels_is_refused(cast):
    with pytest.raises(ValidationError) as err:
        screening_record(
            subject=cast.young,
            indicator_set=cast.tool,
            user=cast.practitioner,
            answers=_answers(cast.tool),
            outcome="significant_risk",
            override_reason="Worried",
        )
    assert "one level" in str(err.value)


def test_the_database_refuses_a_two_level_override(cast):
    with pytest.raises(IntegrityError), transaction.atomic():
        Screening.objects.create(
            subject=cast.young,
            indicator_set=cast.tool,
            screened_by=cast.practitioner,
            computed_outcome="no_current_risk",
            rule_applied="5.",
            outcome="significant_risk",
            override_reason="Worried",
            review_date="2027-01-01",
        )


def test_only_a_young_person_is_screened(cast):
    with pytest.raises(ValidationError):
        screening_record(
            subject=cast.poi,
            indicator_set=cast.tool,
            user=cast.practitioner,
            answers=_answers(cast.tool),
        )


def test_named_places_are_concerns_and_links_when_a_record_is_cited(cast):
    record = factories.make_record()
    screening_record(
        subject=cast.young,
        indicator_set=cast.tool,
        user=cast.practitioner,
        answers=_answers(cast.tool, ["places_hotels"]),
        locations=[cast.hotel],
        records=[record],
    )
    assert list(screening_places()) == [cast.hotel]
    link = Link.objects.get(subject=cast.young, location=cast.hotel)
    assert link.link_type == "seen_at"
    assert list(link.records.all()) == [record]
