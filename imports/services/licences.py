"""A council's taxi and private-hire register (drivers, vehicles and
operators), or its DBS and training register of staff and councillors, from a
CSV laid out as the council publishes it, read through a column map (YAML or
JSON: fixtures/licensing/).

All or nothing: every row is read and checked first; one bad row and nothing
is written, and the report names each bad row (its line in the file) and
column. A clean file is written in one transaction, set-based (COPY into
temporary tables, then one INSERT ... ON CONFLICT per table), so importing
the same file again changes nothing and says so.
"""

import csv
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError

from common.postcodes import postcode_normalise
from licensing.models import LicenceStatus, LicenceType, StaffKind
from people.registration import registration_clean

from .licences_write import COMPLIANCE_COLUMNS, drivers_write, staff_write
from .report import (
    ImportFileError,
    ImportReport,
    import_run,
    progress,
)

DRIVERS = "drivers"
STAFF = "staff"
TRUE_WORDS = {"yes", "y", "true", "1", "subscribed"}
FALSE_WORDS = {"no", "n", "false", "0", "", "not subscribed"}

# Fields each part of a row may fill, and those it must when it is there.
FIELDS = {
    "driver": {
        "licence_number": True,
        "name": True,
        "licence_type": True,
        "status": False,
        "issued_on": True,
        "expires_on": True,
        "conditions": False,
        **dict.fromkeys(COMPLIANCE_COLUMNS, False),
    },
    "vehicle": {
        "plate_number": True,
        "registration": True,
        "make": False,
        "model": False,
        "colour": False,
        "licence_type": False,
        "status": False,
        "plate_expires_on": True,
    },
    "operator": {
        "licence_number": True,
        "name": True,
        "status": False,
        "expires_on": False,
        "base_postcode": False,
    },
    "staff": {
        "reference": True,
        "name": True,
        "kind": True,
        "directorate": True,
        "role": False,
        "needs_enhanced_dbs": False,
        **dict.fromkeys(COMPLIANCE_COLUMNS, False),
    },
}
DATE_FIELDS = {
    f for part in FIELDS.values() for f in part if f.endswith(("_on", "_due"))
}
BOOL_FIELDS = {"dbs_update_service", "needs_enhanced_dbs"}
CHOICES = {
    "licence_type": set(LicenceType.values),
    "status": set(LicenceStatus.values),
    "kind": set(StaffKind.values),
}
PREVIEW_ROWS = 10
REQUIRED = {
    part: [f for f, req in fields.items() if req] for part, fields in FIELDS.items()
}
# What a field the council does not publish is taken to be.
DEFAULTS = {
    part: {
        f: None
        if f in DATE_FIELDS
        else (f == "needs_enhanced_dbs")
        if f in BOOL_FIELDS
        else ""
        for f in fields
    }
    for part, fields in FIELDS.items()
}


@dataclass
class ColumnMap:
    """Which column holds each field, the council's words for our choices,
    and how its dates are written."""

    register: str
    columns: dict[str, str]
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    date_formats: list[str] = field(default_factory=lambda: ["%d/%m/%Y", "%Y-%m-%d"])

    def parts(self) -> list[str]:
        return sorted({key.split(".", 1)[0] for key in self.columns})


def column_map_read(*, text: str, name: str = "map") -> ColumnMap:
    """A column map from YAML (or JSON, which YAML reads too)."""
    try:
        data = (
            json.loads(text) if name.endswith(".json") else yaml.safe_load(text)
        ) or {}
    except (ValueError, yaml.YAMLError) as exc:
        raise ImportFileError(f"the column map {name} cannot be read: {exc}") from exc
    register = data.get("register", DRIVERS)
    if register not in (DRIVERS, STAFF):
        raise ImportFileError(f"the column map's register must be {DRIVERS} or {STAFF}")
    columns = data.get("columns") or {}
    allowed = ("staff",) if register == STAFF else ("driver", "vehicle", "operator")
    for key in columns:
        part, _, name_ = key.partition(".")
        if part not in allowed or name_ not in FIELDS[part]:
            raise ImportFileError(
                f"the column map names {key!r}, which a {register} register does "
                f"not have (known: {', '.join(f'{p}.{f}' for p in allowed for f in FIELDS[p])})"
            )
    needed = ("staff",) if register == STAFF else ("driver",)
    for part in needed:
        for name_, required in FIELDS[part].items():
            if required and f"{part}.{name_}" not in columns:
                raise ImportFileError(
                    f"the column map gives no column for {part}.{name_}"
                )
    values = {
        k: {str(w).strip().lower(): str(v) for w, v in (m or {}).items()}
        for k, m in (data.get("values") or {}).items()
    }
    formats = data.get("date_formats") or ["%d/%m/%Y", "%Y-%m-%d"]
    return ColumnMap(
        register=register, columns=columns, values=values, date_formats=formats
    )


def column_map_default(register: str = DRIVERS) -> ColumnMap:
    sample = Path(__file__).resolve().parents[2] / "fixtures" / "licensing"
    name = "staff_map.yaml" if register == STAFF else "register_map.yaml"
    return column_map_read(text=(sample / name).read_text(), name=name)


class _RowError(Exception):
    def __init__(self, column: str, reason: str):
        self.column, self.reason = column, reason


def _date_reader(formats: list[str], column: str) -> Callable[[str], date | None]:
    """Dates repeat down a register: each text is parsed once."""
    seen: dict[str, date | None] = {"": None}

    def read(text: str) -> date | None:
        found = seen.get(text, _UNSEEN)
        if found is not _UNSEEN:
            return found
        for fmt in formats:
            try:
                found = datetime.strptime(text, fmt).date()
                break
            except ValueError:
                continue
        else:
            raise _RowError(
                column, f"“{text[:40]}” is not a date ({' or '.join(formats)})"
            )
        seen[text] = found
        return found

    return read


def _bool_reader(fname: str, column: str) -> Callable[[str], bool]:
    def read(text: str) -> bool:
        low = text.lower()
        if low in TRUE_WORDS:
            return True
        if low in FALSE_WORDS:
            # An enhanced DBS is needed unless the register says it is not.
            return fname == "needs_enhanced_dbs" and low == ""
        raise _RowError(column, f"“{text[:40]}” is not yes or no")

    return read


def _choice_reader(cmap: ColumnMap, fname: str, column: str) -> Callable[[str], str]:
    words = cmap.values.get(fname, {})
    allowed = CHOICES[fname]

    def read(text: str) -> str:
        if not text:
            return ""
        low = text.lower()
        word = words.get(low, low)
        if word not in allowed:
            raise _RowError(
                column,
                f"“{text[:40]}” is not one of {', '.join(sorted(allowed))} "
                f"(the column map's values: {fname} says what the council's words mean)",
            )
        return word

    return read


_UNSEEN = object()


def _reader(cmap: ColumnMap, fname: str, column: str) -> Callable[[str], object]:
    if fname in DATE_FIELDS:
        return _date_reader(cmap.date_formats, column)
    if fname in BOOL_FIELDS:
        return _bool_reader(fname, column)
    if fname in CHOICES:
        return _choice_reader(cmap, fname, column)
    return str


def _plan(cmap: ColumnMap, header_index: dict) -> list[tuple]:
    """(part, field, column index, reader) for each mapped column, made once
    per file rather than per row."""
    return [
        (part, fname, header_index[column], _reader(cmap, fname, column))
        for key, column in cmap.columns.items()
        for part, _, fname in [key.partition(".")]
    ]


@dataclass
class _Parsed:
    drivers: dict = field(default_factory=dict)
    vehicles: dict = field(default_factory=dict)
    operators: dict = field(default_factory=dict)
    staff: dict = field(default_factory=dict)
    preview: list = field(default_factory=list)


def _row_read(cmap: ColumnMap, plan: list[tuple], row: list[str]) -> dict[str, dict]:
    """The parts a row fills, each a dict of fields; a _RowError for the
    first column that is wrong."""
    parts: dict[str, dict] = {}
    width = len(row)
    for part, fname, index, read in plan:
        raw = row[index].strip() if index < width else ""
        values = parts.get(part)
        if values is None:
            values = parts[part] = {}
        values[fname] = read(raw)
    filled = {}
    for part, values in parts.items():
        if part in ("vehicle", "operator"):
            if not any(v not in (None, "", False) for v in values.values()):
                continue  # a driver with no vehicle or no operator
        for fname in REQUIRED[part]:
            if values.get(fname) in (None, ""):
                column = cmap.columns.get(f"{part}.{fname}", f"{part}.{fname}")
                raise _RowError(
                    column, f"the {part}'s {fname.replace('_', ' ')} is missing"
                )
        if values.get("status") == "":
            values["status"] = "active"
        filled[part] = {**DEFAULTS[part], **values}
    driver = filled.get("driver")
    if driver:
        if driver["expires_on"] < driver["issued_on"]:
            raise _RowError(
                cmap.columns["driver.expires_on"],
                "the licence expires before it was issued",
            )
    for part in ("driver", "staff"):
        values = filled.get(part)
        if (
            values
            and values.get("dbs_last_checked_on")
            and not values.get("dbs_update_service")
        ):
            raise _RowError(
                cmap.columns.get(f"{part}.dbs_last_checked_on", "dbs_last_checked_on"),
                "an update-service check is given for someone not subscribed to it",
            )
    vehicle = filled.get("vehicle")
    if vehicle:
        try:
            vehicle["registration"], _ = registration_clean(vehicle["registration"])
        except ValidationError as exc:
            raise _RowError(
                cmap.columns["vehicle.registration"],
                exc.message_dict["registration"][0],
            ) from None
        if not vehicle.get("licence_type"):
            kind = (driver or {}).get("licence_type") or LicenceType.PRIVATE_HIRE
            vehicle["licence_type"] = (
                LicenceType.PRIVATE_HIRE if kind == LicenceType.DUAL else kind
            )
        if vehicle["licence_type"] == LicenceType.DUAL:
            vehicle["licence_type"] = LicenceType.PRIVATE_HIRE
    operator = filled.get("operator")
    if operator is not None:
        operator["base_postcode"] = postcode_normalise(
            operator.get("base_postcode") or ""
        )
    return filled


def _parse(path: Path, cmap: ColumnMap, report: ImportReport, show_progress) -> _Parsed:
    parsed = _Parsed()
    try:
        fh = open(path, newline="", encoding="utf-8-sig")
    except OSError as exc:
        raise ImportFileError(f"the file cannot be opened: {exc.strerror}") from exc
    with fh:
        reader = csv.reader(fh)
        try:
            header = next(reader, None)
        except (csv.Error, UnicodeDecodeError) as exc:
            raise ImportFileError(f"line 1: not a CSV file ({exc})") from exc
        if not header:
            raise ImportFileError("line 1: the file is empty")
        header_index = {h.strip(): i for i, h in enumerate(header)}
        missing = [c for c in cmap.columns.values() if c not in header_index]
        if missing:
            raise ImportFileError(
                f"line 1: the header has no column {', '.join(repr(c) for c in missing)} "
                f"(it has {', '.join(repr(h) for h in header)})"
            )
        plan = _plan(cmap, header_index)
        rows = progress(reader, enabled=show_progress, desc="licences")
        while True:
            try:
                row = next(rows)
            except StopIteration:
                break
            except (csv.Error, UnicodeDecodeError) as exc:
                report.reject(f"line {reader.line_num}", f"unreadable: {exc}")
                break
            if not "".join(row).strip():
                continue
            report.read += 1
            try:
                filled = _row_read(cmap, plan, row)
            except _RowError as exc:
                report.reject(
                    f"line {reader.line_num}, column “{exc.column}”", exc.reason
                )
                continue
            if len(parsed.preview) < PREVIEW_ROWS:
                parsed.preview.append(filled)
            if "staff" in filled:
                parsed.staff[filled["staff"]["reference"]] = filled["staff"]
                continue
            driver = filled["driver"]
            operator = filled.get("operator")
            if operator:
                parsed.operators[operator["licence_number"]] = operator
                driver["operator_licence"] = operator["licence_number"]
            else:
                driver["operator_licence"] = ""
            parsed.drivers[driver["licence_number"]] = driver
            vehicle = filled.get("vehicle")
            if vehicle:
                vehicle["driver_licence"] = driver["licence_number"]
                vehicle["operator_licence"] = driver["operator_licence"]
                seen = parsed.vehicles.get(vehicle["plate_number"])
                if seen and seen["registration"] != vehicle["registration"]:
                    report.reject(
                        f"line {reader.line_num}, column “{cmap.columns['vehicle.plate_number']}”",
                        f"plate {vehicle['plate_number']} is given to "
                        f"{seen['registration']} on an earlier line",
                    )
                    continue
                parsed.vehicles[vehicle["plate_number"]] = vehicle
    return parsed


@dataclass
class LicenceImport:
    report: ImportReport
    preview: list[dict]
    register: str


def licences_import(
    *,
    path: Path | str,
    column_map: ColumnMap | None = None,
    dry_run: bool = False,
    show_progress: bool | None = None,
    officer_id: int | None = None,
) -> LicenceImport:
    """Import the register; a dry run (the upload page's preview) checks and
    counts everything, then rolls back. `officer_id` is the licensing
    officer new licences are held by (the importing officer)."""
    cmap = column_map or column_map_default()
    report = ImportReport(what=f"Licences from {Path(path).name}", dry_run=dry_run)
    found = _Parsed()

    def work() -> None:
        parsed = _parse(Path(path), cmap, report, show_progress)
        found.preview = parsed.preview
        if report.rejected:
            # All or nothing: a bad row and the rest is not written.
            report.notes.append(
                f"Nothing was imported: {len(report.rejected)} row(s) need correcting"
            )
            return
        if cmap.register == STAFF:
            staff_write(parsed, report)
        else:
            drivers_write(parsed, report, officer_id)

    import_run(report, work)
    return LicenceImport(report=report, preview=found.preview, register=cmap.register)


__all__: list[str] = [
    "ColumnMap",
    "LicenceImport",
    "column_map_default",
    "column_map_read",
    "licences_import",
]
