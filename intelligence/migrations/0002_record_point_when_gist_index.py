from django.contrib.postgres.indexes import GistIndex
from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("intelligence", "0001_initial"),
    ]

    operations = [
        BtreeGistExtension(),
        migrations.AddIndex(
            model_name="intelligencerecord",
            index=GistIndex(
                fields=["point", "occurred_from"], name="intel_point_when_gist"
            ),
        ),
    ]
