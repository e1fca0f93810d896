from django.contrib import admin
from django.urls import include, path

from common.health import healthz

urlpatterns = [
    path("", include("home.urls")),
    path("", include("maps.urls")),
    path("notifications/", include("notifications.urls")),
    path("locations/", include("locations.urls")),
    path("intelligence/", include("intelligence.urls")),
    path("disruption/", include("disruption.urls")),
    path("accounts/", include("accounts.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("intel_map.api_urls")),
    path("analysis/", include("analysis.urls")),
    path("access/", include("audit.urls")),
    path("", include("people.urls")),
    path("licensing/", include("licensing.urls")),
    path("safeguarding/", include("safeguarding.urls")),
    path("healthz", healthz, name="healthz"),
]

admin.site.site_header = "Intel Map administration"
admin.site.site_title = "Intel Map"

handler500 = "common.errors.server_error"
