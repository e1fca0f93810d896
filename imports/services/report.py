"""What every importer shares: the report, the progress bar, coordinate checks,
and the one-transaction run with dry-run roll-back."""

import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TypeVar

from django.conf import settings
from django.db import connection, transaction
from django.db.models import NOT_PROVIDED
from django.utils import timezone
from tqdm import tqdm

T = TypeVar("T")


class ImportFileError(Exception):
    """The file cannot be imported at all; the message says where it broke."""


@dataclass
class Rejection:
    where: str  # "line 12" or "FHRSID 1234" or "feature 3 (node/123)"
    reason: str


@dataclass
class ImportReport:
    what: str
    dry_run: bool = False
    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    matched: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def reject(self, where: str, reason: str) -> None:
        self.rejected.append(Rejection(where, reason))

    def as_dict(self) -> dict:
        return {
            "what": self.what,
            "dry_run": self.dry_run,
            "read": self.read,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "matched": self.matched,
            "rejected": [{"where": r.where, "reason": r.reason} for r in self.rejected],
            "notes": self.notes,
        }

    def as_text(self, *, max_rejections: int | None = None) -> str:
        head = f"{self.what}{' (dry run: nothing was saved)' if self.dry_run else ''}"
        lines = [
            head,
            f"  read {self.read}, created {self.created}, updated {self.updated}, "
            f"unchanged {self.unchanged}, skipped {self.skipped}, "
            f"rejected {len(self.rejected)}"
            + (f", matched to existing {self.matched}" if self.matched else ""),
        ]
        lines += [f"  {note}" for note in self.notes]
        shown = (
            self.rejected if max_rejections is None else self.rejected[:max_rejections]
        )
        for r in shown:
            lines.append(f"  rejected {r.where}: {r.reason}")
        if len(shown) < len(self.rejected):
            lines.append(f"  … and {len(self.rejected) - len(shown)} more rejected")
        return "\n".join(lines)


def progress(
    items: Iterable[T], *, enabled: bool | None, desc: str, total: int | None = None
) -> Iterator[T]:
    """A tqdm bar on stderr, shown when asked or when stderr is a terminal."""
    show = sys.stderr.isatty() if enabled is None else enabled
    if not show:
        yield from items
        return
    yield from tqdm(items, desc=desc, total=total, file=sys.stderr, unit=" rows")


def lonlat_problem(lon: float, lat: float) -> str | None:
    """Why a WGS84 point cannot be accepted, or None when it can."""
    if lon != lon or lat != lat or not (-180 <= lon <= 180 and -90 <= lat <= 90):
        return f"impossible coordinates (lon {lon}, lat {lat})"
    west, south, east, north = settings.DEPLOYMENT_EXTENT
    if not (west <= lon <= east and south <= lat <= north):
        return (
            f"outside the deployment's area (lon {lon:.5f}, lat {lat:.5f}; "
            f"extent {west},{south} to {east},{north})"
        )
    return None


def parse_float(text: str | None) -> float | None:
    try:
        return float(text) if text not in (None, "") else None
    except ValueError:
        return None


class _DryRun(Exception):
    pass


def import_run(report: ImportReport, work: Callable[[], None]) -> ImportReport:
    """Run an import in one transaction; roll it back when it is a dry run."""
    try:
        with transaction.atomic():
            work()
            if report.dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return report


@contextmanager
def temp_table(name: str, columns: str):
    """A temporary table dropped at the end, for COPY and set-based merges."""
    if not connection.in_atomic_block:
        # ON COMMIT DROP would drop it at once in autocommit mode.
        raise RuntimeError("temp_table() needs a transaction (run it in import_run)")
    with connection.cursor() as cur:
        cur.execute(f"DROP TABLE IF EXISTS {name}")
        cur.execute(f"CREATE TEMP TABLE {name} ({columns}) ON COMMIT DROP")
        try:
            yield cur
        finally:
            cur.execute(f"DROP TABLE IF EXISTS {name}")


def copy_rows(cur, table: str, columns: list[str], rows: Iterable[tuple]) -> None:
    """COPY rows into a table through psycopg 3's copy protocol."""
    raw = cur.cursor if hasattr(cur, "cursor") else cur
    with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def insert_select(
    cur,
    *,
    model,
    given: dict[str, str],
    source: str,
    params: list | None = None,
    source_params: list | None = None,
) -> int:
    """INSERT INTO model's table SELECT ... FROM source, set-based.

    `given` maps columns to SQL expressions over the source table (their
    placeholders take `params`, the source's take `source_params`); every other
    column gets the model's default (or NULL where it allows it), so a column
    added to the model later needs no change here.
    """
    columns, exprs, values = list(given), list(given.values()), list(params or [])
    now = timezone.now()
    for f in model._meta.concrete_fields:
        if f.primary_key or f.column in given:
            continue
        if f.db_default is not NOT_PROVIDED:
            # The database fills it in (db_default), as it does for any insert.
            continue
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            value = now
        elif f.null and not f.has_default():
            continue
        else:
            value = f.get_db_prep_save(f.get_default(), connection)
        columns.append(f.column)
        exprs.append("%s")
        values.append(value)
    cur.execute(
        f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) "
        f"SELECT {', '.join(exprs)} FROM {source}",
        values + list(source_params or []),
    )
    return cur.rowcount
