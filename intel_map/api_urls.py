"""Version 1 of the API: each app adds its routes here."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

urlpatterns = [
    path("", include("locations.api")),
    path("", include("intelligence.api")),
    path("", include("disruption.api")),
    path("", include("maps.api")),
    path("", include("analysis.api_urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"
    ),
]
