"""The Food Standards Agency's food hygiene rating XML (FHRS open data format)."""

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from common.postcodes import postcode_display, postcode_normalise
from locations.models import Category, Source

from .postcodes import postcodes_locate
from .premises import PlaceRow, premises_upsert
from .report import (
    ImportFileError,
    ImportReport,
    import_run,
    lonlat_problem,
    parse_float,
    progress,
)

_TAKEAWAY = "takeaway/sandwich shop"
_HOTEL = "hotel/bed & breakfast/guest house"
_PUB = "pub/bar/nightclub"
_SCHOOL = "school/college/university"
# FHRS files a guest house and a hotel under one business type; the name tells.
_BNB_NAME = re.compile(
    r"\b(b\s*&\s*b|bed\s*(&|and)\s*breakfast|guest\s*house|guesthouse)\b", re.I
)


def fhrs_category(*, business_type: str, name: str) -> str:
    kind = business_type.strip().lower()
    if kind == _TAKEAWAY:
        return Category.TAKEAWAY
    if kind == _HOTEL:
        return Category.BNB if _BNB_NAME.search(name) else Category.HOTEL
    if kind == _PUB:
        return Category.LICENSED_PREMISES
    if kind == _SCHOOL:
        return Category.SCHOOL
    return Category.OTHER


def _text(el: ET.Element, tag: str) -> str:
    found = el.find(tag)
    return (found.text or "").strip() if found is not None else ""


def _fields(el: ET.Element) -> dict[str, str]:
    """An establishment's child elements by tag: one pass, not one find per field."""
    return {child.tag: (child.text or "").strip() for child in el}


def fhrs_import(
    *,
    path: Path | str,
    types: set[str] | None = None,
    dry_run: bool = False,
    show_progress: bool | None = None,
) -> ImportReport:
    """Import an FHRS XML file; `types` keeps only those of our categories."""
    report = ImportReport(what=f"FHRS premises from {Path(path).name}", dry_run=dry_run)

    def work() -> None:
        rows, unplaced = _parse(path, types, report, show_progress)
        _locate_from_postcodes(unplaced, rows, report)
        premises_upsert(source=Source.FHRS, rows=rows, report=report)

    return import_run(report, work)


def _root_tag(path) -> str:
    """The first element's tag, read from the head of the file only."""
    parser = ET.XMLPullParser(events=("start",))
    with open(path, "rb") as fh:
        while chunk := fh.read(4096):
            parser.feed(chunk)
            for _, el in parser.read_events():
                return el.tag
    return ""


def _establishments(path, where: list[str]):
    """Each <EstablishmentDetail>, parsed as the file streams in."""
    root = _root_tag(path)
    if root != "FHRSEstablishment":
        raise ImportFileError(
            f"not an FHRS file: the root element is <{root}>, not <FHRSEstablishment>"
        )
    n = 0
    # Only end events: an element is complete when it ends, and asking for
    # start events as well doubles the work on a large file.
    for _, el in ET.iterparse(path, events=("end",)):
        if el.tag == "EstablishmentDetail":
            n += 1
            yield el
            where[0] = f"establishment {n} (FHRSID {_text(el, 'FHRSID') or '?'})"
            el.clear()


def _parse(path, types, report, show_progress):
    rows: list[PlaceRow] = []
    unplaced: list[PlaceRow] = []
    last = ["the start of the file"]
    try:
        for el in progress(
            _establishments(path, last), enabled=show_progress, desc="FHRS"
        ):
            report.read += 1
            row = _row(el, types, report)
            if row is None:
                continue
            (rows if row.lon is not None else unplaced).append(row)
    except ET.ParseError as exc:
        line, column = exc.position
        raise ImportFileError(
            f"broken XML at line {line}, column {column}, after {last[0]}: {exc}"
        ) from exc
    except FileNotFoundError as exc:
        raise ImportFileError(f"no such file: {path}") from exc
    return rows, unplaced


def _row(
    el: ET.Element, types: set[str] | None, report: ImportReport
) -> PlaceRow | None:
    f = _fields(el)
    fhrs_id = f.get("FHRSID", "")
    where = f"FHRSID {fhrs_id}" if fhrs_id else f"establishment {report.read}"
    if not fhrs_id.isdigit():
        report.reject(where, f"no numeric FHRSID ({fhrs_id!r})")
        return None
    name = f.get("BusinessName", "")
    if not name:
        report.reject(where, "no business name")
        return None
    category = fhrs_category(business_type=f.get("BusinessType", ""), name=name)
    if types and category not in types:
        report.skipped += 1
        return None
    address = ", ".join(part for i in range(1, 5) if (part := f.get(f"AddressLine{i}")))
    row = PlaceRow(
        where=where,
        source_id=fhrs_id,
        name=name[:255],
        category=category,
        lon=None,
        lat=None,
        address=address,
        postcode=postcode_display(f.get("PostCode"))[:10],
        fhrs_id=fhrs_id,
        # Kept as given: a number 0-5, or words such as "AwaitingInspection".
        fhrs_rating=f.get("RatingValue", "")[:32],
    )
    geocode = el.find("Geocode")
    if geocode is not None and len(geocode):
        lon = parse_float(_text(geocode, "Longitude"))
        lat = parse_float(_text(geocode, "Latitude"))
        if lon is None or lat is None:
            report.reject(where, "geocode without a numeric longitude and latitude")
            return None
        if problem := lonlat_problem(lon, lat):
            report.reject(where, problem)
            return None
        row.lon, row.lat = lon, lat
    return row


def _locate_from_postcodes(
    unplaced: list[PlaceRow], rows: list[PlaceRow], report: ImportReport
) -> None:
    """Place rows with no geocode at their postcode's centroid, when it is known."""
    if not unplaced:
        return
    known = postcodes_locate(codes={r.postcode for r in unplaced if r.postcode})
    located = 0
    for row in unplaced:
        point = known.get(postcode_normalise(row.postcode))
        if point is None:
            reason = (
                f"no geocode, and postcode {row.postcode} is not in the postcode lookup"
                if row.postcode
                else "no geocode and no postcode"
            )
            report.reject(row.where, reason)
            continue
        row.lon, row.lat = point
        rows.append(row)
        located += 1
    if located:
        report.notes.append(f"{located} placed at their postcode's centroid")
