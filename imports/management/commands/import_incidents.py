from imports.management.base import ImportCommand
from imports.services.police_uk import incidents_import


class Command(ImportCommand):
    help = "Import a police.uk street-level crime CSV as incident records."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--inside-areas",
            action="store_true",
            help="keep only crimes inside a loaded area (e.g. the city's wards)",
        )

    def run_import(self, options):
        return incidents_import(
            path=options["file"],
            inside_areas=options["inside_areas"],
            dry_run=options["dry_run"],
            show_progress=options["progress"],
        )
