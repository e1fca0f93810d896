from django.urls import path

from .views import checks, imports, registers, reports

app_name = "licensing"

urlpatterns = [
    path("drivers/", registers.driver_register, name="drivers"),
    path("drivers/<int:pk>/", registers.driver_page, name="driver"),
    path("drivers/<int:pk>/decision/", registers.driver_act, name="driver-act"),
    path("vehicles/", registers.vehicle_register, name="vehicles"),
    path("vehicles/<int:pk>/", registers.vehicle_page, name="vehicle"),
    path("operators/", registers.operator_register, name="operators"),
    path("staff/", registers.staff_register, name="staff"),
    path("import/", imports.licence_import, name="import"),
    path("checks/new/", checks.taxi_check, name="check"),
    path(
        "prompts/<int:pk>/dismiss/",
        registers.prompt_dismiss_view,
        name="prompt-dismiss",
    ),
    path("reports/", reports.reports_page, name="reports"),
    path("reports/briefing.pdf", reports.reports_pdf, name="reports-pdf"),
]
