"""The record's own page and the records register.

Which records: record_register_list(user), the one place need-to-know is decided. A
role without record content is refused (the register) or answered 404 (a
record), and the attempt is logged; a partner, who reads nothing, is
refused both. Each page that shows records asks for the session's reason
and is written to the access log.
"""

from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from accounts.roles import MAP_READ_PERMISSION
from audit.consults import consult_denied, consulted, consults
from audit.justification import justification_required, session_justification
from audit.models import AccessAction
from disruption.selectors import disruption_scope
from licensing.compliance import compliance_missing
from licensing.selectors import (
    licence_summary_can_view,
    licensed_vehicles_for_record,
    licensing_can_view,
)
from locations.selectors import location_scope
from people.views import record_people_panel
from registers.core import Register, register_response, register_select

from .filters import RecordFilter
from .models import IntelligenceRecord
from .selectors import (
    record_change_history,
    record_get,
    record_grade_words,
    record_has_content_access,
    record_register_list,
)
from .tables import TAG_LABELS, RecordTable

RECORDS = Register(
    name="Records register",
    filterset=RecordFilter,
    table=RecordTable,
    template="intelligence/register.html",
    map_layer="records",
    filename="intelligence-records",
    lists_records=True,
    export_permission="intelligence.export_records",
    map_label=lambda r: f"{r.reference} · {r.get_kind_display()}",
)
# Disruption at the record's premises shown on its page.
ACTIONS_SHOWN = 20


def _shows_records(user) -> bool:
    return record_has_content_access(user=user)


@require_GET
@permission_required(MAP_READ_PERMISSION, raise_exception=True)
@justification_required(_shows_records)
@consults("Record page", action=AccessAction.OPENED, denied_ids="pk")
def record_page(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    try:
        record = record_get(user=user, pk=pk)
    except IntelligenceRecord.DoesNotExist:
        raise Http404("No such record, or not one you may see.") from None
    links = list(record.location_links.all())
    places = {
        loc.pk: loc
        for loc in location_scope(user=user).filter(
            pk__in=[link.location_id for link in links]
        )
    }
    linked = [(link, places[link.location_id]) for link in links]
    actions = list(
        disruption_scope(user=user)
        .filter(location_id__in=list(places))
        .order_by("-occurred_at")[:ACTIONS_SHOWN]
    )
    # The people it mentions, logged as their own consultation (people/),
    # before the page's own entry.
    people_panel = record_people_panel(request, record=record)
    consulted(request, record_ids=[record.pk])
    licences = _record_licences(request, record=record)
    point = record.display_point
    features = [
        {
            "point": [point.x, point.y],
            "label": record.reference,
            "approximate": record.position_approximate,
            "precision_m": record.precision_m,
            "record": True,
        }
    ] + [
        {
            "point": [loc.display_point.x, loc.display_point.y],
            "label": loc.name,
            "approximate": loc.position_approximate,
            "url": loc.get_absolute_url(),
        }
        for _link, loc in linked
    ]
    return render(
        request,
        "intelligence/record.html",
        {
            "record": record,
            "grade_words": record_grade_words(record=record),
            "tags": [TAG_LABELS.get(t, t) for t in record.tags],
            "linked": linked,
            "actions": actions,
            "changes": record_change_history(record=record, limit=100),
            "people_panel": people_panel,
            "licences": licences,
            "show_names": licensing_can_view(user=user),
            "map_data": {"features": features},
        },
    )


def _record_licences(request: HttpRequest, *, record) -> list:
    """The licences of the vehicles the record mentions (licensing/), for
    the roles cleared to see them, logged with the drivers shown."""
    if not licence_summary_can_view(user=request.user):
        return []
    licences = licensed_vehicles_for_record(record_id=record.pk)
    for licence in licences:
        licence.missing = compliance_missing(licence.driver) if licence.driver else []
    if licences:
        consulted(
            request,
            record_ids=[record.pk],
            what=f"Record page: licences for {record.reference}",
            params={"driver_ids": [lv.driver_id for lv in licences if lv.driver_id]},
        )
    return licences


@require_GET
@permission_required(MAP_READ_PERMISSION, raise_exception=True)
@justification_required(_shows_records)
@consults(RECORDS.name)
def record_register(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not record_has_content_access(user=user):
        consult_denied(request)
        raise PermissionDenied("Your role sees intelligence as density and counts.")
    qs = record_register_list(user=user).order_by("-occurred_from", "-id")
    selection = register_select(register=RECORDS, request=request, qs=qs)
    return register_response(
        request,
        register=RECORDS,
        selection=selection,
        justification=session_justification(request),
        context={
            "can_export": user.has_perm("intelligence.export_records"),
            "register_url": reverse("intelligence:register"),
        },
    )
