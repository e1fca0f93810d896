from django.db import migrations


def roles_resync(apps, schema_editor):
    # The Safeguarding practitioner role (the multi-agency CSE team) joins the
    # others: its group is created and given its table's permissions.
    from accounts.services import roles_sync

    roles_sync(apps=apps)


def role_remove(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(
        name="Safeguarding practitioner"
    ).delete()


class Migration(migrations.Migration):
    # After the apps whose permissions the role is given.
    dependencies = [
        ("accounts", "0006_drf_tokens_expired"),
        ("locations", "0005_postcode_from_imports"),
        ("intelligence", "0010_data_version"),
        ("disruption", "0002_change_history"),
        ("people", "0008_consultation_entry_unconstrained"),
    ]

    operations = [migrations.RunPython(roles_resync, role_remove)]
