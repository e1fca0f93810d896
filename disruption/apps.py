from django.apps import AppConfig


class DisruptionConfig(AppConfig):
    name = "disruption"
