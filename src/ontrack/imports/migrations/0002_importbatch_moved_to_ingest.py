# ImportBatch now belongs to the ingest app (ingest.0001 took over the table): forget it
# here without touching the database.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("imports", "0001_initial"),
        ("ingest", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ImportBatch")],
            database_operations=[],
        ),
    ]
