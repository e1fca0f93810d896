"""The postcode model now belongs to locations (its migration 0005): drop it
from this app's state only; the table and its rows stay."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("imports", "0002_change_history"),
        ("locations", "0005_postcode_from_imports"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Postcode")],
            database_operations=[],
        ),
    ]
