"""The postcode table moves from the imports app to locations, where places
are looked up: a move of the model's state only. The table keeps its name
(imports_postcode) and its rows; nothing in the database changes."""

import django.contrib.gis.db.models.fields
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("imports", "0002_change_history"),
        ("locations", "0004_merge_0003_area_committee_0003_premises_name_trigram"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Postcode",
                    fields=[
                        (
                            "postcode",
                            models.CharField(
                                max_length=8, primary_key=True, serialize=False
                            ),
                        ),
                        (
                            "point",
                            django.contrib.gis.db.models.fields.PointField(srid=4326),
                        ),
                    ],
                    options={"db_table": "imports_postcode", "ordering": ["postcode"]},
                ),
            ],
            database_operations=[],
        ),
    ]
