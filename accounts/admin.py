from axes.models import AccessAttempt
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User

from history.admin import ChangeHistoryAdminMixin

from .models import ApiToken, ApiTokenUse, Profile, SignInEvent
from .services import signin_unlock


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False


admin.site.unregister(User)


def _unlock(modeladmin, request, usernames) -> None:
    for username in sorted(set(usernames)):
        signin_unlock(username=username, by=request.user)
    modeladmin.message_user(
        request,
        f"Unlocked {len(set(usernames))} username(s); each unlock is recorded.",
        messages.SUCCESS,
    )


@admin.register(User)
class IntelMapUserAdmin(ChangeHistoryAdminMixin, UserAdmin):
    inlines = [ProfileInline]
    list_display = ["username", "first_name", "last_name", "agency", "is_active"]
    list_filter = ["groups", "profile__agency", "is_active"]
    actions = ["unlock_sign_in"]

    @admin.display(description="Agency", ordering="profile__agency")
    def agency(self, obj):
        return obj.profile.get_agency_display() if hasattr(obj, "profile") else ""

    @admin.action(
        description="Unlock sign-in (clear failed attempts)", permissions=["change"]
    )
    def unlock_sign_in(self, request, queryset):
        _unlock(self, request, queryset.values_list("username", flat=True))


class ReadOnlyAdmin(admin.ModelAdmin):
    """Append-only records: listed and read, never added, changed or deleted."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AccessAttempt)
class FailedSignInAdmin(ReadOnlyAdmin):
    """django-axes' failed sign-ins still inside the cool-off. Unlocking
    goes through signin_unlock, so it is recorded (axes' own admin is off)."""

    list_display = ["attempt_time", "username", "ip_address", "failures_since_start"]
    search_fields = ["username", "ip_address"]
    fields = ["attempt_time", "username", "ip_address", "user_agent", "path_info"]
    readonly_fields = fields
    actions = ["unlock"]

    @admin.action(
        description="Unlock these usernames (clear failed attempts)",
        permissions=["unlock"],
    )
    def unlock(self, request, queryset):
        _unlock(self, request, queryset.values_list("username", flat=True))

    def has_unlock_permission(self, request) -> bool:
        return request.user.has_perm("axes.delete_accessattempt")


@admin.register(SignInEvent)
class SignInEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "kind", "username", "ip", "detail", "by"]
    list_filter = ["kind"]
    search_fields = ["username"]
    fields = list_display
    readonly_fields = fields
    actions = None


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Everyone's tokens: an administrator revokes one by deleting it. No
    token is added here: a user issues their own from a session that has
    passed the second factor (/accounts/tokens/)."""

    list_display = ["name", "user", "scope", "token_key", "created", "expiry"]
    list_filter = ["scope"]
    search_fields = ["name", "token_key", "user__username"]
    fields = ["name", "user", "scope", "token_key", "created", "expiry"]
    readonly_fields = fields
    actions = ["revoke"]

    @admin.action(description="Revoke the selected tokens", permissions=["delete"])
    def revoke(self, request, queryset):
        revoked, _ = queryset.delete()
        self.message_user(request, f"Revoked {revoked} token(s).", messages.SUCCESS)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ApiTokenUse)
class ApiTokenUseAdmin(ReadOnlyAdmin):
    list_display = ["at", "username", "token_name", "scope", "method", "route", "ip"]
    list_filter = ["scope", "method"]
    search_fields = ["username", "token_key", "route"]
    show_full_result_count = False
    fields = [*list_display, "token_key", "user"]
    readonly_fields = fields
    actions = None
