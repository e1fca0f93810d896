from django import forms
from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html

from history.admin import ChangeHistoryAdminMixin
from locations.models import AreaType, Category, Postcode

from .models import ImportFormat, ImportRun
from .services.runs import import_run_upload


class ImportRunForm(forms.ModelForm):
    upload = forms.FileField(
        help_text="FHRS XML; OpenStreetMap GeoJSON; boundaries as GeoJSON or a zipped "
        "shapefile (.shp, .shx, .dbf, .prj); postcode CSV; police.uk crime CSV."
    )
    dry_run = forms.BooleanField(
        required=False, help_text="Do everything and report, but save nothing."
    )
    types = forms.MultipleChoiceField(
        choices=Category.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="FHRS: keep only these categories (none ticked: keep all).",
    )
    shops = forms.BooleanField(required=False, help_text="OpenStreetMap: also shop=*.")
    area_type = forms.ChoiceField(
        choices=[("", "—"), *AreaType.choices], required=False, label="Area type"
    )
    code_field = forms.CharField(required=False, help_text="Boundaries: e.g. WD13CD.")
    name_field = forms.CharField(required=False, help_text="Boundaries: e.g. WD13NM.")
    srid = forms.IntegerField(
        required=False,
        label="SRID",
        help_text="Boundaries: the EPSG code when the file does not say (27700 for "
        "British National Grid).",
    )
    inside_areas = forms.BooleanField(
        required=False, help_text="police.uk: keep only crimes inside a loaded area."
    )

    class Meta:
        model = ImportRun
        fields = ["format"]

    def clean(self):
        data = super().clean()
        if data.get("format") == ImportFormat.AREAS:
            for name in ("area_type", "code_field", "name_field"):
                if not data.get(name):
                    self.add_error(name, "Needed for boundaries.")
        return data

    def import_options(self) -> dict:
        d = self.cleaned_data
        fmt = d["format"]
        if fmt == ImportFormat.FHRS:
            return {"types": list(d["types"])}
        if fmt == ImportFormat.OSM:
            return {"shops": d["shops"]}
        if fmt == ImportFormat.AREAS:
            return {
                "area_type": d["area_type"],
                "code_field": d["code_field"],
                "name_field": d["name_field"],
                "srid": d["srid"],
            }
        if fmt == ImportFormat.INCIDENTS:
            return {"inside_areas": d["inside_areas"]}
        return {}


@admin.register(ImportRun)
class ImportRunAdmin(ChangeHistoryAdminMixin, admin.ModelAdmin):
    list_display = [
        "created_at",
        "format",
        "file_name",
        "dry_run",
        "succeeded",
        "created_by",
        "summary",
    ]
    list_filter = ["format", "succeeded", "dry_run"]
    readonly_fields = [
        "format",
        "file_name",
        "options",
        "dry_run",
        "succeeded",
        "created_by",
        "created_at",
        "report_view",
    ]
    fields = readonly_fields

    @admin.display(description="Result")
    def summary(self, run: ImportRun) -> str:
        return (
            run.report_text.split("\n")[1].strip()
            if "\n" in run.report_text
            else run.report_text
        )

    @admin.display(description="Report")
    def report_view(self, run: ImportRun) -> str:
        return format_html('<pre class="import-report">{}</pre>', run.report_text)

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = ImportRunForm
            kwargs["fields"] = None
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return [
                "format", "upload", "dry_run", "types", "shops", "area_type",
                "code_field", "name_field", "srid", "inside_areas",
            ]  # fmt: skip
        return self.fields

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj else []

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        run = import_run_upload(
            user=request.user,
            fmt=form.cleaned_data["format"],
            upload=form.cleaned_data["upload"],
            options=form.import_options(),
            dry_run=form.cleaned_data["dry_run"],
        )
        # The service saved the run; the admin goes on with that row.
        for f in ImportRun._meta.concrete_fields:
            setattr(obj, f.attname, getattr(run, f.attname))

    def save_related(self, request, form, formsets, change):
        pass

    def response_add(self, request, obj, post_url_continue=None):
        level = messages.SUCCESS if obj.succeeded else messages.ERROR
        first = obj.report_text.split("\n")
        self.message_user(request, " ".join(line.strip() for line in first[:2]), level)
        return HttpResponseRedirect(
            reverse("admin:imports_importrun_change", args=[obj.pk])
        )


@admin.register(Postcode)
class PostcodeAdmin(admin.ModelAdmin):
    search_fields = ["postcode"]
    list_display = ["__str__", "point"]
    list_per_page = 50
