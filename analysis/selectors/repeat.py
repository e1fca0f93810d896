"""Repeat locations: how far the records of a selection concentrate on a few
premises (the 80/20 rule of Clarke and Eck), with the Lorenz curve.

Every premises in the selection's place counts, those without a record
too: concentration is the share of records at the busiest 10 % and 20 % of
the premises there. Records count once per premises they are linked to
(a record at two premises counts at each).
"""

import math
from dataclasses import dataclass

import numpy as np
from django.db.models import Count, QuerySet

from intelligence.models import IntelligenceLocationLink
from locations.models import Location
from locations.selectors import location_list_within

from .selection import Selection

TOP_SHARES = (10, 20)
# Points of the Lorenz curve drawn; the curve is exact at each of them.
CURVE_POINTS = 101


@dataclass(frozen=True)
class RepeatResult:
    premises: int
    premises_with_records: int
    records_at_premises: int
    top_shares: dict  # {10: share of records at the top 10 % of premises, ...}
    gini: float
    curve: list[tuple[float, float]]  # (share of premises, share of records)
    ranked: list[tuple[int, int]]  # (location id, records), busiest first


def repeat_premises(
    *, locations: QuerySet[Location], selection: Selection
) -> QuerySet[Location]:
    """The premises in the selection's place (all of them for a premises
    selection is just that one)."""
    if selection.location is not None:
        return locations.filter(pk=selection.location.pk)
    if selection.point is not None:
        return location_list_within(
            point=selection.point, radius_m=selection.radius_m, qs=locations
        )
    if selection.area is not None:
        return locations.filter(area_ids__overlap=[selection.area.pk])
    return locations


def repeat_concentration(
    *, records: QuerySet, premises: QuerySet[Location]
) -> RepeatResult:
    rows = (
        IntelligenceLocationLink.objects.filter(
            record__in=records.order_by().values("pk"),
            location__in=premises.order_by().values("pk"),
        )
        .values("location_id")
        .annotate(n=Count("record_id", distinct=True))
        .order_by("-n", "location_id")
    )
    ranked = [(row["location_id"], row["n"]) for row in rows]
    total_premises = premises.order_by().count()
    return repeat_from_counts(
        counts=[n for _, n in ranked], premises=total_premises, ranked=ranked
    )


def repeat_from_counts(
    *, counts: list[int], premises: int, ranked: list | None = None
) -> RepeatResult:
    """The concentration of `counts` (records at the premises that have any)
    over `premises` premises in all."""
    values = np.sort(np.asarray(counts, dtype=np.float64))[::-1]
    premises = max(premises, len(values))
    full = np.zeros(premises)
    full[: len(values)] = values
    total = full.sum()
    shares = {}
    for pct in TOP_SHARES:
        k = math.ceil(premises * pct / 100)
        shares[pct] = float(full[:k].sum() / total) if total else 0.0
    cumulative = np.concatenate([[0.0], np.cumsum(full)]) / total if total else None
    curve = []
    if cumulative is not None:
        for q in np.linspace(0, 1, CURVE_POINTS):
            # Share of records at the busiest q of premises (interpolated
            # between whole premises).
            pos = q * premises
            lo = int(math.floor(pos))
            frac = pos - lo
            value = cumulative[lo] + (
                frac * (cumulative[lo + 1] - cumulative[lo]) if lo < premises else 0
            )
            curve.append((float(q), float(value)))
    # Gini from the concentration curve: 0 even, 1 all at one premises.
    gini = 0.0
    if total and premises > 1:
        ascending = full[::-1]
        index = np.arange(1, premises + 1)
        gini = float(
            (2 * (index * ascending).sum()) / (premises * total)
            - (premises + 1) / premises
        )
    return RepeatResult(
        premises=premises,
        premises_with_records=int((full > 0).sum()),
        records_at_premises=int(total),
        top_shares=shares,
        gini=gini,
        curve=curve,
        ranked=ranked or [],
    )
