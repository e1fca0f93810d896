"""Sign-in events wired to the services that act on them."""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_save


def _on_user_saved(sender, instance, created, **kwargs):
    # Deactivated, in the admin or in code: their sessions and token go now,
    # not at their next request.
    if not created and not instance.is_active:
        from .services import user_sessions_end

        user_sessions_end(user=instance)


def _on_signed_in(sender, request, user, **kwargs):
    from .middleware import session_mark_signed_in
    from .reauth import reauth_mark

    if request is not None and hasattr(request, "session"):
        session_mark_signed_in(session=request.session)
        # Signing in is giving the password: an export may follow at once.
        reauth_mark(session=request.session)


def sign_in_signals_connect() -> None:
    post_save.connect(
        _on_user_saved, sender=get_user_model(), dispatch_uid="sessions-end-inactive"
    )
    user_logged_in.connect(_on_signed_in, dispatch_uid="session-signed-in-at")
