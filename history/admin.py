"""The change history in the admin, read-only: each tracked model's "History"
page shows who changed what, and every event table has its own list."""

import pghistory.models
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.html import format_html_join

from intelligence.models import IntelligenceRecord

from .selectors import HistorySource, change_history

# Apps whose models keep history (history.tracking.tracked).
DOMAIN_APPS = (
    "accounts",
    "locations",
    "intelligence",
    "disruption",
    "imports",
    "people",
    "licensing",
)


def event_models() -> list[type[pghistory.models.Event]]:
    return [
        m
        for m in apps.get_models()
        if issubclass(m, pghistory.models.Event) and m._meta.app_label in DOMAIN_APPS
    ]


def event_model_for(model) -> type[pghistory.models.Event] | None:
    concrete = model._meta.concrete_model
    for event_model in event_models():
        if event_model.pgh_tracked_model._meta.concrete_model is concrete:
            return event_model
    return None


class ChangeHistoryAdminMixin:
    """Replaces the admin's "History" page (Django's own log, which sees only
    edits made in the admin) with the history the database keeps of every
    change, however it was made."""

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is None or not self.has_view_or_change_permission(request, obj):
            raise Http404("No such object, or not one you may see.")
        event_model = event_model_for(self.model)
        changes = change_history(
            sources=[
                HistorySource(
                    str(self.model._meta.verbose_name).capitalize(),
                    event_model.objects.filter(pgh_obj_id=obj.pk),
                )
            ]
        )
        context = {
            **self.admin_site.each_context(request),
            "title": f"Change history: {obj}",
            "subtitle": None,
            "object": obj,
            "opts": self.model._meta,
            "module_name": str(self.model._meta.verbose_name_plural).capitalize(),
            "changes": changes,
            **(extra_context or {}),
        }
        return TemplateResponse(request, "history/admin_object_history.html", context)


class EventAdmin(admin.ModelAdmin):
    """One event table, read-only: history is never edited by hand."""

    list_display = ["pgh_created_at", "pgh_label", "pgh_obj_id", "who", "url"]
    list_filter = ["pgh_label"]
    date_hierarchy = "pgh_created_at"
    list_select_related = ["pgh_context"]
    ordering = ["-pgh_id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields] + ["changes"]

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        # An intelligence record's history is its content: only for users
        # who may see the record (IntelligenceRecord.objects.visible_to).
        tracked = self.model.pgh_tracked_model
        visible = IntelligenceRecord.objects.visible_to(request.user).values("pk")
        if tracked is IntelligenceRecord:
            qs = qs.filter(pgh_obj_id__in=visible)
        elif hasattr(self.model, "record"):
            qs = qs.filter(record_id__in=visible)
        return qs

    @admin.display(description="Who")
    def who(self, event) -> str:
        context = event.pgh_context.metadata if event.pgh_context_id else {}
        user = get_user_model().objects.filter(pk=context.get("user")).first()
        return (user.get_full_name() or user.username) if user else "System"

    @admin.display(description="Where")
    def url(self, event) -> str:
        context = event.pgh_context.metadata if event.pgh_context_id else {}
        return context.get("url") or ""

    @admin.display(description="What changed")
    def changes(self, event) -> str:
        history = change_history(
            sources=[
                HistorySource(
                    "",
                    self.model.objects.filter(
                        pgh_obj_id=event.pgh_obj_id, pgh_id__lte=event.pgh_id
                    ),
                )
            ]
        )
        mine = next((c for c in history if c.event_id == event.pgh_id), None)
        if mine is None or not mine.changes:
            return "—"
        return format_html_join(
            "\n",
            "<div>{}: {} → {}</div>",
            ((c.field, c.old, c.new) for c in mine.changes),
        )


for _event_model in event_models():
    admin.site.register(_event_model, EventAdmin)
