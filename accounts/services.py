from django.apps import apps as global_apps
from django.contrib.auth import get_user_model
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django_otp import verify_token
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from .models import Agency, Profile, Rank, UserSession
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
    """End every session of the user and revoke their API token; returns how
    many sessions were ended. Called whenever a user is saved inactive."""
    ended, _ = UserSession.objects.filter(user_id=user.pk).delete()
    Token.objects.filter(user_id=user.pk).delete()
    return ended


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
