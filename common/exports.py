"""CSV exports that a spreadsheet cannot turn into formulas."""

import csv
from collections.abc import Iterable
from typing import Any

from django.http import HttpResponse

# A cell starting with one of these is read as a formula by Excel and
# LibreOffice (CSV injection); such cells are prefixed with a quote.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> str:
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def csv_response(
    *, filename: str, header: list[str], rows: Iterable[Iterable[Any]]
) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow([csv_cell(h) for h in header])
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    return response
