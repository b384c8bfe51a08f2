"""The URLconf. Every view declares its permission (see ontrack.common.access)."""

from django.urls import include, path

from ontrack.accounts.views import home

urlpatterns = [
    path("", home, name="home"),
    path("accounts/", include("ontrack.accounts.urls")),
    path("cases/", include("ontrack.cases.urls")),
    path("people/", include("ontrack.cases.person_urls")),
    path("offenses/", include("ontrack.offenses.urls")),
    path("audit/", include("ontrack.audit.urls")),
    path("staff/", include("ontrack.programs.urls")),
    path("imports/", include("ontrack.imports.urls")),
    path("eligibility/", include("ontrack.eligibility.urls")),
    path("search/", include("ontrack.search.urls")),
]
