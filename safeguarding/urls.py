from django.urls import path

from .views import alerts, masp, panels, reports, screening

app_name = "safeguarding"

urlpatterns = [
    path("", screening.index, name="index"),
    path("young-people/<int:pk>/", screening.young_person, name="young-person"),
    path("young-people/<int:pk>/screen/", screening.screen, name="screen"),
    path(
        "young-people/<int:pk>/safety-plan/",
        alerts.safety_plan_new,
        name="safety-plan-new",
    ),
    path("screenings/<int:pk>/", screening.screening, name="screening"),
    path("masp/", masp.queue, name="masp"),
    path("masp/episodes/<int:pk>/", masp.episode, name="episode"),
    path("panels/", panels.panels, name="panels"),
    path("panels/<int:pk>/", panels.panel, name="panel"),
    path("panels/<int:pk>/agenda.pdf", panels.panel_pack, name="panel-pack"),
    path("cases/<int:pk>/", panels.case, name="case"),
    path("alerts/", alerts.alerts, name="alerts"),
    path("alerts/<int:pk>/", alerts.alert, name="alert"),
    path("reports/", reports.reports, name="reports"),
    path("reports/safeguarding.pdf", reports.reports_pdf, name="reports-pdf"),
]
