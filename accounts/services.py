from django.apps import apps as global_apps
from django.contrib.auth import get_user_model
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group
from django.db import transaction

from .models import Agency, Profile, Rank
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
