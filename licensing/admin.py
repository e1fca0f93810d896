from django.contrib import admin

from history.admin import ChangeHistoryAdminMixin

from .models import (
    Driver,
    LicenceAction,
    LicensedVehicle,
    LicensingPrompt,
    Operator,
    StaffMember,
    TaxiCheck,
)


@admin.register(Operator)
class OperatorAdmin(ChangeHistoryAdminMixin, admin.ModelAdmin):
    list_display = ["licence_number", "name", "status", "expires_on", "base"]
    list_filter = ["status"]
    search_fields = ["=licence_number", "name"]
    raw_id_fields = ["base"]


@admin.register(Driver)
class DriverAdmin(ChangeHistoryAdminMixin, admin.ModelAdmin):
    list_display = ["licence_number", "name", "licence_type", "status", "expires_on"]
    list_filter = ["licence_type", "status"]
    search_fields = ["=licence_number", "name"]
    raw_id_fields = ["operator", "officer"]
    # Decisions go through the licence decision form (licensing.services),
    # so each has its reason, date and who decided.
    readonly_fields = ["status"]


@admin.register(LicensedVehicle)
class LicensedVehicleAdmin(ChangeHistoryAdminMixin, admin.ModelAdmin):
    list_display = ["plate_number", "vehicle", "licence_type", "status"]
    list_filter = ["licence_type", "status"]
    search_fields = ["=plate_number", "=vehicle__registration"]
    raw_id_fields = ["vehicle", "driver", "operator", "officer"]


@admin.register(StaffMember)
class StaffMemberAdmin(ChangeHistoryAdminMixin, admin.ModelAdmin):
    list_display = ["reference", "name", "kind", "directorate", "role"]
    list_filter = ["kind", "needs_enhanced_dbs"]
    search_fields = ["=reference", "name", "directorate"]


class RecordedOnlyAdmin(admin.ModelAdmin):
    """Written by the services with who and when; read here, never edited."""

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(LicenceAction)
class LicenceActionAdmin(RecordedOnlyAdmin):
    list_display = ["driver", "kind", "effective_on", "decided_by", "decided_at"]
    list_filter = ["kind"]


@admin.register(TaxiCheck)
class TaxiCheckAdmin(RecordedOnlyAdmin):
    list_display = ["action", "vehicle", "driver", "outcome", "status_when_checked"]
    list_filter = ["outcome"]


@admin.register(LicensingPrompt)
class LicensingPromptAdmin(RecordedOnlyAdmin):
    list_display = ["officer", "licensed_vehicle", "created_at", "seen_at"]
