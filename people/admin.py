from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from history.admin import ChangeHistoryAdminMixin

from .models import Link, LinkRecord, Subject, Vehicle
from .registration import registration_clean
from .services import subject_reference_next


@admin.register(Subject)
class SubjectAdmin(ChangeHistoryAdminMixin, admin.ModelAdmin):
    list_display = ["reference", "kind", "age_band", "agency", "review_date"]
    list_filter = ["kind", "age_band", "agency", "forum"]
    search_fields = ["=reference", "=former_ref", "=system_ref"]
    readonly_fields = ["reference", "created_by", "created_at", "updated_at"]

    def save_model(self, request, obj, form, change):
        # A new profile's reference comes from the sequence, never typed.
        if not change:
            obj.reference = subject_reference_next()
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


class VehicleForm(forms.ModelForm):
    class Meta:
        model = Vehicle
        fields = [
            "registration",
            "make",
            "model",
            "colour",
            "plate_kind",
            "plate_number",
        ]

    def clean_registration(self) -> str:
        try:
            mark, self._mark_format = registration_clean(
                self.cleaned_data["registration"]
            )
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["registration"]) from None
        return mark

    def save(self, commit=True):
        self.instance.mark_format = self._mark_format
        return super().save(commit=commit)


@admin.register(Vehicle)
class VehicleAdmin(ChangeHistoryAdminMixin, admin.ModelAdmin):
    form = VehicleForm
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

    def has_add_permission(self, request):
        # A link is made resting on its records (people.services.link_create),
        # never bare.
        return False
