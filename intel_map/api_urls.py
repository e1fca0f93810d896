"""Version 1 of the API: each app adds its routes here."""

from django.urls import include, path, re_path
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.decorators import api_view
from rest_framework.exceptions import NotFound
from rest_framework.routers import DefaultRouter

from accounts.models import TokenScope
from accounts.tokens import token_scopes
from disruption.api import ActionViewSet
from intelligence.api import RecordViewSet
from locations.api import LocationViewSet

# The one router of the API's viewsets; the apps' other routes are included
# below. No root view: /api/v1/ answers as an unknown address.
router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("locations", LocationViewSet, basename="api-location")
router.register("intelligence", RecordViewSet, basename="api-intelligence")
router.register("disruptions", ActionViewSet, basename="api-disruption")


# An address no route takes shows nothing: 404 to a token of any scope.
@extend_schema(exclude=True)
@token_scopes(*TokenScope.values)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE"])
def api_not_found(request):
    raise NotFound()


urlpatterns = [
    path("", include(router.urls)),
    path("", include("maps.api")),
    path("", include("analysis.api_urls")),
    path("", include("audit.api")),
    path("", include("people.api")),
    path("", include("licensing.api")),
    path("", include("safeguarding.api")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script as a file of its
    # own, so the page runs under a Content-Security-Policy without inline
    # scripts.
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema"),
        name="api-docs",
    ),
    # Last: an address no route takes (or an id no route's pattern takes,
    # e.g. /locations/1.5/) answers as the API does, in JSON, not with the
    # site's HTML page. Only with a trailing slash, so that without one
    # Django's APPEND_SLASH still redirects.
    re_path(r"^.*/$", api_not_found),
]
