from django.contrib import admin

from history.admin import ChangeHistoryAdminMixin

from .models import Link, LinkRecord, Subject, Vehicle


@admin.register(Subject)
class SubjectAdmin(ChangeHistoryAdminMixin, admin.ModelAdmin):
    list_display = ["reference", "kind", "age_band", "agency", "review_date"]
    list_filter = ["kind", "age_band", "agency", "forum"]
    search_fields = ["=reference", "=former_ref", "=system_ref"]
    readonly_fields = ["reference", "created_by", "created_at", "updated_at"]


@admin.register(Vehicle)
class VehicleAdmin(ChangeHistoryAdminMixin, admin.ModelAdmin):
    list_display = ["registration", "mark_format", "make", "model", "colour"]
    list_filter = ["mark_format", "plate_kind"]
    search_fields = ["registration", "plate_number"]
    readonly_fields = ["created_by", "created_at", "updated_at"]


class LinkRecordInline(admin.TabularInline):
    model = LinkRecord
    extra = 0
    raw_id_fields = ["record"]


@admin.register(Link)
class LinkAdmin(admin.ModelAdmin):
    list_display = ["id", "link_type", "subject", "vehicle", "location", "record"]
    list_filter = ["link_type"]
    raw_id_fields = ["subject", "other_subject", "vehicle", "location", "record"]
    readonly_fields = ["a_node", "b_node", "created_by", "created_at"]
    inlines = [LinkRecordInline]
