"""The permission ``queues.view_deidentified_counts`` (analysts), on an unmanaged model."""

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies: list[tuple[str, str]] = []

    operations = [
        migrations.CreateModel(
            name="DeidentifiedCounts",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
            ],
            options={
                "managed": False,
                "default_permissions": (),
                "permissions": [
                    (
                        "view_deidentified_counts",
                        "Can see de-identified counts of cases (no names)",
                    )
                ],
            },
        ),
    ]
