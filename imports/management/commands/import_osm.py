from imports.management.base import ImportCommand
from imports.services.osm import osm_import


class Command(ImportCommand):
    help = "Import OpenStreetMap GeoJSON (Overpass or similar exports)."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--shops", action="store_true", help="also import shop=* (as other)"
        )

    def run_import(self, options):
        return osm_import(
            path=options["file"],
            shops=options["shops"],
            dry_run=options["dry_run"],
            show_progress=options["progress"],
        )
