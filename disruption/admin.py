from django.contrib import admin
from leaflet.admin import LeafletGeoAdmin

from common.admin_versions import VersionedAdminMixin, VersionedInlineForm
from history.admin import ChangeHistoryAdminMixin

from .models import DisruptionAction, Tasking, TaskingMeeting


class TaskingInline(admin.TabularInline):
    model = Tasking
    form = VersionedInlineForm
    extra = 0
    fields = [
        "target_location",
        "reason",
        "priority",
        "owner_agency",
        "owner_officer",
        "due_date",
        "status",
        "seen_version",
    ]
    raw_id_fields = ["target_location", "owner_officer"]


@admin.register(TaskingMeeting)
class TaskingMeetingAdmin(ChangeHistoryAdminMixin, admin.ModelAdmin):
    list_display = ["held_on", "group", "chair"]
    list_filter = ["group"]
    date_hierarchy = "held_on"
    inlines = [TaskingInline]


@admin.register(Tasking)
class TaskingAdmin(ChangeHistoryAdminMixin, VersionedAdminMixin, LeafletGeoAdmin):
    list_display = [
        "__str__",
        "meeting",
        "priority",
        "owner_agency",
        "due_date",
        "status",
    ]
    list_filter = ["status", "priority", "owner_agency", "meeting__group"]
    search_fields = ["reason", "target_location__name", "target_description"]
    raw_id_fields = ["target_location", "target_area", "owner_officer", "carried_from"]
    date_hierarchy = "due_date"
    readonly_fields = ["version"]


@admin.register(DisruptionAction)
class DisruptionActionAdmin(
    ChangeHistoryAdminMixin, VersionedAdminMixin, LeafletGeoAdmin
):
    list_display = [
        "action_type",
        "location",
        "agency",
        "occurred_at",
        "outcome",
        "expires_at",
    ]
    list_filter = ["action_type", "outcome", "agency", "sector"]
    search_fields = ["location__name", "notes", "authorised_by"]
    raw_id_fields = ["location", "area", "officer", "tasking"]
    date_hierarchy = "occurred_at"
    readonly_fields = ["area_ids", "created_at", "version"]
