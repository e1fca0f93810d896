"""The actions register and a disruption action's own page.

Which actions: disruption_scope(user) (licensing officers see their own
agency's). The action's page links to its premises, its tasking and the
intelligence linked to the premises; that intelligence is shown only to
roles with record content, once the session has a reason, and is logged.
"""

from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.roles import MAP_READ_PERMISSION
from audit.consults import consulted, consults
from audit.justification import justification_required
from audit.models import AccessAction
from intelligence.selectors import record_has_content_access, record_list_for_location
from registers.core import Register, register_response, register_select

from ..filters import ActionFilter
from ..models import DisruptionAction
from ..selectors import disruption_scope
from ..tables import ActionTable

ACTIONS = Register(
    name="Actions register",
    filterset=ActionFilter,
    table=ActionTable,
    template="disruption/register.html",
    map_layer="actions",
    filename="disruption-actions",
    map_label=lambda a: f"{a.get_action_type_display()} · {a.occurred_at:%d %b %Y}",
)
RECORDS_SHOWN = 50


@require_GET
@permission_required("disruption.view_disruptionaction", raise_exception=True)
# Actions are not intelligence: only an export (a disclosure) is logged.
@consults(ACTIONS.name, action=AccessAction.EXPORTED)
def action_register(request: HttpRequest) -> HttpResponse:
    qs = disruption_scope(user=request.user).order_by("-occurred_at", "-id")
    selection = register_select(register=ACTIONS, request=request, qs=qs)
    return register_response(
        request,
        register=ACTIONS,
        selection=selection,
        context={"can_export": True},
    )


def _shows_records(user) -> bool:
    return record_has_content_access(user=user)


@require_GET
@permission_required(MAP_READ_PERMISSION, raise_exception=True)
@justification_required(_shows_records)
@consults("Disruption action page", denied_on=())
def action_page(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    try:
        action = disruption_scope(user=user).select_related("tasking").get(pk=pk)
    except DisruptionAction.DoesNotExist:
        raise Http404("No such action, or not one you may see.") from None
    records = None
    if action.location_id and record_has_content_access(user=user):
        records = list(
            record_list_for_location(user=user, location=action.location)[
                :RECORDS_SHOWN
            ]
        )
        consulted(
            request,
            what=f"Disruption action page: {action.location.name}"[:200],
            record_ids=[r.pk for r in records],
        )
    features = []
    if action.display_point is not None:
        features.append(
            {
                "point": [action.display_point.x, action.display_point.y],
                "label": action.get_action_type_display(),
                "approximate": action.position_approximate,
            }
        )
    return render(
        request,
        "disruption/action.html",
        {
            "action": action,
            "records": records,
            "can_see_tasking": user.has_perm("disruption.view_tasking"),
            "map_data": {"features": features},
        },
    )
