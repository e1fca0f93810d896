"""The licensing register's import (imports.services.licences): a council
register of n drivers, each with an operator and a licensed car, laid out as
the sample (fixtures/licensing/sample_register.csv), imported into an empty
register and then again (nothing to change), inside a transaction rolled
back at the end. Target: >= 5,000 rows/s."""

import csv
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from django.db import transaction

ROOT = Path(__file__).resolve().parents[2]
LETTERS = "ABCDEFGHJKLMNOPRSTUVWXYZ"


class _Rollback(Exception):
    pass


def _mark(i: int) -> str:
    """A distinct current-format mark (AB12 CDE) for each i."""
    a, rest = divmod(i, 24**3)
    return (
        LETTERS[a // 24 % 24]
        + LETTERS[a % 24]
        + f"{10 + rest % 80:02d}"
        + LETTERS[rest // 80 % 24]
        + LETTERS[rest // 1920 % 24]
        + LETTERS[rest % 24]
    )


def register_write(path: Path, n: int) -> None:
    sample = ROOT / "fixtures" / "licensing" / "sample_register.csv"
    header = sample.read_text().splitlines()[0].split(",")
    today = date.today()
    d = lambda days: (today + timedelta(days=days)).strftime("%d/%m/%Y")  # noqa: E731
    with open(path, "w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        for i in range(n):
            writer.writerow(
                [
                    f"DL/B{i:06d}",
                    f"Bench Driver {i}",
                    ("Private Hire", "Hackney Carriage", "Dual")[i % 3],
                    "Current",
                    d(-300 - i % 500),
                    d(700 - i % 500),
                    "",
                    d(-310 - i % 500) if i % 17 else "",
                    f"00{i:010d}",
                    "Yes" if i % 4 else "No",
                    d(-20 - i % 300) if i % 4 else "",
                    "CSE awareness",
                    "Council",
                    d(-290 - i % 500) if i % 23 else "",
                    d(800 - i % 900),
                    f"PHO/B{i % 40:03d}",
                    f"Bench Cars {i % 40}",
                    "",
                    f"PH B{i:06d}",
                    _mark(i),
                    "Toyota",
                    "Prius",
                    "Silver",
                    d(200 - i % 100),
                ]
            )


def licence_import_run(*, n: int = 50_000) -> dict:
    from imports.services.licences import licences_import

    result = {
        "name": "licence_import_50k",
        "label": f"licensing register import of {n:,} drivers with cars",
        "path": "imports.services.licences.licences_import",
    }
    with tempfile.TemporaryDirectory(prefix="bench-licences-") as tmp:
        path = Path(tmp) / "register.csv"
        register_write(path, n)
        timings = {}
        try:
            with transaction.atomic():
                for label in ("first", "again"):
                    t = time.perf_counter()
                    out = licences_import(path=path)
                    timings[label] = time.perf_counter() - t
                    if out.report.rejected:
                        raise RuntimeError(out.report.as_text(max_rejections=3))
                    timings[f"{label}_report"] = (
                        out.report.created,
                        out.report.updated,
                        out.report.unchanged,
                    )
                raise _Rollback
        except _Rollback:
            pass
    rate, again = n / timings["first"], n / timings["again"]
    created, _, _ = timings["first_report"]
    _, updated, unchanged = timings["again_report"]
    result.update(
        {
            "runs": 1,
            "median_ms": timings["first"] * 1000,
            "p95_ms": timings["first"] * 1000,
            "rows_per_s": rate,
            "summary": (
                f"{rate:,.0f} rows/s into an empty register ({created:,} rows "
                f"created); {again:,.0f} rows/s importing it again "
                f"({unchanged:,} unchanged, {updated:,} updated)"
            ),
            "targets": [{"label": ">=5,000 rows/s", "met": min(rate, again) >= 5_000}],
        }
    )
    return result
