# ImportBatch moves here from the imports app, keeping its table and rows: the state is
# created on top of the existing table (imports.0001 made it), imports.0002 drops it from
# the imports app's state, and 0002 below renames the table. The content type moves too,
# so the permissions (and the groups holding them) carry over with their ids.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="imports", model="importbatch").update(
        app_label="ingest"
    )


def move_content_type_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="ingest", model="importbatch").update(
        app_label="imports"
    )


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("imports", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ImportBatch",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("feed", models.CharField(db_index=True, max_length=50)),
                        ("profile", models.CharField(max_length=50)),
                        ("file_name", models.CharField(max_length=255)),
                        ("sha256", models.CharField(db_index=True, max_length=64)),
                        ("started_at", models.DateTimeField()),
                        ("finished_at", models.DateTimeField()),
                        ("rows", models.PositiveIntegerField()),
                        ("counts", models.JSONField()),
                        ("actor", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "db_table": "imports_importbatch",
                        "ordering": ["-finished_at", "-id"],
                        "permissions": [("run_import", "Can import files (caseload and other feeds)")],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
