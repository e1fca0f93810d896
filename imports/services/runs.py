"""Imports started from the admin page: the uploaded file, the run and its report."""

import shutil
import tempfile
import zipfile
from pathlib import Path

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.uploadedfile import UploadedFile

from imports.models import ImportFormat, ImportRun

from .areas import areas_import
from .fhrs import fhrs_import
from .osm import osm_import
from .police_uk import incidents_import
from .postcodes import postcodes_import
from .report import ImportFileError, ImportReport


def _run(fmt: str, path: Path, options: dict, dry_run: bool) -> ImportReport:
    common = {"path": path, "dry_run": dry_run, "show_progress": False}
    if fmt == ImportFormat.FHRS:
        return fhrs_import(**common, types=set(options.get("types") or []) or None)
    if fmt == ImportFormat.OSM:
        return osm_import(**common, shops=bool(options.get("shops")))
    if fmt == ImportFormat.AREAS:
        return areas_import(
            **common,
            area_type=options["area_type"],
            code_field=options["code_field"],
            name_field=options["name_field"],
            srid=options.get("srid") or None,
        )
    if fmt == ImportFormat.POSTCODES:
        return postcodes_import(**common)
    if fmt == ImportFormat.INCIDENTS:
        return incidents_import(
            **common, inside_areas=bool(options.get("inside_areas"))
        )
    raise ImportFileError(f"unknown format {fmt!r}")


def _unpacked(upload_path: Path, workdir: Path) -> Path:
    """A zipped shapefile is unpacked and its .shp returned; anything else as is."""
    if not zipfile.is_zipfile(upload_path):
        return upload_path
    workdir = workdir / "unzipped"
    workdir.mkdir()
    with zipfile.ZipFile(upload_path) as archive:
        for member in archive.namelist():
            name = Path(member).name
            # Flattened into the work folder: no path in the archive is followed.
            if name and not member.endswith("/"):
                with archive.open(member) as src, open(workdir / name, "wb") as dst:
                    shutil.copyfileobj(src, dst)
    found = sorted(workdir.glob("*.shp")) + sorted(workdir.glob("*.geojson"))
    if not found:
        raise ImportFileError("the zip file holds no .shp or .geojson file")
    return found[0]


def import_run_upload(
    *,
    user: AbstractBaseUser | None,
    fmt: str,
    upload: UploadedFile,
    options: dict,
    dry_run: bool,
) -> ImportRun:
    """Import an uploaded file and keep a record of the run and its report."""
    run = ImportRun(
        format=fmt,
        file_name=Path(upload.name).name[:255],
        options=options,
        dry_run=dry_run,
        created_by=user,
    )
    with tempfile.TemporaryDirectory(prefix="intelmap-import-") as tmp:
        workdir = Path(tmp)
        # Only the base name is kept, so the report names the file the user chose.
        saved = workdir / (Path(upload.name).name or "upload")
        with open(saved, "wb") as fh:
            for chunk in upload.chunks():
                fh.write(chunk)
        try:
            report = _run(fmt, _unpacked(saved, workdir), options, dry_run)
        except ImportFileError as exc:
            run.succeeded = False
            run.report_text = f"Nothing was imported: {exc}"
            run.report = {"error": str(exc)}
        else:
            run.succeeded = True
            run.report = report.as_dict()
            run.report_text = report.as_text()
    run.save()
    return run
