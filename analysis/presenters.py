"""The four analysts' analyses as a page and the API show them, on the heat
map's need-to-know scope: roles without record content get counts only,
each count under SMALL_COUNT shown as "<3" and whatever would give it away
(a ratio, a change) left out; the premises list is for cleared roles only.
"""

import math
from urllib.parse import urlencode

from django.contrib.auth.models import AbstractBaseUser
from django.urls import reverse

from intelligence.selectors import (
    SMALL_COUNT,
    count_display,
    count_is_small,
    record_has_content_access,
)
from locations.models import Location
from locations.selectors import location_scope

from .selectors.change import AreaChange, ChangePeriods
from .selectors.knox import KnoxResult
from .selectors.repeat import RepeatResult
from .selectors.selection import Selection
from .selectors.when import DAYS, WhenGrid

# Premises listed for cleared roles.
PREMISES_LISTED = 100


def _hidden(n: float, user) -> bool:
    return count_is_small(n) and not record_has_content_access(user=user)


def _num(value: float, digits: int) -> float | None:
    return None if value is None or math.isnan(value) else round(float(value), digits)


def selection_dict(selection: Selection) -> dict:
    return {
        "since": selection.since.isoformat(),
        "until": selection.until.isoformat(),
        "area": selection.area.code if selection.area else None,
        "point": [selection.point.x, selection.point.y] if selection.point else None,
        "radius_m": selection.radius_m,
        "location": selection.location.pk if selection.location else None,
        "kinds": list(selection.kinds),
        "tags": list(selection.tags),
        "include_low_grade": selection.include_low_grade,
        "describe": selection.describe(),
    }


def selection_query(selection: Selection) -> str:
    """The selection as an analysis page's query string."""
    params: list[tuple[str, object]] = [
        ("until", selection.until.isoformat()),
        ("days", selection.days),
    ]
    if selection.area is not None:
        params.append(("area", selection.area.pk))
    if selection.point is not None:
        params.append(("point", f"{selection.point.x:.6f},{selection.point.y:.6f}"))
        params.append(("radius_m", selection.radius_m))
    if selection.location is not None:
        params.append(("location", selection.location.pk))
    params += [("kind", k) for k in selection.kinds]
    params += [("tag", t) for t in selection.tags]
    if selection.include_low_grade:
        params.append(("include_low_grade", "on"))
    return urlencode(params)


def knox_present(*, result: KnoxResult, user: AbstractBaseUser) -> dict:
    settings = result.settings
    time_bands = settings.time_bands()
    rows = []
    for s, (lo, hi) in enumerate(settings.space_bands()):
        cells = []
        for t, (tlo, thi) in enumerate(time_bands):
            observed = int(result.observed[s, t])
            hidden = _hidden(observed, user)
            significant = bool(result.significant[s, t])
            cells.append(
                {
                    "time_band": [tlo, thi],
                    "observed": count_display(n=observed, user=user),
                    "expected": None if hidden else _num(result.expected[s, t], 2),
                    "ratio": None if hidden else _num(result.ratio[s, t], 2),
                    "p_value": None if hidden else _num(result.p_values[s, t], 4),
                    "significant": significant and not hidden,
                }
            )
        rows.append({"space_band_m": [lo, hi], "cells": cells})
    return {
        "settings": {
            "space_edges_m": list(settings.space_edges_m),
            "time_edges_days": list(settings.time_edges_days),
            "permutations": settings.permutations,
            "seed": settings.seed,
            "describe": settings.describe(),
        },
        "records": count_display(n=result.records, user=user),
        "pairs_within_largest_band": count_display(n=result.pairs, user=user),
        "time_bands_days": [list(b) for b in time_bands],
        "rows": rows,
        "any_significant": any(c["significant"] for r in rows for c in r["cells"]),
    }


def when_present(*, grid: WhenGrid, user: AbstractBaseUser) -> dict:
    """For roles without record content, cells under SMALL_COUNT are
    suppressed, and so are the day and hour totals: a total beside its shown
    cells would give a suppressed one back by subtraction. With a single
    suppressed cell in the grid the grand total would too, so it goes."""
    cleared = record_has_content_access(user=user)
    peak = float(grid.cells.max()) if grid.records else 0.0
    rows = []
    suppressed = 0
    for d, day in enumerate(DAYS):
        cells = []
        for h in range(24):
            value = float(grid.cells[d, h])
            hidden = _hidden(value, user)
            suppressed += hidden
            cells.append(
                {
                    "hour": h,
                    "value": None if hidden else round(value, 2),
                    "suppressed": hidden,
                    # 0-1, for the shading of the heat table.
                    "shade": 0 if hidden or not peak else round(value / peak, 3),
                }
            )
        total = round(float(grid.by_day[d]), 1)
        rows.append({"day": day, "cells": cells, "total": total if cleared else None})
    records = count_display(n=grid.records, user=user)
    return {
        "hours": list(range(24)),
        "records": "–" if suppressed == 1 else records,
        "suppressed_below": None if cleared else SMALL_COUNT,
        "spread_aoristically": count_display(n=grid.spread, user=user),
        "rows": rows,
        "by_day": [round(float(v), 2) if cleared else None for v in grid.by_day],
        "by_hour": [round(float(v), 2) if cleared else None for v in grid.by_hour],
    }


def change_present(
    *, rows: list[AreaChange], periods: ChangePeriods, user: AbstractBaseUser
) -> dict:
    out = []
    for r in rows:
        hidden_prev = any(_hidden(n, user) for n in (r.current, r.previous))
        hidden_year = any(_hidden(n, user) for n in (r.current, r.year_ago))
        out.append(
            {
                "area_id": r.area_id,
                "code": r.code,
                "name": r.name,
                "current": count_display(n=r.current, user=user),
                "previous": count_display(n=r.previous, user=user),
                "year_ago": count_display(n=r.year_ago, user=user),
                "change_previous": None if hidden_prev else r.change_previous,
                "p_previous": None if hidden_prev else round(r.p_previous, 4),
                "significant_previous": r.significant_previous and not hidden_prev,
                "change_year": None if hidden_year else r.change_year,
                "p_year": None if hidden_year else round(r.p_year, 4),
                "significant_year": r.significant_year and not hidden_year,
            }
        )
    return {
        "periods": {
            "current": [d.isoformat() for d in periods.current],
            "previous": [d.isoformat() for d in periods.previous],
            "year_ago": [d.isoformat() for d in periods.year_ago],
            "describe": periods.describe(),
        },
        "cleared": record_has_content_access(user=user),
        "test": "conditional binomial test of two Poisson counts, two-sided, "
        "significant at p <= 0.05",
        "areas": out,
    }


def _lorenz_svg_points(curve: list[tuple[float, float]], size: int) -> str:
    return " ".join(f"{q * size:.1f},{(1 - v) * size:.1f}" for q, v in curve)


def _percent(share: float | None, shown: bool) -> str:
    if share is None or not shown:
        return "–"
    return f"{share * 100:.1f}\u00a0%"


def repeat_present(*, result: RepeatResult, user: AbstractBaseUser) -> dict:
    cleared = record_has_content_access(user=user)
    # Shares of a handful of records would give the handful away.
    shown = not _hidden(result.records_at_premises, user)
    premises = []
    if cleared and result.ranked:
        top = result.ranked[:PREMISES_LISTED]
        places = location_scope(
            user=user, qs=Location.objects.filter(pk__in=[pk for pk, _ in top])
        ).in_bulk()
        total = result.records_at_premises or 1
        for pk, n in top:
            place = places.get(pk)
            if place is None:
                continue
            premises.append(
                {
                    "id": pk,
                    "name": place.name,
                    "category": place.get_category_display(),
                    "records": n,
                    "share": round(n / total, 4),
                    "share_percent": _percent(n / total, True),
                    "url": reverse("location-page", args=[pk]),
                }
            )
    return {
        "premises": result.premises,
        "premises_with_records": count_display(
            n=result.premises_with_records, user=user
        ),
        "records_at_premises": count_display(n=result.records_at_premises, user=user),
        "top_shares": {
            f"top_{pct}_percent": round(share, 4) if shown else None
            for pct, share in result.top_shares.items()
        },
        "top10_percent": _percent(result.top_shares.get(10), shown),
        "top20_percent": _percent(result.top_shares.get(20), shown),
        "gini": round(result.gini, 4) if shown else None,
        "lorenz": [[round(q, 3), round(v, 4)] for q, v in result.curve]
        if shown
        else [],
        "lorenz_svg": _lorenz_svg_points(result.curve, 300) if shown else "",
        "premises_list": premises if cleared else None,
    }


def problem_present(*, report, user: AbstractBaseUser) -> dict:
    """A problem profile's page and PDF: each analysis as its own page shows
    it, the disruption done in the selection, and did-it-work for each."""
    selection = report.selection
    change = change_present(
        rows=report.change,
        periods=ChangePeriods(until=selection.until, days=min(selection.days, 182)),
        user=user,
    )
    if selection.area is not None:
        change["areas"] = [
            a for a in change["areas"] if a["area_id"] == selection.area.pk
        ]
    actions = [
        {
            "occurred_at": a.occurred_at,
            "action_type": a.get_action_type_display(),
            "outcome": a.get_outcome_display(),
            "agency": a.get_agency_display(),
            "location": a.location.name if a.location else "",
            "did_it_work": (
                f"{reverse('analysis:did-it-work', args=[a.location_id])}"
                f"?at={a.occurred_at:%Y-%m-%d}"
                if a.location_id and not a.position_approximate
                else ""
            ),
        }
        for a in report.actions
    ]
    return {
        "selection": selection,
        "knox": knox_present(result=report.knox, user=user) if report.knox else None,
        "knox_refused": report.knox_refused,
        "when": when_present(grid=report.when, user=user),
        "repeat": repeat_present(result=report.repeat, user=user),
        "change": change,
        "change_area_type": report.change_area_type,
        "actions": actions,
        "query": selection_query(selection),
    }
