"""The URLconf. Every view declares its permission (see ontrack.common.access)."""

from django.urls import include, path

from ontrack.queues.views import home

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
    path("referrals/", include("ontrack.referrals.urls")),
    path("queues/", include("ontrack.queues.urls")),
    path("api/v1/", include("ontrack.api.urls")),
    path("search/", include("ontrack.search.urls")),
    path("participants/", include("ontrack.participants.urls")),
    path("enrollments/", include("ontrack.enrollments.urls")),  # enrollments (issue 10)
    path("plans/", include("ontrack.plans.urls")),  # plans (issue 10)
    path("hearings/", include("ontrack.hearings.urls")),  # hearings: the court calendar
    # notes: /participants/<id>/notes/, /participants/<id>/documents/, /notes/…, /documents/…
    path("", include("ontrack.notes.urls")),
    # responses (issue 10): the decision form of the participant page's "Responses" panel.
    path("responses/", include("ontrack.responses.urls")),
]

# Under /api/ a URL that names nothing answers a problem document, not a page (ADR 0055).
handler404 = "ontrack.common.problems.page_not_found"
