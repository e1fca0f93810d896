"""What the analysis pages and API log when they weigh intelligence.

Hot spots, did-it-work, meeting packs and reports are consultations under
section 62 (issue 20, section 4): each answer is logged (audit.consults)
with its settings as applied, the data version read just before the
analysis, and how many records it weighed, taken from the analysis's own
counts rather than a second scan.
"""

from audit.consults import consulted
from intelligence.data_version import data_version_read

from .selectors.gistar import HotspotGrid
from .selectors.wdq import WDQResult, WDQSettings, wdq_for_location


def grid_records_weighed(grid: HotspotGrid) -> int:
    """Records the Gi* grid counted, over the current and earlier periods."""
    return int(grid.grid.counts.sum())


def hotspots_consulted(
    request, *, grid: HotspotGrid, given: dict, data_version: int, what=None
) -> None:
    """A Gi* grid answered: its settings as given (a valid form's cleaned
    data) and as applied (defaults resolved, in the grid's own settings)."""
    applied = grid.settings
    consulted(
        request,
        what=what,
        count=grid_records_weighed(grid),
        params={
            **{k: v for k, v in given.items() if v not in (None, "")},
            "period_end": applied.end,
            "days": applied.days,
            "cell_m": applied.cell_m,
            "previous": applied.previous,
            "restricted_exact": applied.restricted_exact,
            "data_version": data_version,
        },
    )


def wdq_consulted(
    request,
    *,
    location_id: int,
    settings: WDQSettings,
    result: WDQResult,
    data_version: int,
    what=None,
    justification=None,
) -> None:
    """Did it work? answered at a location: logged with the records its six
    counts weighed."""
    counts = ("a0", "a1", "b0", "b1", "c0", "c1")
    consulted(
        request,
        what=what,
        justification=justification,
        count=sum(getattr(result, name) for name in counts),
        params={
            "location": location_id,
            "at": settings.at,
            "days": settings.days,
            "radius_m": settings.radius_m,
            "buffer_m": settings.buffer_m,
            "control_m": settings.control_m,
            "data_version": data_version,
        },
    )


def wdq_consult(
    request, *, location_id: int, settings: WDQSettings, what=None
) -> WDQResult:
    """Did it work? at a location, computed and logged as a consultation."""
    version = data_version_read()
    result = wdq_for_location(location_id=location_id, settings=settings)
    wdq_consulted(
        request,
        location_id=location_id,
        settings=settings,
        result=result,
        data_version=version,
        what=what,
    )
    return result


def report_consulted(
    request, *, rows, start, end, scope, data_version: int, what=None
) -> None:
    """A report of records by area and month: (code, name, month, records,
    missing) rows, counted as the records they count."""
    consulted(
        request,
        what=what,
        count=sum(r[3] for r in rows),
        params={
            "start": start,
            "end": end,
            "area_type": scope.area_type,
            "area_ids": scope.area_ids,
            "data_version": data_version,
        },
    )
