"""Each end's newest links first: a graph level reads a node's links by its
key in id order (people.graph._newest_touching) instead of walking the
primary key backwards past every other node's."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("people", "0010_record_mentions_removed_trigger")]

    operations = [
        migrations.AddIndex(
            model_name="link",
            index=models.Index(
                fields=["a_node", "-id"],
                include=["b_node", "link_type"],
                name="link_a_node_newest_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="link",
            index=models.Index(
                fields=["b_node", "-id"],
                include=["a_node", "link_type"],
                name="link_b_node_newest_idx",
            ),
        ),
    ]
