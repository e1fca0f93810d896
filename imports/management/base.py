"""What every import command shares: --dry-run, --progress and the report."""

from pathlib import Path

import pghistory
from django.core.management.base import BaseCommand, CommandError

from imports.services.report import ImportFileError, ImportReport


class ImportCommand(BaseCommand):
    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="do everything, report, then roll back: nothing is saved",
        )
        parser.add_argument(
            "--progress",
            action="store_true",
            default=None,
            help="show a progress bar even when stderr is not a terminal",
        )
        parser.add_argument(
            "--max-rejections",
            type=int,
            default=None,
            help="list at most this many rejected rows (default: all)",
        )

    def run_import(self, options) -> ImportReport:
        raise NotImplementedError

    def handle(self, *args, **options):
        # The change history says which import made each change: there is
        # no signed-in user on the command line.
        command = self.__module__.rsplit(".", 1)[-1]
        try:
            with pghistory.context(command=command, file=Path(options["file"]).name):
                report = self.run_import(options)
        except ImportFileError as exc:
            raise CommandError(
                f"{options['file']}: {exc}. Nothing was imported."
            ) from exc
        self.stdout.write(report.as_text(max_rejections=options["max_rejections"]))
