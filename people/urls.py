from django.urls import path

from . import pages, views, views_chart

app_name = "people"

urlpatterns = [
    path("people/subjects/", views.subject_register, name="subjects"),
    path("people/subjects/new/", pages.subject_new, name="subject-new"),
    path("people/subjects/<int:pk>/", views.subject_page, name="subject"),
    path("people/subjects/<int:pk>/edit/", pages.subject_edit, name="subject-edit"),
    path(
        "people/subjects/<int:pk>/review/", views.subject_review, name="subject-review"
    ),
    path("people/vehicles/", views.vehicle_register, name="vehicles"),
    path("people/vehicles/new/", pages.vehicle_new, name="vehicle-new"),
    path("people/vehicles/<int:pk>/", views.vehicle_page, name="vehicle"),
    path("people/vehicles/<int:pk>/edit/", pages.vehicle_edit, name="vehicle-edit"),
    path("people/links/new/", pages.link_new, name="link-new"),
    path("people/links/<int:pk>/remove/", pages.link_remove_page, name="link-remove"),
    # The link chart (Cytoscape.js): its data comes from the graph API.
    path("links/", views_chart.link_chart, name="link_chart"),
]
