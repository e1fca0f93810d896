from django.contrib import admin
from leaflet.admin import LeafletGeoAdmin

from common.admin_versions import VersionedAdminMixin
from history.admin import ChangeHistoryAdminMixin

from .models import Area, AreaCommittee, ConcernFlag, Location


class ConcernFlagInline(admin.TabularInline):
    """The concern history, read-only: flags are raised and cleared through
    the location page, which keeps the location's current level in step."""

    model = ConcernFlag
    extra = 0
    can_delete = False
    fields = [
        "created_at",
        "action",
        "risk_level",
        "reason",
        "review_date",
        "agency",
        "created_by",
    ]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Location)
class LocationAdmin(ChangeHistoryAdminMixin, VersionedAdminMixin, LeafletGeoAdmin):
    list_display = [
        "name",
        "category",
        "postcode",
        "concern_level",
        "concern_review_date",
        "source",
    ]
    list_filter = ["category", "concern_level", "source"]
    search_fields = [
        "name",
        "address",
        "postcode",
        "premises_licence_number",
        "licence_holder",
        "fhrs_id",
        "=uprn",
    ]
    readonly_fields = [
        "areas",
        "concern_level",
        "concern_review_date",
        "version",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (None, {"fields": ["name", "category", "address", "postcode", "uprn"]}),
        ("Where", {"fields": ["point", "footprint", "areas"]}),
        (
            "Licences",
            {
                "fields": [
                    "premises_licence_number",
                    "licence_holder",
                    "fhrs_id",
                    "fhrs_rating",
                ]
            },
        ),
        ("Concern", {"fields": ["concern_level", "concern_review_date"]}),
        (
            "Record",
            {"fields": ["source", "source_id", "version", "created_at", "updated_at"]},
        ),
    ]
    inlines = [ConcernFlagInline]

    @admin.display(description="Areas (from the point)")
    def areas(self, obj: Location) -> str:
        names = Area.objects.filter(id__in=obj.area_ids).values_list(
            "name", "area_type"
        )
        return ", ".join(f"{n} ({t})" for n, t in names) or "None"


@admin.register(Area)
class AreaAdmin(ChangeHistoryAdminMixin, LeafletGeoAdmin):
    list_display = ["name", "code", "area_type"]
    list_filter = ["area_type"]
    search_fields = ["name", "code"]


@admin.register(ConcernFlag)
class ConcernFlagAdmin(ChangeHistoryAdminMixin, admin.ModelAdmin):
    list_display = [
        "location",
        "action",
        "risk_level",
        "review_date",
        "agency",
        "created_by",
        "created_at",
    ]
    list_filter = ["action", "risk_level", "agency"]
    search_fields = ["location__name", "reason"]
    raw_id_fields = ["location", "created_by"]
    date_hierarchy = "created_at"


@admin.register(AreaCommittee)
class AreaCommitteeAdmin(admin.ModelAdmin):
    """Committees are chosen on the reports page (/analysis/reports/)."""

    list_display = ["name", "ward_names"]
    search_fields = ["name", "wards__name", "wards__code"]
    filter_horizontal = ["wards"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("wards")

    @admin.display(description="Wards")
    def ward_names(self, obj) -> str:
        return ", ".join(w.name for w in obj.wards.all())
