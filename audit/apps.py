from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _grant_app_role(*, using: str, **kwargs) -> None:
    from common.db.roles import grants_apply

    grants_apply(using=using)


class AuditConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "audit"
    verbose_name = "Access log (DPA 2018 s.62)"

    def ready(self):
        # After every migrate, as the owner: the application's role gets its
        # privileges on whatever tables the migrations made (common/db/roles).
        post_migrate.connect(
            _grant_app_role, sender=self, dispatch_uid="audit-grant-app-role"
        )
        from common.db import roles as db_roles  # noqa: F401  (registers its check)
