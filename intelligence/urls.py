from django.urls import path

from . import pages, views

app_name = "intelligence"

urlpatterns = [
    path("", pages.record_register, name="register"),
    path("<int:pk>/", pages.record_page, name="record"),
    path("reviews/", views.review_queue, name="review-queue"),
    path("reviews/<int:pk>/", views.review_page, name="review"),
    path("reviews/<int:pk>/retain/", views.review_retain, name="review-retain"),
    path("reviews/<int:pk>/dispose/", views.review_dispose, name="review-dispose"),
]
