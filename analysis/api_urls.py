from django.urls import path

from common.db.router import standby_reads

from . import api

urlpatterns = [
    path("hotspots/", standby_reads(api.HotspotAPI.as_view()), name="api-hotspots"),
    path("did-it-work/", api.DidItWorkAPI.as_view(), name="api-did-it-work"),
    path("legal-clocks/", api.LegalClockAPI.as_view(), name="api-legal-clocks"),
]
