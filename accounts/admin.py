from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User

from history.admin import ChangeHistoryAdminMixin

from .models import Profile


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False


admin.site.unregister(User)


@admin.register(User)
class IntelMapUserAdmin(ChangeHistoryAdminMixin, UserAdmin):
    inlines = [ProfileInline]
    list_display = ["username", "first_name", "last_name", "agency", "is_active"]
    list_filter = ["groups", "profile__agency", "is_active"]

    @admin.display(description="Agency", ordering="profile__agency")
    def agency(self, obj):
        return obj.profile.get_agency_display() if hasattr(obj, "profile") else ""
