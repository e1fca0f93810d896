"""The tasking meeting: open it, work from the ranked hot spots, task a
location or a cell, follow taskings to done."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from accounts.roles import can_see_hotspots, hotspot_access_required
from audit.models import AccessAction
from audit.web import access_log_request, export_justification_or_page
from common.placement import placement_sees_exact
from common.versions import StaleEdit
from disruption.models import Tasking, TaskingMeeting
from disruption.selectors import tasking_is_open, tasking_is_overdue, tasking_list_open
from disruption.services import (
    meeting_open,
    tasking_answer,
    tasking_close,
    tasking_create,
    tasking_create_for_cell,
)

from ..briefing import briefing_pdf
from ..forms import (
    ActionAnswerForm,
    MeetingForm,
    MeetingSettingsForm,
    TaskingForm,
    tasking_target_parse,
)
from ..mapimage import map_png
from ..selectors.gistar import CLASS_WORDS, EMERGING, NEW, PERSISTENT
from ..selectors.hotspots import hotspot_record_ids
from ..selectors.meeting import meeting_pack, meeting_pack_without_hotspots

LIVE_CLASSES = (NEW, EMERGING, PERSISTENT)


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
    meetings = TaskingMeeting.objects.select_related("chair")[:50]
    open_taskings = list(tasking_list_open()[:100])
    today = timezone.localdate()
    for t in open_taskings:
        t.overdue = tasking_is_overdue(tasking=t, today=today)
    return render(
        request,
        "analysis/meeting_list.html",
        {"form": form, "meetings": meetings, "open_taskings": open_taskings},
        status=400 if form.errors else 200,
    )


@permission_required("disruption.view_taskingmeeting", raise_exception=True)
@bad_settings_400
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The meeting; roles without intelligence access (community safety) see
    its taskings and legal clocks but not the hot spots."""
    meeting = get_object_or_404(TaskingMeeting.objects.select_related("chair"), pk=pk)
    if can_see_hotspots(request.user):
        pack = _pack(request, meeting)
        cells = [c for c in pack.grid.cells() if c.hot_class in LIVE_CLASSES]
    else:
        pack = meeting_pack_without_hotspots(meeting=meeting)
        cells = []
    return render(
        request,
        "analysis/meeting_detail.html",
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
def meeting_map(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(TaskingMeeting, pk=pk)
    pack = _pack(request, meeting)
    return HttpResponse(
        map_png(grid=pack.grid, spots=pack.spots, title=str(meeting)),
        content_type="image/png",
    )


@permission_required("disruption.view_taskingmeeting", raise_exception=True)
@hotspot_access_required
@bad_settings_400
def meeting_briefing(request: HttpRequest, pk: int) -> HttpResponse:
    """The pack is a disclosure: it asks for its own reason each time and is
    logged with the records its hot spots were scored from."""
    meeting = get_object_or_404(TaskingMeeting.objects.select_related("chair"), pk=pk)
    what = f"Briefing pack: {meeting}"
    reason, page = export_justification_or_page(request, what=what)
    if page is not None:
        return page
    pack = _pack(request, meeting)
    pdf = briefing_pdf(pack=pack, made_by=request.user)
    access_log_request(
        request=request,
        action=AccessAction.EXPORTED,
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


@permission_required("disruption.add_tasking", raise_exception=True)
def tasking_new(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(TaskingMeeting, pk=pk)
    try:
        target = tasking_target_parse(user=request.user, query=request.GET)
    except ValidationError as exc:
        return HttpResponse(
            " ".join(exc.messages), status=400, content_type="text/plain"
        )
    form = TaskingForm(
        request.POST or None, meeting=meeting, reason=request.GET.get("reason", "")
    )
    if request.method == "POST" and form.is_valid():
        try:
            if "location" in target:
                _create_for_location(meeting, target["location"], form)
            else:
                x0, y0, size = target["cell"]
                tasking_create_for_cell(
                    meeting=meeting, x0=x0, y0=y0, cell_m=size, **form.cleaned_data
                )
        except (ValidationError, IntegrityError) as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Tasking created.")
            return redirect("analysis:meeting", pk=meeting.pk)
    return render(
        request,
        "analysis/tasking_new.html",
        {"meeting": meeting, "form": form, "target": target},
        status=400 if form.errors else 200,
    )


def _create_for_location(meeting, location, form) -> Tasking:
    return tasking_create(
        meeting=meeting,
        target_location=location,
        target_description=location.name,
        **form.cleaned_data,
    )


@permission_required("disruption.view_tasking", raise_exception=True)
def tasking_detail(request: HttpRequest, pk: int) -> HttpResponse:
    tasking = get_object_or_404(
        Tasking.objects.select_related(
            "meeting", "target_location", "target_area", "owner_officer"
        ),
        pk=pk,
    )
    form = ActionAnswerForm(
        request.POST or None,
        initial={"occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")},
    )
    can_log = request.user.has_perm("disruption.add_disruptionaction")
    if request.method == "POST":
        if not can_log:
            raise PermissionDenied
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
            completes = data.pop("completes", False)
            try:
                tasking_answer(
                    tasking=tasking, completes=completes, officer=request.user, **data
                )
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for field, errs in exc.message_dict.items():
                        form.add_error(field if field in form.fields else None, errs)
                else:
                    form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    "Action logged" + (" and tasking done." if completes else "."),
                )
                return redirect("analysis:tasking", pk=tasking.pk)
    return _tasking_page(request, tasking, form, status=400 if form.errors else 200)


def _tasking_page(request, tasking, form, *, status: int) -> HttpResponse:
    tasking.overdue = tasking_is_overdue(tasking=tasking)
    can_log = request.user.has_perm("disruption.add_disruptionaction")
    return render(
        request,
        "analysis/tasking_detail.html",
        {
            "tasking": tasking,
            "actions": tasking.actions.select_related("officer").order_by(
                "occurred_at"
            ),
            "form": form,
            "can_log": can_log and tasking_is_open(tasking=tasking),
            "can_close": request.user.has_perm("disruption.change_tasking")
            and tasking_is_open(tasking=tasking),
        },
        status=status,
    )


@permission_required("disruption.change_tasking", raise_exception=True)
def tasking_close_view(request: HttpRequest, pk: int) -> HttpResponse:
    tasking = get_object_or_404(Tasking, pk=pk)
    if request.method != "POST":
        return redirect("analysis:tasking", pk=pk)
    status = request.POST.get("status", "done")
    try:
        version = int(request.POST["version"])
    except (KeyError, ValueError):
        version = None  # a form without it (older page): closes as before
    try:
        tasking_close(tasking=tasking, status=status, version=version)
    except StaleEdit as exc:
        tasking.refresh_from_db()
        messages.error(
            request, f"{exc} It is now {tasking.get_status_display().lower()}."
        )
        form = ActionAnswerForm(
            initial={"occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")}
        )
        return _tasking_page(request, tasking, form, status=409)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, f"Tasking marked {tasking.get_status_display().lower()}."
        )
    return redirect("analysis:tasking", pk=pk)
