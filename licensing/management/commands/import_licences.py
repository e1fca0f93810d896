"""manage.py import_licences FILE.csv [--map MAP.yaml]: a council's taxi and
private-hire register, or its staff and councillors' DBS and training
register, in one transaction (imports.services.licences)."""

from pathlib import Path

import pghistory
from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from imports.management.base import ImportCommand
from imports.services.licences import (
    column_map_default,
    column_map_read,
    licences_import,
)
from imports.services.report import ImportFileError


class Command(ImportCommand):
    help = (
        "Import a licensing register from a council's CSV, through a column map "
        "(YAML or JSON; fixtures/licensing/register_map.yaml by default). One bad "
        "row and nothing is written: the report names the row and the column."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--map", dest="column_map", help="the column map file")
        parser.add_argument(
            "--officer",
            help="username of the licensing officer who holds new licences",
        )

    def handle(self, *args, **options):
        try:
            if options["column_map"]:
                path = Path(options["column_map"])
                cmap = column_map_read(text=path.read_text(), name=path.name)
            else:
                cmap = column_map_default()
        except (OSError, ImportFileError) as exc:
            raise CommandError(f"{options['column_map']}: {exc}") from exc
        officer_id = None
        if options["officer"]:
            user = get_user_model().objects.filter(username=options["officer"]).first()
            if user is None:
                raise CommandError(f"no user {options['officer']!r}")
            officer_id = user.pk
        try:
            with pghistory.context(
                command="import_licences", file=Path(options["file"]).name
            ):
                result = licences_import(
                    path=options["file"],
                    column_map=cmap,
                    dry_run=options["dry_run"],
                    show_progress=options["progress"],
                    officer_id=officer_id,
                )
        except ImportFileError as exc:
            raise CommandError(
                f"{options['file']}: {exc}. Nothing was imported."
            ) from exc
        self.stdout.write(
            result.report.as_text(max_rejections=options["max_rejections"])
        )
        if result.report.rejected:
            raise CommandError("Nothing was imported: correct the rows named above.")
