from django.urls import path

from . import views, views_chart

app_name = "people"

urlpatterns = [
    path("people/subjects/", views.subject_register, name="subjects"),
    path("people/subjects/<int:pk>/", views.subject_page, name="subject"),
    path(
        "people/subjects/<int:pk>/review/", views.subject_review, name="subject-review"
    ),
    path("people/vehicles/", views.vehicle_register, name="vehicles"),
    path("people/vehicles/<int:pk>/", views.vehicle_page, name="vehicle"),
    # The link chart (Cytoscape.js): its data comes from the graph API.
    path("links/", views_chart.link_chart, name="link_chart"),
]
