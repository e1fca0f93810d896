from datetime import date

from django.core.management.base import BaseCommand, CommandError

from demo.generator import build_city
from demo.loader import demo_clear, demo_exists, demo_load


class Command(BaseCommand):
    help = "Load the seeded demo city (invented data centred on Coventry)."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--records", type=int, default=3600)
        parser.add_argument(
            "--today",
            type=date.fromisoformat,
            default=None,
            help="Date the demo's last 18 months run up to (default: today).",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing if the demo city is already loaded.",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete all locations, records, actions and areas first.",
        )

    def handle(self, *args, seed, records, today, if_empty, reset, **options):
        if demo_exists() and not reset:
            if if_empty:
                self.stdout.write("Demo city already loaded; keeping it.")
                return
            raise CommandError(
                "A demo city is already loaded; use --reset to replace it."
            )
        if reset:
            demo_clear()
        plan = build_city(seed=seed, today=today, records=records)
        counts = demo_load(plan)
        # "label: count" reads right for one as for many ("safety plans: 1").
        self.stdout.write(
            "Demo city loaded: " + "; ".join(f"{k}: {v}" for k, v in counts.items())
        )
