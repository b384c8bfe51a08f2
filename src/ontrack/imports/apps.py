from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "ontrack.imports"
    label = "imports"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The caseload importer plugs into the generic pipeline (ontrack.ingest.registry).
        from ontrack.imports.target import CASELOAD
        from ontrack.ingest.registry import register

        register(CASELOAD)
