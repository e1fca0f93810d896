"""Taskings: set one at a meeting for a place or a hot-spot cell, answer it
with actions, close it as done or cancelled. The paths and names stay under
/analysis/ and `analysis:` (disruption.urls.meeting_urlpatterns)."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from common.versions import StaleEdit

from ..forms import ActionAnswerForm, TaskingForm, tasking_target_parse
from ..models import Tasking, TaskingMeeting, TaskingStatus
from ..selectors import (
    tasking_actions,
    tasking_is_open,
    tasking_is_overdue,
    tasking_with_targets,
)
from ..services import (
    tasking_answer,
    tasking_close,
    tasking_create_for_cell,
    tasking_create_for_location,
)


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
                tasking_create_for_location(
                    meeting=meeting, location=target["location"], **form.cleaned_data
                )
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
        "disruption/tasking_new.html",
        {"meeting": meeting, "form": form, "target": target},
        status=400 if form.errors else 200,
    )


def _answer_form(data=None) -> ActionAnswerForm:
    return ActionAnswerForm(
        data,
        initial={"occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")},
    )


@permission_required("disruption.view_tasking", raise_exception=True)
def tasking_detail(request: HttpRequest, pk: int) -> HttpResponse:
    tasking = get_object_or_404(tasking_with_targets(), pk=pk)
    form = _answer_form(request.POST or None)
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
        "disruption/tasking_detail.html",
        {
            "tasking": tasking,
            "actions": tasking_actions(tasking=tasking),
            "form": form,
            "can_log": can_log and tasking_is_open(tasking=tasking),
            "can_close": request.user.has_perm("disruption.change_tasking")
            and tasking_is_open(tasking=tasking),
            "statuses": TaskingStatus,
        },
        status=status,
    )


@permission_required("disruption.change_tasking", raise_exception=True)
def tasking_close_view(request: HttpRequest, pk: int) -> HttpResponse:
    tasking = get_object_or_404(Tasking, pk=pk)
    if request.method != "POST":
        return redirect("analysis:tasking", pk=pk)
    status = request.POST.get("status", TaskingStatus.DONE)
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
        return _tasking_page(request, tasking, _answer_form(), status=409)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, f"Tasking marked {tasking.get_status_display().lower()}."
        )
    return redirect("analysis:tasking", pk=pk)
