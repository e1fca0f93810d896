from imports.management.base import ImportCommand
from imports.services.areas import areas_import
from locations.models import AreaType


class Command(ImportCommand):
    help = (
        "Import boundaries (GeoJSON or shapefile, WGS84 or British National Grid), "
        "then recompute every location's and record's areas."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--type", required=True, choices=AreaType.values)
        parser.add_argument("--code-field", required=True, help="e.g. WD13CD")
        parser.add_argument("--name-field", required=True, help="e.g. WD13NM")
        parser.add_argument(
            "--srid",
            type=int,
            help="the file's EPSG code when it does not say (a shapefile without "
            ".prj): 27700 for British National Grid",
        )

    def run_import(self, options):
        return areas_import(
            path=options["file"],
            area_type=options["type"],
            code_field=options["code_field"],
            name_field=options["name_field"],
            srid=options["srid"],
            dry_run=options["dry_run"],
            show_progress=options["progress"],
        )
