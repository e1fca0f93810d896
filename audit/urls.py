from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [path("justify/", views.justify, name="justify")]
