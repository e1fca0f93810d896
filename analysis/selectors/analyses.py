"""Each analysis run on a user's selection: the scope (selection_records),
then the statistic. The pages and the API call these, never the parts."""

from django.contrib.auth.models import AbstractBaseUser

from intelligence.grading import low_grade
from intelligence.selectors import intelligence_count_scope
from locations.selectors import location_list_shown

from .change import (
    AreaChange,
    ChangePeriods,
    period_change_by_area,
    period_change_by_area_rollups,
    period_change_rollups_answer,
)
from .knox import KnoxResult, KnoxSettings, KnoxTooLarge, knox_for_records
from .repeat import RepeatResult, repeat_concentration, repeat_premises
from .selection import Selection, selection_records
from .when import WhenGrid, when_grid


class AnalysisRefused(ValueError):
    """The selection is too large for the analysis; the message says why."""


def knox_run(
    *, user: AbstractBaseUser, selection: Selection, settings: KnoxSettings
) -> KnoxResult:
    records = selection_records(user=user, selection=selection)
    try:
        return knox_for_records(qs=records, settings=settings)
    except KnoxTooLarge as exc:
        raise AnalysisRefused(str(exc)) from None


def when_run(*, user: AbstractBaseUser, selection: Selection) -> WhenGrid:
    return when_grid(qs=selection_records(user=user, selection=selection))


def repeat_run(
    *,
    user: AbstractBaseUser,
    selection: Selection,
    categories: tuple[str, ...] = (),
) -> RepeatResult:
    # Protected places are left out for roles not cleared for their position:
    # a premises list or a share at "the busiest premises" would single one
    # out where the map only shows it on the grid.
    premises = repeat_premises(
        locations=location_list_shown(user=user), selection=selection
    )
    if categories:
        premises = premises.filter(category__in=categories)
    # The premises' own records: a place selection picks the premises, and
    # their linked records count wherever they were placed.
    unplaced = Selection(
        since=selection.since,
        until=selection.until,
        kinds=selection.kinds,
        tags=selection.tags,
        include_low_grade=selection.include_low_grade,
    )
    records = selection_records(user=user, selection=unplaced)
    return repeat_concentration(records=records, premises=premises)


def change_run(
    *,
    user: AbstractBaseUser,
    area_type: str,
    periods: ChangePeriods,
    kinds: tuple[str, ...] = (),
    tags: tuple[str, ...] = (),
    include_low_grade: bool = False,
) -> list[AreaChange]:
    if period_change_rollups_answer(tags=tags):
        return period_change_by_area_rollups(
            user=user,
            area_type=area_type,
            periods=periods,
            kinds=kinds,
            include_low_grade=include_low_grade,
        )
    records = intelligence_count_scope(user=user, restricted_lookup="hashed")
    if kinds:
        records = records.filter(kind__in=kinds)
    if tags:
        records = records.filter(tags__overlap=list(tags))
    if not include_low_grade:
        records = records.exclude(low_grade())
    return period_change_by_area(qs=records, area_type=area_type, periods=periods)
