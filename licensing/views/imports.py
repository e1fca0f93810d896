"""Importing a council's register from the browser: upload, preview (a dry
run that writes nothing), then import the same file."""

import tempfile
from contextlib import contextmanager
from pathlib import Path

import pghistory
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from imports.services.licences import (
    STAFF,
    ColumnMap,
    column_map_default,
    column_map_read,
    licences_import,
)
from imports.services.report import ImportFileError

from ..forms import ImportForm
from ..selectors import licensing_can_import
from ..services import pending_import_keep, pending_import_take

# The session names the officer's previewed file (licensing.PendingImport),
# so the file imported is the file previewed.
SESSION_KEY = "licensing_import_pending"


@require_http_methods(["GET", "POST"])
def licence_import(request: HttpRequest) -> HttpResponse:
    if not licensing_can_import(user=request.user):
        raise PermissionDenied("Importing the register is for licensing officers.")
    if request.method == "POST" and request.POST.get("confirm"):
        return _confirm(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    context = {"form": form}
    status = 200
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "licensing/import.html", context, status=400)
        try:
            map_upload = form.cleaned_data["column_map"]
            if map_upload:
                text = map_upload.read().decode("utf-8", errors="replace")
                cmap = column_map_read(text=text, name=map_upload.name)
            else:
                cmap = column_map_default(form.cleaned_data["register"])
            upload = form.cleaned_data["file"]
            content = b"".join(upload.chunks())
            with _as_file(content) as path:
                result = licences_import(path=path, column_map=cmap, dry_run=True)
        except ImportFileError as exc:
            form.add_error(None, f"Nothing can be imported: {exc}.")
            return render(request, "licensing/import.html", context, status=400)
        result.report.what = (
            f"Licences from {Path(form.cleaned_data['file'].name).name}"
        )
        if result.report.rejected:
            status = 400
        else:
            pending = pending_import_keep(
                user=request.user,
                file_name=Path(upload.name).name,
                content=content,
                column_map=cmap.__dict__,
            )
            request.session[SESSION_KEY] = pending.pk
        context.update({"result": result, "preview_ready": not result.report.rejected})
    return render(request, "licensing/import.html", context, status=status)


def _confirm(request: HttpRequest) -> HttpResponse:
    pk = request.session.pop(SESSION_KEY, None)
    pending = pending_import_take(user=request.user, pk=pk) if pk else None
    if pending is None:
        messages.error(request, "Nothing to import: preview the file first.")
        return redirect("licensing:import")
    try:
        with (
            _as_file(bytes(pending.content)) as path,
            pghistory.context(command="licence upload", file=pending.file_name),
        ):
            result = licences_import(
                path=path,
                column_map=ColumnMap(**pending.column_map),
                officer_id=request.user.pk,
            )
    except ImportFileError as exc:
        messages.error(request, f"Nothing was imported: {exc}.")
        return redirect("licensing:import")
    report = result.report
    if report.rejected:
        messages.error(request, "Nothing was imported: the file no longer checks.")
        return redirect("licensing:import")
    messages.success(
        request,
        f"Imported {pending.file_name}: {report.created} created, {report.updated} "
        f"updated, {report.unchanged} unchanged.",
    )
    if result.register == STAFF:
        return redirect("licensing:staff")
    return redirect("licensing:drivers")


@contextmanager
def _as_file(content: bytes):
    """The upload as a file for the importer, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="intelmap-licences-") as tmp:
        path = Path(tmp) / "register.csv"
        path.write_bytes(content)
        yield path
