from django.urls import path

from . import pages, views

urlpatterns = [
    path("", pages.location_register, name="location-register"),
    path("new/", pages.premises_new, name="location-new"),
    path("postcode/", pages.location_postcode, name="location-postcode"),
    path("<int:pk>/", views.location_page, name="location-page"),
    path("<int:pk>/edit/", pages.premises_edit, name="location-edit"),
    path("<int:pk>/flag/", views.location_flag_submit, name="location-flag"),
    path("<int:pk>/log/", views.location_log_submit, name="location-log"),
]
