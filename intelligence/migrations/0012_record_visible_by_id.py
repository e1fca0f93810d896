"""Need-to-know by id from the index alone: a link chart checks the records
each of ~4,000 links rests on (people.selectors.link_records_visible)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("intelligence", "0011_rollups")]

    operations = [
        migrations.AddIndex(
            model_name="intelligencerecord",
            index=models.Index(
                fields=["id"],
                include=["status", "grading_scheme", "handling_code"],
                name="intel_visible_by_id",
            ),
        ),
    ]
