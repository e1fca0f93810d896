from django.db import migrations


def create_roles(apps, schema_editor):
    from accounts.services import roles_sync

    roles_sync(apps=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("locations", "0001_initial"),
        ("intelligence", "0001_initial"),
        ("disruption", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
