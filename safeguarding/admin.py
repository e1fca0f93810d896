from django.contrib import admin

from .models import (
    Indicator,
    IndicatorSet,
    PanelCase,
    SafetyPlan,
    SafetyPlanAlert,
    Screening,
)


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0


@admin.register(IndicatorSet)
class IndicatorSetAdmin(admin.ModelAdmin):
    """A partnership adopts its regional tool as a new version; versions a
    screening used are kept (the screening protects them)."""

    list_display = ["version", "name", "current", "created_at"]
    inlines = [IndicatorInline]


@admin.register(Screening)
class ScreeningAdmin(admin.ModelAdmin):
    list_display = ["subject", "screened_at", "computed_outcome", "outcome"]
    list_filter = ["outcome", "indicator_set"]
    readonly_fields = [f.name for f in Screening._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(SafetyPlan)
class SafetyPlanAdmin(admin.ModelAdmin):
    list_display = ["subject", "starts_on", "ends_on", "police_contact"]


@admin.register(SafetyPlanAlert)
class SafetyPlanAlertAdmin(admin.ModelAdmin):
    list_display = ["plan", "record", "raised_at", "acknowledged_at"]
    readonly_fields = [f.name for f in SafetyPlanAlert._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(PanelCase)
class PanelCaseAdmin(admin.ModelAdmin):
    list_display = ["panel", "subject", "risk_level", "next_review", "closed_at"]
    list_filter = ["panel", "risk_level"]
