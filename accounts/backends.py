"""Sign-in and permissions: Django's ModelBackend with each user's permission
set read with the user, or kept in the shared cache.

Django loads a user's permissions afresh on every request (two joined
queries, the group one the slowest query of a small API request). A user
signed in by session is read on every request anyway (`get_user`): the
permission names come in that same query, as an array subquery, so a
request pays no query for them and sees a role change at once. A user found
another way (an API token) has the set cached per user in the cache every
worker shares (the CACHES backend, see common/cache.py), dropped the moment a
user's groups, a group's permissions or the user row change (signals below,
which also see migrations' historical models); PERMISSIONS_CACHE_S bounds
any change made behind Django's back (raw SQL).
"""

import functools

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.contrib.postgres.expressions import ArraySubquery
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import CharField, OuterRef, Q, Value
from django.db.models.functions import Concat

PERMISSIONS_CACHE_S = 300


def permissions_cache_key(user_id: int) -> str:
    return f"intel_map:perms:{user_id}"


def _permission_names() -> ArraySubquery:
    """ "app_label.codename" of every permission the outer user row holds,
    given to it directly or through its groups (ModelBackend's two queries
    as one subquery of the user's own)."""
    user_pk = OuterRef(OuterRef("pk"))
    direct = get_user_model().user_permissions.through.objects.filter(user_id=user_pk)
    grouped = Group.permissions.through.objects.filter(group__user=user_pk)
    names = (
        Permission.objects.filter(
            Q(pk__in=direct.values("permission_id"))
            | Q(pk__in=grouped.values("permission_id"))
        )
        .order_by()
        .annotate(
            perm_name=Concat(
                "content_type__app_label",
                Value("."),
                "codename",
                output_field=CharField(),
            )
        )
        .values("perm_name")
    )
    return ArraySubquery(names)


# Stands for the user's id while the query is compiled once (below).
_USER_ID_SLOT = -7_304_117


@functools.cache
def _user_with_permissions_sql() -> tuple[str, tuple]:
    """The SQL of the user row with its permission names, compiled by the ORM
    once per process: composing and compiling the subqueries afresh cost
    about 2 ms of Python on every request, more than running them."""
    users = get_user_model()._default_manager.annotate(
        permission_names=_permission_names()
    )
    sql, params = users.filter(pk=_USER_ID_SLOT).query.sql_with_params()
    if list(params).count(_USER_ID_SLOT) != 1:
        raise AssertionError("the user's id must appear once in the query")
    return sql, tuple(params)


class CachedPermissionsBackend(ModelBackend):
    def get_user(self, user_id):
        """The session's user with its permission names in the same query.
        A superuser's set is every permission (ModelBackend's rule), left to
        get_all_permissions."""
        try:
            user_id = get_user_model()._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        sql, params = _user_with_permissions_sql()
        params = [user_id if p == _USER_ID_SLOT else p for p in params]
        found = list(get_user_model()._default_manager.raw(sql, params))
        if not found:
            return None
        user = found[0]
        if not self.user_can_authenticate(user):
            return None
        names = user.__dict__.pop("permission_names")
        if not user.is_superuser:
            user._perm_cache = set(names or ())
        return user

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            key = permissions_cache_key(user_obj.pk)
            perms = cache.get(key)
            if perms is None:
                perms = super().get_all_permissions(user_obj)
                cache.set(key, perms, PERMISSIONS_CACHE_S)
            user_obj._perm_cache = perms
        return user_obj._perm_cache


def permissions_forget(*, user_ids) -> None:
    keys = [permissions_cache_key(pk) for pk in set(user_ids)]
    if keys:
        cache.delete_many(keys)


def _users_of_groups(group_ids) -> list[int]:
    through = get_user_model().groups.through
    return list(
        through.objects.filter(group_id__in=list(group_ids)).values_list(
            "user_id", flat=True
        )
    )


def _on_m2m_changed(sender, instance, action, reverse, pk_set, **kwargs):
    label = sender._meta.label_lower
    if label not in (
        "auth.user_groups",
        "auth.user_user_permissions",
        "auth.group_permissions",
    ):
        return
    if action not in ("pre_clear", "post_add", "post_remove", "post_clear"):
        return
    if label == "auth.group_permissions":
        groups = [instance.pk] if not reverse else (pk_set or [])
        if reverse and action == "pre_clear":
            groups = instance.group_set.values_list("pk", flat=True)
        permissions_forget(user_ids=_users_of_groups(groups))
    elif not reverse:
        permissions_forget(user_ids=[instance.pk])
    elif action == "pre_clear":
        permissions_forget(user_ids=instance.user_set.values_list("pk", flat=True))
    else:
        permissions_forget(user_ids=pk_set or [])


def _on_user_saved(sender, instance, **kwargs):
    # is_superuser or is_active may have changed.
    permissions_forget(user_ids=[instance.pk])


def _on_group_deleted(sender, instance, **kwargs):
    permissions_forget(user_ids=_users_of_groups([instance.pk]))


def permissions_cache_connect() -> None:
    from django.contrib.auth.models import Group
    from django.db.models.signals import m2m_changed, post_save, pre_delete

    # Unfiltered: migrations' historical through models send these too.
    m2m_changed.connect(_on_m2m_changed, dispatch_uid="perms-cache-m2m")
    post_save.connect(
        _on_user_saved, sender=get_user_model(), dispatch_uid="perms-cache-user"
    )
    pre_delete.connect(
        _on_group_deleted, sender=Group, dispatch_uid="perms-cache-group"
    )
