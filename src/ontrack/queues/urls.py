"""One page and two exports per list, each at its own path (no parameter: a list is not a
record, and the URL walks visit every one of them)."""

from django.urls import URLPattern, path

from ontrack.queues import views
from ontrack.queues.listing import ListSpec
from ontrack.queues.lists import SPECS

app_name = "queues"


def _list_urls(spec: ListSpec) -> list[URLPattern]:
    slug = spec.slug
    page = [path(f"{slug}/", views.case_list, {"slug": slug}, name=slug)] if spec.own_page else []
    return [
        *page,
        path(f"{slug}/export.csv", views.case_list_export, {"slug": slug, "kind": "csv"},
             name=f"{slug}-csv"),
        path(f"{slug}/export.xlsx", views.case_list_export, {"slug": slug, "kind": "xlsx"},
             name=f"{slug}-xlsx"),
    ]  # fmt: skip


urlpatterns = [
    path("how-many/", views.how_many, name="how_many"),
    path("assign/", views.assign_selected, name="assign"),
    *[u for spec in SPECS.values() for u in _list_urls(spec)],
]
