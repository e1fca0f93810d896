from django.db import migrations


def roles_resync(apps, schema_editor):
    # The safeguarding permissions: screenings, plans, reviews and cases for
    # the Safeguarding practitioner and administrators, aggregates for
    # analysts, alerts for tasking officers; and the people the practitioner
    # needs to find and screen a young person.
    from accounts.services import roles_sync

    roles_sync(apps=apps)


class Migration(migrations.Migration):
    # After the apps whose permissions the roles are given.
    dependencies = [
        ("safeguarding", "0002_default_indicators"),
        ("accounts", "0007_safeguarding_practitioner"),
        ("notifications", "0003_safety_plan_alert_kind"),
    ]

    operations = [migrations.RunPython(roles_resync, migrations.RunPython.noop)]
