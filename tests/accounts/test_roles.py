import pytest
from django.contrib.auth.models import Group, Permission

from accounts.roles import ALL_ROLES, ROLE_PERMISSIONS
from accounts.services import roles_sync

pytestmark = pytest.mark.django_db


def _codes(group: Group) -> set[str]:
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in group.permissions.select_related("content_type")
    }


def test_migration_creates_every_role_with_its_permissions():
    assert set(Group.objects.values_list("name", flat=True)) >= set(ALL_ROLES)
    for role, codes in ROLE_PERMISSIONS.items():
        if codes:
            assert _codes(Group.objects.get(name=role)) == set(codes)


def test_administrator_has_every_permission():
    assert Group.objects.get(name="Administrator").permissions.count() == (
        Permission.objects.count()
    )


def test_roles_sync_is_idempotent_and_repairs_drift():
    group = Group.objects.get(name="Licensing officer")
    group.permissions.add(Permission.objects.get(codename="view_record_content"))
    roles_sync()
    roles_sync()
    assert "intelligence.view_record_content" not in _codes(group)


def test_access_table(users):
    a, t, lic, cso, admin = (
        users["Analyst"],
        users["Tasking officer"],
        users["Licensing officer"],
        users["Community safety officer"],
        users["Administrator"],
    )
    # Locations: licensing creates, edits and flags; others read.
    assert lic.has_perms(
        [
            "locations.add_location",
            "locations.change_location",
            "locations.add_concernflag",
        ]
    )
    for u in (a, t, cso):
        assert u.has_perm("locations.view_location")
        assert not u.has_perm("locations.change_location")
    # Intelligence content: analysts and tasking officers only.
    for u in (a, t, admin):
        assert u.has_perm("intelligence.view_record_content")
    for u in (lic, cso):
        assert not u.has_perm("intelligence.view_record_content")
        assert not u.has_perm("intelligence.view_intelligencerecord")
    assert a.has_perm("intelligence.add_intelligencerecord")
    # Disruption and tasking.
    assert t.has_perms(["disruption.add_tasking", "disruption.add_taskingmeeting"])
    assert not a.has_perm("disruption.add_tasking")
    for u in (lic, cso):
        assert u.has_perm("disruption.add_disruptionaction")
        assert not u.has_perm("disruption.add_tasking")
    assert lic.has_perm("disruption.view_own_agency_only")
    assert not cso.has_perm("disruption.view_own_agency_only")
    # Exports: analysts, and tasking officers (the meeting's papers).
    assert a.has_perm("intelligence.export_records")
    assert t.has_perm("intelligence.export_records")
    assert not lic.has_perm("intelligence.export_records")
