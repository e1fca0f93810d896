from django.core.management.base import CommandError

from imports.management.base import ImportCommand
from imports.services.fhrs import fhrs_import
from locations.models import Category


class Command(ImportCommand):
    help = "Import a Food Standards Agency food hygiene rating (FHRS) XML file."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--types",
            help="keep only these of our categories, comma-separated, e.g. "
            "takeaway,hotel,bnb,licensed_premises (others are skipped)",
        )

    def run_import(self, options):
        types = None
        if options["types"]:
            types = {t.strip() for t in options["types"].split(",") if t.strip()}
            unknown = types - set(Category.values)
            if unknown:
                raise CommandError(
                    f"unknown --types {', '.join(sorted(unknown))}; "
                    f"categories are {', '.join(Category.values)}"
                )
        return fhrs_import(
            path=options["file"],
            types=types,
            dry_run=options["dry_run"],
            show_progress=options["progress"],
        )
