from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path("", include("maps.urls")),
    path("locations/", include("locations.urls")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("intel_map.api_urls")),
    path("analysis/", include("analysis.urls")),
    path("access/", include("audit.urls")),
]

admin.site.site_header = "Intel Map administration"
admin.site.site_title = "Intel Map"
