from django.core.management.base import BaseCommand, CommandError

from common.db.roles import app_role, grants_apply, owner_role, roles_are_split


class Command(BaseCommand):
    help = (
        "As the owner (DATABASE_AS_OWNER=true), give the application's role "
        "(DATABASE_URL) exactly its privileges on every table. migrate does "
        "this too; run it after createcachetable or a restore."
    )

    def handle(self, *args, **options):
        if not roles_are_split():
            raise CommandError(
                "DATABASE_URL and DATABASE_OWNER_URL name the same role: set "
                "DATABASE_OWNER_URL to the role that owns the tables."
            )
        if not grants_apply():
            raise CommandError(
                f"Connected as {app_role()!r}: run with DATABASE_AS_OWNER=true to "
                f"connect as the owner {owner_role()!r}."
            )
        self.stdout.write(f"Privileges of {app_role()!r} set by {owner_role()!r}.")
