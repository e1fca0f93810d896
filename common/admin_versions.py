"""Two administrators editing the same record: the second save is refused
with a message, their entries still on the form, instead of silently
overwriting the first (common/versions.py)."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import F

from .versions import StaleEdit, version_check


class VersionedAdminMixin:
    change_form_template = "admin/versioned_change_form.html"

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        if obj is None:
            return form_class
        what = self.model._meta.verbose_name

        class VersionedForm(form_class):
            def clean(self):
                cleaned = super().clean()
                try:
                    seen = int(self.data.get("seen_version"))
                except (TypeError, ValueError):
                    seen = None
                try:
                    version_check(
                        model=type(self.instance),
                        pk=self.instance.pk,
                        seen=seen,
                        what=what,
                    )
                except StaleEdit as exc:
                    raise ValidationError(str(exc)) from None
                return cleaned

        return VersionedForm

    def render_change_form(self, request, context, *args, **kwargs):
        # A refused save keeps the version it was based on, so saving again
        # without reloading is refused again.
        if request.method == "POST" and "seen_version" in request.POST:
            context["seen_version"] = request.POST["seen_version"]
        return super().render_change_form(request, context, *args, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:
            obj.version = F("version") + 1
        super().save_model(request, obj, form, change)
        if change:
            obj.refresh_from_db(fields=["version"])


class VersionedInlineForm(forms.ModelForm):
    """The same refusal for a record edited as a row of another's page (a
    meeting's taskings): the row carries the version it was drawn with."""

    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["seen_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and self.has_changed():
            try:
                version_check(
                    model=type(self.instance),
                    pk=self.instance.pk,
                    seen=cleaned.get("seen_version"),
                    what=self._meta.model._meta.verbose_name,
                )
            except StaleEdit as exc:
                raise ValidationError(str(exc)) from None
        return cleaned

    def save(self, commit=True):
        bump = self.instance.pk and self.has_changed()
        if bump:
            self.instance.version = F("version") + 1
        obj = super().save(commit=commit)
        if bump and commit:
            obj.refresh_from_db(fields=["version"])
        return obj
