"""The screening's outcome rule, stated once and explained with every result.

The default rule (DESIGN.md, issue 16): a disclosure gives significant risk;
any one significant indicator gives at least "at risk". The thresholds come
from the indicator set, so each screening is explained by its own version's
rule. Steps are tried in order; the first that holds gives the outcome.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from people.models import ScreeningOutcome

from .models import OUTCOME_LEVELS, Indicator, IndicatorSet, Presence, When


@dataclass(frozen=True)
class Answer:
    indicator: Indicator
    presence: str
    when: str = When.NOW


@dataclass(frozen=True)
class RuleResult:
    outcome: str
    step: int
    explanation: str


def rule_steps(*, indicator_set: IndicatorSet) -> list[str]:
    """The rule in words, step by step, as shown beside every outcome."""
    return [
        "1. A disclosure present now gives significant risk.",
        f"2. {indicator_set.significant_threshold} or more significant indicators "
        "present now give significant risk.",
        "3. Any one significant indicator present (now or earlier) gives at "
        "least at risk.",
        f"4. {indicator_set.any_threshold} or more indicators of any kind present "
        "now give at risk.",
        "5. Otherwise: no current risk.",
    ]


def _names(answers: list[Answer]) -> str:
    return "; ".join(a.indicator.text for a in answers)


def outcome_compute(
    *, indicator_set: IndicatorSet, answers: Iterable[Answer]
) -> RuleResult:
    answers = list(answers)
    present = [a for a in answers if a.presence == Presence.PRESENT]
    now = [a for a in present if a.when == When.NOW]
    disclosures = [a for a in now if a.indicator.disclosure]
    significant_now = [a for a in now if a.indicator.significant]
    significant = [a for a in present if a.indicator.significant]
    steps = rule_steps(indicator_set=indicator_set)
    if disclosures:
        return RuleResult(
            ScreeningOutcome.SIGNIFICANT_RISK,
            1,
            f"{steps[0]} Present now: {_names(disclosures)}.",
        )
    if len(significant_now) >= indicator_set.significant_threshold:
        return RuleResult(
            ScreeningOutcome.SIGNIFICANT_RISK,
            2,
            f"{steps[1]} Present now: {_names(significant_now)}.",
        )
    if significant:
        return RuleResult(
            ScreeningOutcome.AT_RISK,
            3,
            f"{steps[2]} Present: {_names(significant)}.",
        )
    if len(now) >= indicator_set.any_threshold:
        return RuleResult(
            ScreeningOutcome.AT_RISK, 4, f"{steps[3]} Present now: {_names(now)}."
        )
    return RuleResult(ScreeningOutcome.NO_CURRENT_RISK, 5, steps[4])


def override_allowed(*, computed: str, final: str) -> bool:
    """A professional may move the outcome one level either way."""
    return abs(OUTCOME_LEVELS.index(final) - OUTCOME_LEVELS.index(computed)) <= 1


def review_date_for(
    *, indicator_set: IndicatorSet, outcome: str, screened_on: date
) -> date:
    days = {
        ScreeningOutcome.SIGNIFICANT_RISK: indicator_set.review_days_significant,
        ScreeningOutcome.AT_RISK: indicator_set.review_days_at_risk,
        ScreeningOutcome.NO_CURRENT_RISK: indicator_set.review_days_none,
    }[outcome]
    return screened_on + timedelta(days=days)
