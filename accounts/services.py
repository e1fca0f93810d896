from django.apps import apps as global_apps
from django.contrib.auth import get_user_model
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django_otp import verify_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import (
    Agency,
    ApiToken,
    ApiTokenUse,
    Profile,
    Rank,
    SignInEvent,
    SignInEventKind,
    TokenScope,
    UserSession,
)
from .roles import ADMINISTRATOR, ROLE_PERMISSIONS

User = get_user_model()


def roles_sync(*, apps=global_apps) -> None:
    """Create the role groups and give each exactly its table's permissions.

    Works with the live app registry or a migration's historical one (which
    skips permissions its schema does not have yet).
    """
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for role, codenames in ROLE_PERMISSIONS.items():
        group, _ = group_model.objects.get_or_create(name=role)
        if role == ADMINISTRATOR:
            perms = permission_model.objects.all()
        else:
            wanted = {tuple(c.split(".", 1)) for c in codenames}
            perms = [
                p
                for p in permission_model.objects.select_related("content_type")
                if (p.content_type.app_label, p.codename) in wanted
            ]
            found = {(p.content_type.app_label, p.codename) for p in perms}
            # A migration sees the schema of its time: permissions added by
            # later migrations do not exist yet, and those migrations grant
            # them. With the live registry every permission must exist.
            if (missing := wanted - found) and apps is global_apps:
                raise LookupError(f"Role {role!r} names unknown permissions: {missing}")
        group.permissions.set(perms)


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    role: str,
    agency: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    rank: str = Rank.NONE,
) -> User:
    """Create (or bring back in line) a user with one role and an agency."""
    user, _ = User.objects.get_or_create(username=username)
    user.first_name, user.last_name, user.email = first_name, last_name, email
    user.is_staff = role == ADMINISTRATOR
    user.is_superuser = role == ADMINISTRATOR
    user.is_active = True
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    user.groups.set([Group.objects.get(name=role)])
    Profile.objects.update_or_create(
        user=user, defaults={"agency": Agency(agency), "rank": rank}
    )
    return user


def user_permissions(*, user: User) -> set[str]:
    return user.get_all_permissions() if user.is_active else set()


def user_sessions_end(*, user: User) -> int:
    """End every session of the user and revoke their API tokens; returns how
    many sessions were ended. Called whenever a user is saved inactive."""
    ended, _ = UserSession.objects.filter(user_id=user.pk).delete()
    ApiToken.objects.filter(user_id=user.pk).delete()
    return ended


# --- API tokens (accounts/tokens.py) --------------------------------------------


class TokenRefused(Exception):
    """The user may not be issued this token; the message says why."""


def api_token_scopes_for(*, user: User) -> list[TokenScope]:
    """The scopes worth issuing to this user: those their role can use."""
    from .roles import can_read_map, can_submit

    scopes = []
    if can_read_map(user):
        scopes += [TokenScope.READ, TokenScope.MAP]
    if can_submit(user):
        scopes.append(TokenScope.SUBMIT)
    return scopes


@transaction.atomic
def api_token_issue(
    *, user: User, name: str, scope: str, second_factor_passed: bool
) -> tuple[ApiToken, str]:
    """A new token for `user`, and the token itself (shown once: only its
    digest is kept). Only from a session that has passed the second factor:
    a token skips it for as long as it lasts."""
    if not second_factor_passed:
        raise TokenRefused(
            "Tokens are issued only once you have signed in with the code "
            "from your authenticator app."
        )
    if scope not in api_token_scopes_for(user=user):
        raise TokenRefused("Your role cannot use a token of that scope.")
    token = ApiToken(user=user, name=name.strip(), scope=scope)
    token.full_clean(exclude=["digest", "token_key", "expiry"])
    return ApiToken.objects.create(user=user, name=token.name, scope=scope)


def api_token_revoke(*, user: User, digest: str) -> bool:
    """Revoke one of the user's own tokens; False if they have no such token."""
    deleted, _ = ApiToken.objects.filter(user=user, digest=digest).delete()
    return bool(deleted)


def api_token_use_log(*, token: ApiToken, request) -> ApiTokenUse:
    """Write one use of a token, as its user. Once per HTTP request (a view
    that calls another view for the same request is not a second use)."""
    if getattr(request, "_api_token_use", None) is not None:
        return request._api_token_use
    use = ApiTokenUse.objects.create(
        user=token.user,
        username=token.user.get_username(),
        token_key=token.token_key,
        token_name=token.name,
        scope=token.scope,
        method=request.method[:10],
        route=request.get_full_path()[:2000],
        ip=request.META.get("REMOTE_ADDR") or None,
    )
    request._api_token_use = use
    return use


# --- Second factor: one TOTP authenticator app per user ---------------------


def otp_device_confirmed(*, user: User) -> TOTPDevice | None:
    """The user's confirmed authenticator, or None if they have not set one up."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


@transaction.atomic
def otp_device_pending(*, user: User) -> TOTPDevice:
    """The authenticator being set up: the same secret until it is confirmed,
    so a reloaded set-up page shows the code already scanned."""
    device = (
        TOTPDevice.objects.select_for_update()
        .filter(user=user, confirmed=False)
        .order_by("id")
        .first()
    )
    return device or TOTPDevice.objects.create(
        user=user, name="Authenticator app", confirmed=False
    )


@transaction.atomic
def otp_device_confirm(*, user: User, token: str) -> TOTPDevice | None:
    """Confirm the pending authenticator with a code it shows. Refused if the
    user already has one: replacing it is an administrator's job (delete the
    old device in the admin), so a stolen password cannot enrol a new phone."""
    if otp_device_confirmed(user=user) is not None:
        return None
    device = otp_device_pending(user=user)
    if not device.verify_token(token):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return device


def otp_verify(*, user: User, token: str) -> TOTPDevice | None:
    """The user's authenticator if it accepts the code, else None. Each wrong
    code doubles the wait before the next is tried (django-otp throttling)."""
    device = otp_device_confirmed(user=user)
    if device is None:
        return None
    return verify_token(user, device.persistent_id, token)


def otp_wait_seconds(*, device: TOTPDevice) -> int:
    """Seconds before the authenticator accepts another code (0: now)."""
    allowed, info = device.verify_is_allowed()
    if allowed or not info or not info.get("locked_until"):
        return 0
    return max(1, int((info["locked_until"] - timezone.now()).total_seconds()) + 1)


# --- Sign-in lock-outs (accounts/lockout.py) ------------------------------------


def signin_lockout_record(*, username: str, ip: str | None, detail: str) -> SignInEvent:
    return SignInEvent.objects.create(
        kind=SignInEventKind.LOCKED,
        username=username[:255],
        ip=ip or None,
        detail=f"Locked: {detail}"[:200],
    )


@transaction.atomic
def signin_unlock(*, username: str, by: User) -> SignInEvent:
    """Clear every failed sign-in of a username, wherever it came from, so
    it signs in again at once; recorded with the administrator who did it."""
    from axes.utils import reset

    cleared = reset(username=username)
    return SignInEvent.objects.create(
        kind=SignInEventKind.UNLOCKED,
        username=username[:255],
        by=by,
        detail=f"{cleared} failed-attempt record(s) cleared",
    )
