"""Writes for the tasking meeting: open a meeting with the last one's open
taskings, task a location or a hot-spot cell, and answer a tasking with an
action that may close it."""

from datetime import date

from django.contrib.gis.geos import GEOSGeometry
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from disruption.models import DisruptionAction, Tasking, TaskingMeeting
from disruption.services import (
    disruption_log,
    meeting_carry_open_taskings,
    meeting_create,
    tasking_close,
    tasking_create,
)
from locations.triggers import PROJECTED_SRID


@transaction.atomic
def meeting_open(
    *, group: str, held_on: date, chair=None, notes: str = ""
) -> tuple[TaskingMeeting, list[Tasking]]:
    """A new meeting, with the taskings still open from the group's last one."""
    meeting = meeting_create(group=group, held_on=held_on, chair=chair, notes=notes)
    return meeting, meeting_carry_open_taskings(meeting=meeting)


def cell_centre_wgs84(*, x0: float, y0: float, cell_m: int) -> GEOSGeometry:
    """The centre of a British National Grid cell as a WGS84 point, transformed
    in PostGIS."""
    with connection.cursor() as cur:
        cur.execute(
            "SELECT ST_AsEWKT(ST_Transform(ST_SetSRID(ST_MakePoint(%s, %s), %s), 4326))",
            [x0 + cell_m / 2, y0 + cell_m / 2, PROJECTED_SRID],
        )
        return GEOSGeometry(cur.fetchone()[0])


@transaction.atomic
def tasking_create_for_cell(
    *, meeting: TaskingMeeting, x0: float, y0: float, cell_m: int, **fields
) -> Tasking:
    """Task a hot-spot grid cell: its centre is the target point."""
    if cell_m <= 0:
        raise ValidationError({"cell": "The cell size must be positive."})
    fields.setdefault(
        "target_description",
        f"{cell_m} m grid cell at E {x0:.0f} N {y0:.0f} (British National Grid)",
    )
    return tasking_create(
        meeting=meeting,
        target_point=cell_centre_wgs84(x0=x0, y0=y0, cell_m=cell_m),
        **fields,
    )


@transaction.atomic
def tasking_answer(
    *, tasking: Tasking, completes: bool = False, **action_fields
) -> DisruptionAction:
    """Log the action that answers a tasking, at its target; when it completes
    the tasking, the tasking (and the copies it was carried from) is done."""
    if tasking.status not in ("open", "in_progress"):
        raise ValidationError("This tasking is already closed.")
    if tasking.target_location_id:
        action_fields.setdefault("location", tasking.target_location)
    elif tasking.target_point is not None:
        action_fields.setdefault("point", tasking.target_point)
    else:
        action_fields.setdefault("area", tasking.target_area)
    action = disruption_log(tasking=tasking, **action_fields)
    if completes:
        tasking.refresh_from_db()
        tasking_close(tasking=tasking)
    return action
