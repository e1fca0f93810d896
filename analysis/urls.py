from django.urls import path

from disruption.urls import meeting_urlpatterns

from .views import analyses, clocks, hotspots, index, problems, reports, wdq

app_name = "analysis"

urlpatterns = [
    path("", index.analysis_index, name="index"),
    path("hotspots/", hotspots.hotspot_list, name="hotspots"),
    path("hotspots/map.png", hotspots.hotspot_map, name="hotspot-map"),
    # The tasking meeting's pages are disruption's (disruption.pages).
    *meeting_urlpatterns,
    path("clocks/", clocks.clock_dashboard, name="clocks"),
    path("did-it-work/<int:pk>/", wdq.did_it_work, name="did-it-work"),
    path("reports/", reports.report_index, name="reports"),
    path("reports/<slug:slug>.csv", reports.report_csv, name="report-csv"),
    path("reports/chart/<slug:slug>.png", reports.report_chart, name="report-chart"),
    path("near-repeat/", analyses.near_repeat, name="near-repeat"),
    path("when/", analyses.when, name="when"),
    path("period-change/", analyses.period_change, name="period-change"),
    path("period-change/map.png", analyses.period_change_map, name="period-change-map"),
    path("repeat-locations/", analyses.repeat_locations, name="repeat-locations"),
    path("problems/", problems.problem_index, name="problems"),
    path("problems/<int:pk>/", problems.problem_page, name="problem"),
    path("problems/<int:pk>/profile.pdf", problems.problem_export, name="problem-pdf"),
    path(
        "problems/<int:pk>/taskings/",
        problems.problem_tasking_add,
        name="problem-tasking",
    ),
]
