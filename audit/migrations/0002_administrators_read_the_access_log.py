from django.db import migrations


def roles_resync(apps, schema_editor):
    # The Administrator role holds every permission, the log's included;
    # no other role is given any permission on it.
    from accounts.services import roles_sync

    roles_sync(apps=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_access_log"),
        ("accounts", "0002_roles"),
    ]

    operations = [migrations.RunPython(roles_resync, migrations.RunPython.noop)]
