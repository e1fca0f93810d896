"""The safety-plan places layer of the map: live plans' trigger places,
labelled "Safety-plan place", for the police roles that answer the alerts
(and the practitioner). Never the child, the plan or its records."""

from django.urls import path
from django.utils.decorators import method_decorator
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.roles import MapReader
from audit.consults import consulted, consults
from audit.models import AccessAction
from locations.selectors import location_list_shown

from .selectors import alerts_can_view, safeguarding_can_view, trigger_places

PLACES_REASON_NOT_ASKED = (
    "Not asked: safety-plan places only, no child, plan or record shown"
)


class SafetyPlanPlacesView(APIView):
    permission_classes = [MapReader]

    # 404 to every role without safeguarding or safety-plan access.
    @extend_schema(responses={200: dict, 404: dict})
    @method_decorator(
        consults(
            "Safety-plan places",
            action=AccessAction.LISTED,
            unasked=PLACES_REASON_NOT_ASKED,
        )
    )
    def get(self, request):
        user = request.user
        if not (alerts_can_view(user=user) or safeguarding_can_view(user=user)):
            raise NotFound()
        # A protective place is never singled out at its exact position.
        places = location_list_shown(user=user, qs=trigger_places(user=user))
        consulted(request, count=0)
        return Response(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "geometry": {
                            "type": "Point",
                            "coordinates": [p.point.x, p.point.y],
                        },
                        "properties": {
                            "id": p.pk,
                            "name": p.name,
                            "label": "Safety-plan place",
                        },
                    }
                    for p in places
                ],
            }
        )


urlpatterns = [
    path(
        "safeguarding/places/",
        SafetyPlanPlacesView.as_view(),
        name="api-safety-plan-places",
    ),
]
