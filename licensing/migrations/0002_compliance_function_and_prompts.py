"""The date arithmetic the compliance engine runs in SQL, and the trigger
that prompts a licensing officer when new intelligence mentions a vehicle
they license (licensing.models.LicensingPrompt)."""

from django.db import migrations

from licensing.compliance import ADD_MONTHS_DROP_SQL, ADD_MONTHS_SQL
from licensing.prompts import PROMPT_TRIGGER_DROP_SQL, PROMPT_TRIGGER_SQL


class Migration(migrations.Migration):
    dependencies = [
        ("licensing", "0001_initial"),
        ("people", "0005_record_mentions_trigger"),
    ]

    operations = [
        migrations.RunSQL(ADD_MONTHS_SQL, ADD_MONTHS_DROP_SQL),
        migrations.RunSQL(PROMPT_TRIGGER_SQL, PROMPT_TRIGGER_DROP_SQL),
    ]
