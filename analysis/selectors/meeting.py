"""Everything a tasking meeting works from, in one read: the ranked hot spots
for the period up to the meeting, the Gi* grid, the meeting's taskings and the
legal clocks about to run out."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.utils import timezone

from disruption.legal import LegalClock, legal_clock_list
from disruption.models import Tasking, TaskingMeeting
from disruption.selectors import tasking_lists_for_meeting

from .gistar import GridSettings, HotspotGrid, hotspot_grid
from .hotspots import (
    AreaHotspot,
    HotspotSettings,
    LocationHotspot,
    hotspot_area_list,
    hotspot_location_list,
)
from .weights import Weighting


@dataclass
class MeetingPack:
    meeting: TaskingMeeting
    settings: HotspotSettings
    grid_settings: GridSettings
    spots: list[LocationHotspot]
    areas: list[AreaHotspot]
    grid: HotspotGrid | None
    taskings: list[Tasking]
    open_elsewhere: list[Tasking]
    clocks: list[LegalClock]

    def settings_lines(self) -> list[str]:
        return [self.settings.describe(), self.grid_settings.describe()]


def meeting_pack(
    *,
    meeting: TaskingMeeting,
    days: int = 28,
    radius_m: int | None = None,
    cell_m: int | None = None,
    include_low_grade: bool = False,
    include_restricted: bool = False,
    limit: int = 15,
) -> MeetingPack:
    end = _meeting_end(meeting)
    weighting = Weighting(include_low_grade=include_low_grade)
    settings = HotspotSettings(
        start=end - timedelta(days=days),
        end=end,
        weighting=weighting,
        **({"radius_m": radius_m} if radius_m else {}),
    )
    grid_settings = GridSettings(
        end=end,
        days=days,
        weighting=weighting,
        restricted_exact=include_restricted,
        **({"cell_m": cell_m} if cell_m else {}),
    )
    taskings, open_elsewhere = tasking_lists_for_meeting(meeting=meeting)
    return MeetingPack(
        meeting=meeting,
        settings=settings,
        grid_settings=grid_settings,
        spots=hotspot_location_list(
            settings=settings, limit=limit, include_restricted=include_restricted
        ),
        areas=hotspot_area_list(settings=settings, limit=10),
        grid=hotspot_grid(settings=grid_settings),
        taskings=taskings,
        open_elsewhere=open_elsewhere,
        clocks=legal_clock_list(),
    )


def meeting_pack_without_hotspots(*, meeting: TaskingMeeting) -> MeetingPack:
    """For roles without intelligence access: taskings and legal clocks only."""
    end = _meeting_end(meeting)
    taskings, open_elsewhere = tasking_lists_for_meeting(meeting=meeting)
    return MeetingPack(
        meeting=meeting,
        settings=HotspotSettings(start=end - timedelta(days=28), end=end),
        grid_settings=GridSettings(end=end),
        spots=[],
        areas=[],
        grid=None,
        taskings=taskings,
        open_elsewhere=open_elsewhere,
        clocks=legal_clock_list(),
    )


def _meeting_end(meeting: TaskingMeeting) -> datetime:
    """The period runs up to the end of the meeting day."""
    return timezone.make_aware(
        datetime.combine(meeting.held_on + timedelta(days=1), time())
    )
