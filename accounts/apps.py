from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync_roles(**kwargs):
    from .services import roles_sync

    roles_sync()


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Users and roles"

    def ready(self):
        # After every migrate, permissions of newly added models reach the
        # roles (the administrator's "all" included), as accounts/roles.py says.
        post_migrate.connect(
            _sync_roles, sender=self, dispatch_uid="accounts-sync-roles"
        )
        from .backends import permissions_cache_connect

        permissions_cache_connect()
        from .signals import sign_in_signals_connect

        sign_in_signals_connect()
        from .lockout import lockout_signals_connect

        lockout_signals_connect()
