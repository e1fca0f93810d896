from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = "People and vehicles"

    def ready(self):
        # `__any`: id lists as one array parameter (people.lookups).
        from . import lookups  # noqa: F401
