"""The tasking meeting: open it, work from the ranked hot spots, hand out
the briefing pack.

The meeting is disruption's; the hot spots, the Gi* grid, the map image and
the briefing pack it shows are analysis's (analysis.selectors.meeting and
the modules beside it), read here as a page reads any app's domain code.
The paths and names stay under /analysis/ and `analysis:`
(disruption.urls.meeting_urlpatterns).
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from accounts.reauth import export_reauth_redirect
from accounts.roles import can_see_hotspots, hotspot_access_required
from analysis.briefing import briefing_pdf
from analysis.consultations import hotspots_consulted
from analysis.forms import MeetingSettingsForm
from analysis.mapimage import map_png
from analysis.selectors.gistar import CLASS_WORDS, LIVE_CLASSES
from analysis.selectors.hotspots import hotspot_record_ids
from analysis.selectors.meeting import meeting_pack, meeting_pack_without_hotspots
from audit.consults import consulted, consults
from audit.models import AccessAction
from audit.web import export_justification_or_page
from common.placement import placement_sees_exact
from intelligence.data_version import data_version_read

from ..forms import MeetingForm
from ..models import TaskingMeeting
from ..selectors import (
    meeting_list_with_chair,
    tasking_list_marked_overdue,
    tasking_list_open,
)
from ..services import meeting_open


class BadSettings(Exception):
    pass


def _pack(request: HttpRequest, meeting: TaskingMeeting):
    """The meeting's analysis with the settings in the query (period length,
    radius, cell size, low grades), so the page, its map and its briefing pack
    are made with the same settings and say which."""
    form = MeetingSettingsForm(request.GET)
    if not form.is_valid():
        raise BadSettings(form.errors.as_text())
    data = form.cleaned_data
    try:
        return meeting_pack(
            meeting=meeting,
            days=data.get("days") or 28,
            radius_m=data.get("radius_m"),
            cell_m=data.get("cell_m"),
            include_low_grade=bool(data.get("include_low_grade")),
            include_restricted=placement_sees_exact(user=request.user),
        )
    except ValueError as exc:  # a grid too fine for the extent
        raise BadSettings(str(exc)) from None


def bad_settings_400(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except BadSettings as exc:
            return HttpResponse(str(exc), status=400, content_type="text/plain")

    return wrapped


@permission_required("disruption.view_taskingmeeting", raise_exception=True)
def meeting_list(request: HttpRequest) -> HttpResponse:
    form = MeetingForm(request.POST or None, initial={"held_on": timezone.localdate()})
    if request.method == "POST":
        if not request.user.has_perm("disruption.add_taskingmeeting"):
            raise PermissionDenied
        if form.is_valid():
            try:
                meeting, carried = meeting_open(chair=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    f"Meeting opened; {len(carried)} open tasking(s) carried from "
                    "the last meeting.",
                )
                return redirect("analysis:meeting", pk=meeting.pk)
    meetings = meeting_list_with_chair()[:50]
    open_taskings = tasking_list_marked_overdue(
        taskings=tasking_list_open()[:100], today=timezone.localdate()
    )
    return render(
        request,
        "disruption/meeting_list.html",
        {"form": form, "meetings": meetings, "open_taskings": open_taskings},
        status=400 if form.errors else 200,
    )


def _pack_consulted(request: HttpRequest, meeting: TaskingMeeting):
    """The meeting's pack, logged as a consultation of its hot spots."""
    version = data_version_read()
    pack = _pack(request, meeting)
    form = MeetingSettingsForm(request.GET)
    form.is_valid()  # _pack has checked it
    hotspots_consulted(
        request,
        grid=pack.grid,
        given={**form.cleaned_data, "meeting": meeting.pk},
        data_version=version,
    )
    return pack


@permission_required("disruption.view_taskingmeeting", raise_exception=True)
@bad_settings_400
@consults(
    "Tasking meeting: hot spots",
    action=AccessAction.SEARCHED,
    aggregate=True,
    denied_on=(),
)
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The meeting; roles without intelligence access (community safety) see
    its taskings and legal clocks but not the hot spots."""
    meeting = get_object_or_404(meeting_list_with_chair(), pk=pk)
    if can_see_hotspots(request.user):
        pack = _pack_consulted(request, meeting)
        cells = [c for c in pack.grid.cells() if c.hot_class in LIVE_CLASSES]
    else:
        pack = meeting_pack_without_hotspots(meeting=meeting)
        cells = []
    return render(
        request,
        "disruption/meeting_detail.html",
        {
            "meeting": meeting,
            "pack": pack,
            "cells": cells[:15],
            "class_words": CLASS_WORDS,
            "can_task": request.user.has_perm("disruption.add_tasking"),
            "hotspots": can_see_hotspots(request.user),
            "settings_form": MeetingSettingsForm(request.GET),
            "query": request.GET.urlencode(),
        },
    )


@permission_required("disruption.view_taskingmeeting", raise_exception=True)
@hotspot_access_required
@bad_settings_400
@consults(
    "Tasking meeting: map image",
    action=AccessAction.SEARCHED,
    aggregate=True,
    denied_on=(),
)
def meeting_map(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(TaskingMeeting, pk=pk)
    pack = _pack_consulted(request, meeting)
    return HttpResponse(
        map_png(grid=pack.grid, spots=pack.spots, title=str(meeting)),
        content_type="image/png",
    )


@permission_required("disruption.view_taskingmeeting", raise_exception=True)
@hotspot_access_required
@bad_settings_400
@consults("Briefing pack", action=AccessAction.EXPORTED, denied_on=())
def meeting_briefing(request: HttpRequest, pk: int) -> HttpResponse:
    """The pack is a disclosure: it asks for its own reason each time and is
    logged with the records its hot spots were scored from."""
    meeting = get_object_or_404(meeting_list_with_chair(), pk=pk)
    what = f"Briefing pack: {meeting}"
    if (confirm := export_reauth_redirect(request)) is not None:
        return confirm
    reason, page = export_justification_or_page(request, what=what)
    if page is not None:
        return page
    pack = _pack(request, meeting)
    pdf = briefing_pdf(pack=pack, made_by=request.user)
    consulted(
        request,
        what=what,
        record_ids=hotspot_record_ids(
            settings=pack.settings, location_ids=[s.location_id for s in pack.spots]
        ),
        justification=reason,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="briefing-{meeting.group}-{meeting.held_on:%Y-%m-%d}.pdf"'
    )
    return response
