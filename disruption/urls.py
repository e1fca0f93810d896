from django.urls import path

from .pages import actions, meetings, taskings

app_name = "disruption"

urlpatterns = [
    path("actions/", actions.action_register, name="actions"),
    path("actions/<int:pk>/", actions.action_page, name="action"),
]

# The tasking meeting and its taskings, served under /analysis/ with `analysis:`
# names (analysis.urls includes them): the paths officers have bookmarked and
# links in sent notifications keep working.
meeting_urlpatterns = [
    path("meetings/", meetings.meeting_list, name="meetings"),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/map.png", meetings.meeting_map, name="meeting-map"),
    path("meetings/<int:pk>/briefing.pdf", meetings.meeting_briefing, name="briefing"),
    path("meetings/<int:pk>/taskings/new/", taskings.tasking_new, name="tasking-new"),
    path("taskings/<int:pk>/", taskings.tasking_detail, name="tasking"),
    path("taskings/<int:pk>/close/", taskings.tasking_close_view, name="tasking-close"),
]
