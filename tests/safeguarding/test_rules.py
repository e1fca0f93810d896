"""The screening's outcome rule: each step, in order, with the words that
explain it; the override's one-level limit; the review date."""

from datetime import date

import pytest

from people.models import ScreeningOutcome
from safeguarding.rules import (
    Answer,
    outcome_compute,
    override_allowed,
    review_date_for,
)

pytestmark = pytest.mark.django_db

NONE, AT, SIG = (
    ScreeningOutcome.NO_CURRENT_RISK,
    ScreeningOutcome.AT_RISK,
    ScreeningOutcome.SIGNIFICANT_RISK,
)


def _answers(tool, present: dict[str, str], presence="present"):
    by_code = {i.code: i for i in tool.indicators.all()}
    return [Answer(by_code[code], presence, when) for code, when in present.items()]


def test_the_default_set_covers_every_domain(cast):
    domains = set(cast.tool.indicators.values_list("domain", flat=True))
    assert domains == {
        "missing",
        "education",
        "relationships",
        "places",
        "vehicles",
        "money",
        "online",
        "substances",
        "health",
        "emotional",
    }


def test_nothing_present_is_no_current_risk(cast):
    result = outcome_compute(indicator_set=cast.tool, answers=[])
    assert (result.outcome, result.step) == (NONE, 5)


def test_a_disclosure_gives_significant_risk(cast):
    result = outcome_compute(
        indicator_set=cast.tool, answers=_answers(cast.tool, {"disclosure": "now"})
    )
    assert (result.outcome, result.step) == (SIG, 1)
    assert "Disclosure of sexual exploitation" in result.explanation


def test_one_significant_indicator_gives_at_risk(cast):
    result = outcome_compute(
        indicator_set=cast.tool,
        answers=_answers(cast.tool, {"relationships_older_partner": "now"}),
    )
    assert (result.outcome, result.step) == (AT, 3)
    assert "older or controlling" in result.explanation


def test_a_significant_indicator_earlier_still_gives_at_risk(cast):
    result = outcome_compute(
        indicator_set=cast.tool,
        answers=_answers(cast.tool, {"places_hotels": "earlier"}),
    )
    assert result.outcome == AT


def test_three_significant_now_give_significant_risk(cast):
    answers = _answers(
        cast.tool,
        {
            "places_hotels": "now",
            "vehicles_unknown_adults": "now",
            "missing_repeat": "now",
        },
    )
    result = outcome_compute(indicator_set=cast.tool, answers=answers)
    assert (result.outcome, result.step) == (SIG, 2)


def test_the_threshold_is_the_versions(cast):
    cast.tool.significant_threshold = 2
    answers = _answers(
        cast.tool, {"places_hotels": "now", "vehicles_unknown_adults": "now"}
    )
    assert outcome_compute(indicator_set=cast.tool, answers=answers).outcome == SIG


def test_three_other_indicators_now_give_at_risk(cast):
    answers = _answers(
        cast.tool, {"money_gifts": "now", "substances": "now", "online_contact": "now"}
    )
    result = outcome_compute(indicator_set=cast.tool, answers=answers)
    assert (result.outcome, result.step) == (AT, 4)


def test_two_other_indicators_are_no_current_risk(cast):
    answers = _answers(cast.tool, {"money_gifts": "now", "substances": "now"})
    assert outcome_compute(indicator_set=cast.tool, answers=answers).outcome == NONE


def test_possible_indicators_do_not_count_as_present(cast):
    answers = _answers(cast.tool, {"disclosure": "now"}, presence="possible")
    assert outcome_compute(indicator_set=cast.tool, answers=answers).outcome == NONE


@pytest.mark.parametrize(
    ("computed", "final", "allowed"),
    [
        (NONE, AT, True),
        (AT, NONE, True),
        (AT, SIG, True),
        (NONE, SIG, False),
        (SIG, NONE, False),
        (SIG, SIG, True),
    ],
)
def test_an_override_moves_one_level(computed, final, allowed):
    assert override_allowed(computed=computed, final=final) is allowed


def test_the_review_date_follows_the_outcome(cast):
    day = date(2026, 1, 1)
    assert review_date_for(
        indicator_set=cast.tool, outcome=SIG, screened_on=day
    ) == date(2026, 1, 29)
    assert review_date_for(
        indicator_set=cast.tool, outcome=NONE, screened_on=day
    ) == date(2026, 7, 2)
