"""Importing a council's register from the browser: upload, preview (a dry
run that writes nothing), then import the same file."""

import tempfile
from pathlib import Path

import pghistory
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from imports.services.licences import (
    STAFF,
    column_map_default,
    column_map_read,
    licences_import,
)
from imports.services.report import ImportFileError

from ..forms import ImportForm
from ..selectors import licensing_can_import

# The previewed file waits here between preview and import, keyed by the
# session, so the file imported is the file previewed.
SESSION_KEY = "licensing_import_pending"


def _pending_dir() -> Path:
    path = Path(tempfile.gettempdir()) / "intelmap-licence-imports"
    path.mkdir(mode=0o700, exist_ok=True)
    return path


def _save(upload, suffix: str) -> Path:
    handle = tempfile.NamedTemporaryFile(
        dir=_pending_dir(), suffix=suffix, delete=False
    )
    with handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    return Path(handle.name)


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
            saved = _save(form.cleaned_data["file"], ".csv")
            result = licences_import(path=saved, column_map=cmap, dry_run=True)
        except ImportFileError as exc:
            form.add_error(None, f"Nothing can be imported: {exc}.")
            return render(request, "licensing/import.html", context, status=400)
        result.report.what = (
            f"Licences from {Path(form.cleaned_data['file'].name).name}"
        )
        if result.report.rejected:
            saved.unlink(missing_ok=True)
            status = 400
        else:
            request.session[SESSION_KEY] = {
                "path": saved.name,
                "name": form.cleaned_data["file"].name[:200],
                "map": cmap.__dict__,
            }
        context.update({"result": result, "preview_ready": not result.report.rejected})
    return render(request, "licensing/import.html", context, status=status)


def _confirm(request: HttpRequest) -> HttpResponse:
    from imports.services.licences import ColumnMap

    pending = request.session.pop(SESSION_KEY, None)
    if not pending:
        messages.error(request, "Nothing to import: preview the file first.")
        return redirect("licensing:import")
    path = _pending_dir() / Path(pending["path"]).name
    if not path.exists():
        messages.error(request, "The previewed file has gone: upload it again.")
        return redirect("licensing:import")
    try:
        with pghistory.context(command="licence upload", file=pending["name"]):
            result = licences_import(
                path=path,
                column_map=ColumnMap(**pending["map"]),
                officer_id=request.user.pk,
            )
    except ImportFileError as exc:
        messages.error(request, f"Nothing was imported: {exc}.")
        return redirect("licensing:import")
    finally:
        path.unlink(missing_ok=True)
    report = result.report
    messages.success(
        request,
        f"Imported {pending['name']}: {report.created} created, {report.updated} "
        f"updated, {report.unchanged} unchanged.",
    )
    if result.register == STAFF:
        return redirect("licensing:staff")
    return redirect("licensing:drivers")
