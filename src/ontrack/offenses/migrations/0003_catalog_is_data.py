"""The catalog is the shipped data (lookup.catalog()), not tables (ADR 0011).

Drops the tables ``load_offense_catalog`` filled. ``Statute`` stays in the migration state as
an unmanaged model without fields, so that its content type and the permission
``offenses.view_statute`` keep their identity (roles refer to it).
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("offenses", "0002_near_school_label")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.DeleteModel(name="StatuteCategory"),
                migrations.DeleteModel(name="Statute"),
            ],
            state_operations=[
                migrations.DeleteModel(name="StatuteCategory"),
                migrations.RemoveField(model_name="statute", name="code"),
                migrations.RemoveField(model_name="statute", name="jurisdiction"),
                migrations.RemoveField(model_name="statute", name="description"),
                migrations.RemoveField(model_name="statute", name="level"),
                migrations.RemoveField(model_name="statute", name="includes_subdivisions"),
                migrations.AlterModelOptions(
                    name="statute",
                    options={"managed": False, "default_permissions": ("view",)},
                ),
            ],
        )
    ]
