"""The access log in the admin: administrators only, read-only, searchable by
user, record id and date range, exported as CSV."""

from datetime import UTC

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.urls import path
from django.utils import timezone

from accounts.reauth import export_reauth_redirect
from accounts.roles import ADMINISTRATOR
from common.exports import csv_response

from .forms import AccessLogSearchForm
from .models import AccessLogEntry
from .selectors import ACCESS_LOG_CSV_HEADER, access_log_csv_rows, access_log_search

SEARCH_PARAMS = ("user", "record", "since", "until")


def is_administrator(user) -> bool:
    return user.is_active and (
        user.is_superuser or user.groups.filter(name=ADMINISTRATOR).exists()
    )


class AccessLogSearchFilter(admin.ListFilter):
    """User, record id and a UTC date range, as one small form."""

    title = "search the log"
    template = "admin/audit/accesslogentry/search_filter.html"

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        values = {}
        for name in SEARCH_PARAMS:
            if name in params:
                value = params.pop(name)
                values[name] = value[-1] if isinstance(value, list) else value
        self.form = AccessLogSearchForm(values or None)
        self.hidden = [
            (k, v)
            for k, vs in request.GET.lists()
            if k not in SEARCH_PARAMS and k != "p"
            for v in vs
        ]

    def has_output(self) -> bool:
        return True

    def expected_parameters(self) -> list[str]:
        return list(SEARCH_PARAMS)

    def queryset(self, request, queryset):
        if not self.form.is_bound:
            return queryset
        if not self.form.is_valid():
            # The form says what is wrong; show nothing rather than everything.
            return queryset.none()
        return access_log_search(qs=queryset, **self.form.search_kwargs())

    def choices(self, changelist):
        yield {"form": self.form, "hidden": self.hidden}


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(admin.ModelAdmin):
    list_display = ["at_utc", "username", "action", "what", "records", "justification"]
    list_filter = [AccessLogSearchFilter, "action"]
    search_fields = ["justification", "what"]
    list_select_related = False
    show_full_result_count = False
    actions = None
    fields = [
        "at_utc",
        "username",
        "user",
        "action",
        "what",
        "route",
        "record_ids",
        "count",
        "justification",
        "ip",
    ]
    readonly_fields = fields

    @admin.display(description="at (UTC)", ordering="at")
    def at_utc(self, obj) -> str:
        # The log's times are UTC, whatever the site's time zone.
        return obj.at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")

    @admin.display(description="records")
    def records(self, obj) -> str:
        ids = obj.record_ids
        shown = ", ".join(str(i) for i in ids[:10])
        return shown + (f" … ({obj.count})" if len(ids) > 10 else "")

    def has_module_permission(self, request) -> bool:
        return is_administrator(request.user) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return is_administrator(request.user) and super().has_view_permission(
            request, obj
        )

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_urls(self):
        return [
            path(
                "export.csv",
                self.admin_site.admin_view(self.export_csv),
                name="audit_accesslogentry_export",
            ),
            *super().get_urls(),
        ]

    def export_csv(self, request):
        """The entries the changelist shows (same search and filters), as CSV."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        if (confirm := export_reauth_redirect(request)) is not None:
            return confirm
        form = AccessLogSearchForm(
            {k: request.GET[k] for k in SEARCH_PARAMS if k in request.GET} or None
        )
        if form.is_bound and not form.is_valid():
            errors = "; ".join(
                f"{field}: {' '.join(msgs)}" for field, msgs in form.errors.items()
            )
            return HttpResponse(errors, status=400, content_type="text/plain")
        changelist = self.get_changelist_instance(request)
        stamp = timezone.now().astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
        return csv_response(
            filename=f"access-log-{stamp}.csv",
            header=ACCESS_LOG_CSV_HEADER,
            rows=access_log_csv_rows(qs=changelist.get_queryset(request)),
        )
