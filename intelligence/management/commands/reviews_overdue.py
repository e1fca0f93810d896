"""List the intelligence records due for their retention review."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from intelligence.models import IntelligenceRecord


class Command(BaseCommand):
    help = (
        "List intelligence records whose Management of Police Information review "
        "date has come, the longest overdue first (reference, kind, review date, "
        "days overdue). Lists references only, never content."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--as-of",
            help="Count as due on this date (YYYY-MM-DD); default today.",
        )
        parser.add_argument(
            "--limit", type=int, default=100, help="At most this many lines (0: all)."
        )

    def handle(self, *args, as_of=None, limit=100, **options):
        try:
            today = date.fromisoformat(as_of) if as_of else timezone.localdate()
        except ValueError:
            raise CommandError(
                f"--as-of: {as_of!r} is not a date like 2026-11-30."
            ) from None
        if limit < 0:
            raise CommandError("--limit: give 0 (all) or a positive number.")
        due = IntelligenceRecord.objects.filter(review_date__lte=today).order_by(
            "review_date", "occurred_from", "id"
        )
        total = due.count()
        rows = due.values_list("reference", "kind", "review_date")
        for reference, kind, review_date in rows[:limit] if limit else rows:
            self.stdout.write(
                f"{reference}\t{kind}\t{review_date:%Y-%m-%d}\t"
                f"{(today - review_date).days} days overdue"
            )
        shown = min(total, limit) if limit else total
        self.stdout.write(
            f"{total} record{'s' if total != 1 else ''} due for review on "
            f"{today:%Y-%m-%d}" + (f" ({shown} listed)" if shown < total else "")
        )
