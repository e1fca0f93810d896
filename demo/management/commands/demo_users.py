from django.core.management.base import BaseCommand

from demo.users import demo_users_ensure


class Command(BaseCommand):
    help = "Create (or reset) one demo user per role and print their sign-in details."

    def handle(self, *args, **options):
        self.stdout.write("\nDemo users (one per role):")
        self.stdout.write(f"  {'username':<12} {'password':<16} role")
        for u in demo_users_ensure():
            self.stdout.write(
                f"  {u['user'].username:<12} {u['password']:<16} {u['role']}"
            )
