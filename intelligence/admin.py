from django.contrib import admin
from django.shortcuts import redirect
from django.utils.decorators import method_decorator
from leaflet.admin import LeafletGeoAdmin

from audit.consults import consult_denied, consulted, consults
from audit.justification import justify_url, session_justification
from audit.models import AccessAction
from audit.web import record_id_asked
from common.admin_versions import VersionedAdminMixin
from history.admin import ChangeHistoryAdminMixin

from .models import IntelligenceLocationLink, IntelligenceRecord, RecordReview


class LinkInline(admin.TabularInline):
    model = IntelligenceLocationLink
    extra = 0
    raw_id_fields = ["location"]


@admin.register(IntelligenceRecord)
class IntelligenceRecordAdmin(
    ChangeHistoryAdminMixin, VersionedAdminMixin, LeafletGeoAdmin
):
    list_display = [
        "reference",
        "kind",
        "occurred_from",
        "grade",
        "source_type",
        "review_date",
    ]
    list_filter = [
        "kind",
        "grading_scheme",
        "source_evaluation",
        "intelligence_assessment",
        "handling_code",
        "source_type",
    ]
    search_fields = [
        "reference",
        "summary",
        "location_text",
        "subject_refs",
        "vehicle_marks",
    ]
    date_hierarchy = "occurred_from"
    readonly_fields = ["version", "created_by", "created_at", "updated_at", "area_ids"]
    inlines = [LinkInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "reference",
                    "kind",
                    "missing_point",
                    "occurred_from",
                    "occurred_to",
                    "received_on",
                    "source_type",
                ]
            },
        ),
        (
            "Grade",
            {
                "fields": [
                    "grading_scheme",
                    "source_evaluation",
                    "intelligence_assessment",
                    "handling_code",
                    "handling_conditions",
                ]
            },
        ),
        (
            "Content",
            {
                "fields": [
                    "summary",
                    "tags",
                    "vehicle_marks",
                    "subject_refs",
                    "crime_type",
                    "location_text",
                ]
            },
        ),
        ("Where", {"fields": ["point", "precision_m", "area_ids"]}),
        (
            "Record",
            {
                "fields": [
                    "review_date",
                    "source",
                    "source_id",
                    "version",
                    "created_by",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
    ]

    def has_delete_permission(self, request, obj=None):
        # Records leave only through a retention review (the review queue),
        # which keeps the decision; the database refuses any other delete.
        return False

    def get_queryset(self, request):
        return super().get_queryset(request) & IntelligenceRecord.objects.visible_to(
            request.user
        )

    # Every page of the admin that shows records asks for the session's
    # reason and writes the records it shows to the access log.

    @method_decorator(consults("Admin: intelligence records", denied_on=()))
    def changelist_view(self, request, extra_context=None):
        reason = session_justification(request)
        if reason is None:
            return redirect(justify_url(next_url=request.get_full_path()))
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            # The page's own (cached) result list: no query of its own.
            consulted(
                request,
                record_ids=[r.pk for r in changelist.result_list],
                justification=reason,
            )
        return response

    @method_decorator(
        consults("Admin: intelligence record", action=AccessAction.OPENED, denied_on=())
    )
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if object_id is None:  # adding a record shows none
            return super().changeform_view(request, object_id, form_url, extra_context)
        reason = session_justification(request)
        if reason is None:
            return redirect(justify_url(next_url=request.get_full_path()))
        asked = record_id_asked(object_id)
        if not asked or not self.get_queryset(request).filter(pk=asked[0]).exists():
            consult_denied(request, record_ids=asked)
        else:
            consulted(request, record_ids=asked, justification=reason)
        return super().changeform_view(request, object_id, form_url, extra_context)


@admin.register(RecordReview)
class RecordReviewAdmin(admin.ModelAdmin):
    """Retention decisions and disposal tombstones: read-only here, and
    append-only in the database."""

    list_display = [
        "reference",
        "kind",
        "decision",
        "review_due",
        "next_review_date",
        "reviewed_by",
        "reviewed_at",
    ]
    list_filter = ["decision", "kind"]
    search_fields = ["reference", "=record_id"]
    date_hierarchy = "reviewed_at"

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
