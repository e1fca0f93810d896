from django.apps import AppConfig


class SafeguardingConfig(AppConfig):
    name = "safeguarding"
    verbose_name = "Safeguarding young people"

    def ready(self):
        # Safety-plan alerts listen to the record-writing path of the floors
        # below (intelligence.signals.record_written, people.signals
        # link_written): those floors never import this one.
        from . import alerts  # noqa: F401
