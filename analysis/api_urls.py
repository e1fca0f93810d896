from django.urls import path

from common.db.router import standby_reads

from . import api, api_analyses

urlpatterns = [
    path("hotspots/", standby_reads(api.HotspotAPI.as_view()), name="api-hotspots"),
    path("did-it-work/", api.DidItWorkAPI.as_view(), name="api-did-it-work"),
    path("legal-clocks/", api.LegalClockAPI.as_view(), name="api-legal-clocks"),
    path(
        "analysis/near-repeat/",
        standby_reads(api_analyses.NearRepeatAPI.as_view()),
        name="api-near-repeat",
    ),
    path(
        "analysis/when/",
        standby_reads(api_analyses.WhenAPI.as_view()),
        name="api-when",
    ),
    path(
        "analysis/period-change/",
        standby_reads(api_analyses.PeriodChangeAPI.as_view()),
        name="api-period-change",
    ),
    path(
        "analysis/repeat-locations/",
        standby_reads(api_analyses.RepeatLocationsAPI.as_view()),
        name="api-repeat-locations",
    ),
]
