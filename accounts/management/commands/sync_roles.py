from django.core.management.base import BaseCommand

from accounts.services import roles_sync


class Command(BaseCommand):
    help = (
        "Create the role groups and set each one's permissions from accounts/roles.py."
    )

    def handle(self, *args, **options):
        roles_sync()
        self.stdout.write("Roles are in line with accounts/roles.py.")
