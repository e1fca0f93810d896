"""The location page and the two actions officers take there."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.roles import MAP_READ_PERMISSION
from analysis.consultations import wdq_consulted
from analysis.selectors.wdq import wdq_latest_for_location
from audit.consults import AGGREGATE_REASON_NOT_ASKED, consulted, consults
from audit.justification import (
    justification_required,
    justify_url,
    session_justification,
)
from disruption.checklists import CHECKLISTS
from disruption.forms import DisruptionLogForm
from disruption.models import TIMED_POWERS
from disruption.selectors import disruption_history_labelled, disruption_log_initial
from disruption.services import disruption_log
from intelligence.data_version import data_version_read
from intelligence.selectors import record_has_content_access, record_list_linked
from people.models import ORDER_TYPES
from people.services import subject_order_log
from people.views import location_people_panel

from .forms import FlagForm
from .models import Location
from .selectors import (
    location_change_history,
    location_flag_history,
    location_get,
    location_is_editable,
)
from .services import StaleEdit, location_flag


def _location(request: HttpRequest, pk: int) -> Location:
    try:
        return location_get(user=request.user, pk=pk)
    except Location.DoesNotExist:
        raise Http404("No such location.") from None


def _linked_records(request, location) -> list | None:
    """The linked intelligence this user may see, logged as listed; None for
    roles without record content, or (a reason lapsed mid-visit) until the
    session has a reason again."""
    reason = session_justification(request)
    if reason is None:
        return None
    records = record_list_linked(user=request.user, location=location)
    if records is None:
        return None
    consulted(
        request,
        what=f"Location page: {location.name}"[:200],
        record_ids=[r.pk for r in records],
        justification=reason,
    )
    return records


def _did_it_work(request, location) -> dict | None:
    """The did-it-work panel (analysis.selectors.wdq): its counts weigh
    intelligence, so it is logged as a consultation."""
    version = data_version_read()
    wdq = wdq_latest_for_location(user=request.user, location=location)
    if wdq is not None:
        wdq_consulted(
            request,
            what=f"Location page: did it work? {location.name}"[:200],
            location_id=location.pk,
            settings=wdq["settings"],
            result=wdq["result"],
            data_version=version,
            justification=session_justification(request) or AGGREGATE_REASON_NOT_ASKED,
        )
    return wdq


def _shows_records(user) -> bool:
    return record_has_content_access(user=user)


def _render(request, location, *, flag_form=None, log_form=None, status=200):
    user = request.user
    point = location.display_point
    context = {
        "location": location,
        "flags": location_flag_history(location=location),
        "changes": location_change_history(location=location),
        "actions": disruption_history_labelled(user=user, location=location),
        "records": _linked_records(request, location),
        "people_panel": location_people_panel(request, location=location),
        "records_justify_url": (
            justify_url(next_url=reverse("location-page", args=[location.pk]))
            if record_has_content_access(user=user)
            else None
        ),
        "can_flag": user.has_perm("locations.add_concernflag"),
        "can_edit": location_is_editable(user=user, location=location),
        "can_log": user.has_perm("disruption.add_disruptionaction"),
        "wdq": _did_it_work(request, location),
        "flag_form": flag_form or FlagForm(initial={"version": location.version}),
        "log_form": log_form
        or DisruptionLogForm(
            user=user, initial=disruption_log_initial(location=location)
        ),
        "checklists": CHECKLISTS,
        "map_data": {
            "point": [point.x, point.y],
            "approximate": location.position_approximate,
            "name": location.name,
            "timedPowers": sorted(TIMED_POWERS),
        },
    }
    return render(request, "locations/location.html", context, status=status)


@permission_required(MAP_READ_PERMISSION, raise_exception=True)
@justification_required(_shows_records)
@consults("Location page", denied_on=())
def location_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _render(request, _location(request, pk))


@require_POST
# A refused form shows the page again, with its linked intelligence.
@consults("Location page", denied_on=())
def location_flag_submit(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.has_perm("locations.add_concernflag"):
        raise PermissionDenied
    location = _location(request, pk)
    form = FlagForm(request.POST)
    if form.is_valid():
        try:
            location_flag(location=location, user=request.user, **form.cleaned_data)
        except StaleEdit as exc:
            form.add_error(None, str(exc))
            return _render(request, _location(request, pk), flag_form=form, status=409)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            done = "flagged" if form.cleaned_data["action"] == "flag" else "cleared"
            messages.success(request, f"{location.name} {done}.")
            return redirect("location-page", pk=pk)
    return _render(request, location, flag_form=form, status=400)


@require_POST
@consults("Location page", denied_on=())
def location_log_submit(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.has_perm("disruption.add_disruptionaction"):
        raise PermissionDenied
    location = _location(request, pk)
    form = DisruptionLogForm(request.POST, user=request.user)
    if form.is_valid():
        fields = form.service_fields()
        try:
            if fields["action_type"] in ORDER_TYPES:
                # The order and whom it was served on, in one transaction.
                subject_order_log(
                    subject=form.cleaned_data.get("served_on"),
                    location=Location.objects.get(pk=pk),
                    officer=request.user,
                    **fields,
                )
            else:
                disruption_log(
                    location=Location.objects.get(pk=pk),
                    officer=request.user,
                    **fields,
                )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, "Visit logged.")
            return redirect("location-page", pk=pk)
    return _render(request, location, log_form=form, status=400)
