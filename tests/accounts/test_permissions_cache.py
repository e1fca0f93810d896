"""A user's permission set comes from the shared cache and is dropped the
moment their role, or their role's permissions, change."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.backends import CachedPermissionsBackend
from accounts.roles import ANALYST, LICENSING_OFFICER

pytestmark = pytest.mark.django_db

RUN_ANALYSIS = "locations.run_analysis"


def fresh(user):
    """The user as the next request loads it (no per-object cache)."""
    return get_user_model().objects.get(pk=user.pk)


def test_a_second_request_reads_the_set_in_one_query(analyst):
    assert fresh(analyst).has_perm(RUN_ANALYSIS)
    user = fresh(analyst)
    with CaptureQueriesContext(connection) as queries:
        assert user.has_perm(RUN_ANALYSIS)
        assert not user.has_perm("locations.view_restricted_exact")
    assert len(queries) == 1
    assert "intel_map_cache" in queries[0]["sql"]


def test_a_changed_role_applies_at_once(analyst):
    assert fresh(analyst).has_perm(RUN_ANALYSIS)
    analyst.groups.set([Group.objects.get(name=LICENSING_OFFICER)])
    assert not fresh(analyst).has_perm(RUN_ANALYSIS)
    analyst.groups.clear()
    assert not fresh(analyst).has_perm("intelligence.view_record_content")


def test_a_role_losing_a_permission_applies_at_once(analyst):
    assert fresh(analyst).has_perm(RUN_ANALYSIS)
    group = Group.objects.get(name=ANALYST)
    perm = Permission.objects.get(codename="run_analysis")
    group.permissions.remove(perm)
    assert not fresh(analyst).has_perm(RUN_ANALYSIS)
    perm.group_set.add(group)
    assert fresh(analyst).has_perm(RUN_ANALYSIS)
    perm.group_set.clear()
    assert not fresh(analyst).has_perm(RUN_ANALYSIS)


def test_deactivated_and_deleted_role(analyst):
    assert fresh(analyst).has_perm(RUN_ANALYSIS)
    Group.objects.get(name=ANALYST).delete()
    assert not fresh(analyst).has_perm(RUN_ANALYSIS)
    analyst.is_active = False
    analyst.save()
    assert fresh(analyst).get_all_permissions() == set()


def test_a_session_user_comes_with_its_own_set_in_one_query(analyst, licensing_officer):
    """get_user's statement is compiled once per process and filled in with
    each user's id: each user gets their own row and their own set."""
    backend = CachedPermissionsBackend()
    for user, can_analyse in ((analyst, True), (licensing_officer, False)):
        with CaptureQueriesContext(connection) as queries:
            loaded = backend.get_user(str(user.pk))
            assert loaded.pk == user.pk and loaded.username == user.username
            assert loaded.has_perm(RUN_ANALYSIS) is can_analyse
        assert len(queries) == 1
    assert backend.get_user("not a number") is None
    assert backend.get_user(str(licensing_officer.pk + analyst.pk + 1000)) is None
    analyst.is_active = False
    analyst.save()
    assert backend.get_user(str(analyst.pk)) is None
