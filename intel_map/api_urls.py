"""Version 1 of the API: each app adds its routes here."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from maps.cache import heatmap_cached

urlpatterns = [
    path("", include("locations.api")),
    path("", include("intelligence.api")),
    path("", include("disruption.api")),
    # Whole-city heat maps from the shared cache (maps/cache.py); listed
    # before the map's own routes so it answers /heatmap/.
    path("heatmap/", heatmap_cached),
    path("", include("maps.api")),
    path("", include("analysis.api_urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"
    ),
]
