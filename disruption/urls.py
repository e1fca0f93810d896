from django.urls import path

from . import pages

app_name = "disruption"

urlpatterns = [
    path("actions/", pages.action_register, name="actions"),
    path("actions/<int:pk>/", pages.action_page, name="action"),
]
