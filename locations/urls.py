from django.urls import path

from . import views

urlpatterns = [
    path("<int:pk>/", views.location_page, name="location-page"),
    path("<int:pk>/flag/", views.location_flag_submit, name="location-flag"),
    path("<int:pk>/log/", views.location_log_submit, name="location-log"),
]
