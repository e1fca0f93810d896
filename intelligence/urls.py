from django.urls import path

from . import pages, views
from .intake import views as intake
from .triage import views as triage

app_name = "intelligence"

urlpatterns = [
    path("", pages.record_register, name="register"),
    path("<int:pk>/", pages.record_page, name="record"),
    path("reviews/", views.review_queue, name="review-queue"),
    path("reviews/<int:pk>/", views.review_page, name="review"),
    path("reviews/<int:pk>/retain/", views.review_retain, name="review-retain"),
    path("reviews/<int:pk>/dispose/", views.review_dispose, name="review-dispose"),
    # Submitting intelligence, and the submitter's own submissions.
    path("new/", intake.submit, name="submit"),
    path("new/premises/", intake.premises_lookup, name="premises-search"),
    path("new/postcode/", intake.postcode_lookup, name="postcode-lookup"),
    path("submissions/", intake.submissions, name="submissions"),
    path("submissions/<int:pk>/", intake.submission, name="submission"),
    # Triage: analysts grade, link and merge what was submitted.
    path("triage/", triage.queue, name="triage"),
    path("triage/<int:pk>/", triage.record, name="triage-record"),
    path("triage/<int:pk>/link/", triage.link, name="triage-link"),
    path("triage/<int:pk>/duplicate/", triage.duplicate, name="triage-duplicate"),
]
