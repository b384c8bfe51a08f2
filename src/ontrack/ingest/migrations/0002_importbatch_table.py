# The moved table takes the ingest app's name (rows, ids and indexes stay).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("ingest", "0001_initial"),
        ("imports", "0002_importbatch_moved_to_ingest"),
    ]

    operations = [
        migrations.AlterModelTable(name="importbatch", table=None),
    ]
