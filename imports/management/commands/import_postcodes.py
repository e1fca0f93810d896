from imports.management.base import ImportCommand
from imports.services.postcodes import postcodes_import


class Command(ImportCommand):
    help = "Import postcode centroids from a CSV with Postcode,lat,long columns."

    def run_import(self, options):
        return postcodes_import(
            path=options["file"],
            dry_run=options["dry_run"],
            show_progress=options["progress"],
        )
