from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "ontrack.api"
    label = "api"
    verbose_name = "REST API v1"

    def ready(self) -> None:
        from ontrack.api import auth  # noqa: F401  # registers the OpenAPI security scheme
