from django.urls import path

from . import api

urlpatterns = [
    path("hotspots/", api.HotspotAPI.as_view(), name="api-hotspots"),
    path("did-it-work/", api.DidItWorkAPI.as_view(), name="api-did-it-work"),
    path("legal-clocks/", api.LegalClockAPI.as_view(), name="api-legal-clocks"),
]
