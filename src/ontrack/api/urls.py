"""``/api/v1/``: every view declared ``api_endpoint`` (bearer token only, ADR 0054), except
the schema and its docs page, which are pages for signed-in staff (they show no records)."""

from typing import Any

from django.urls import path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerSplitView

from ontrack.api import charge_views as cv
from ontrack.api import drugtest_views as dv  # drugtests (issue 10)
from ontrack.api import eligibility_views as ev
from ontrack.api import enrollments_views as env  # enrollments (issue 10)
from ontrack.api import hearing_views as hearings  # hearings
from ontrack.api import history_views as hv
from ontrack.api import note_views as nv  # notes
from ontrack.api import plan_views as plv  # plans (issue 10)
from ontrack.api import response_views as rv  # responses (issue 10)
from ontrack.api import views
from ontrack.common.access import api_endpoint, requires


def _api(view: Any) -> Any:
    return api_endpoint(view.as_view())


def _staff_page(view: Any) -> Any:
    """A page for signed-in staff: DRF marks its views ``login_required = False`` (for its
    own authentication); these are sessions' pages, so the sign-in redirect applies again."""
    page = requires("accounts.access_ontrack")(view)
    page.login_required = True
    return page


app_name = "api"
urlpatterns = [
    # hearings (issue 10): an enrollment's hearings; move or cancel one.
    path(
        "enrollments/<int:enrollment_id>/hearings",
        _api(hearings.EnrollmentHearingsView),
        name="enrollment_hearings",
    ),
    path("hearings/<int:hearing_id>", _api(hearings.HearingView), name="hearing"),
    path("search", _api(views.SearchView), name="search"),
    path("people", _api(views.PeopleView), name="people"),
    path("people/possible-matches", _api(hv.PossibleMatchesView), name="possible_matches"),
    path("people/<int:person_id>", _api(views.PersonView), name="person"),
    path("people/<int:person_id>/history-checks", _api(hv.HistoryChecksView), name="checks"),
    path("people/<int:person_id>/prior-records", _api(hv.PriorRecordsView), name="priors"),
    path(
        "people/<int:person_id>/possible-duplicates",
        _api(hv.PossibleDuplicatesView),
        name="duplicates",
    ),
    path("cases", _api(views.CasesView), name="cases"),
    path("cases/<int:case_id>", _api(views.CaseView), name="case"),
    path("cases/<int:case_id>/charges", _api(cv.ChargesView), name="charges"),
    path("cases/<int:case_id>/charges/<int:charge_id>", _api(cv.ChargeView), name="charge"),
    path("cases/<int:case_id>/screenings", _api(ev.ScreeningsView), name="screenings"),
    path("cases/<int:case_id>/facts", _api(ev.FactsView), name="facts"),
    path("cases/<int:case_id>/override", _api(ev.OverrideView), name="override"),
    # enrollments (issue 10)
    path("enrollments", _api(env.EnrollmentsView), name="enrollments"),
    path("enrollments/<int:enrollment_id>", _api(env.EnrollmentView), name="enrollment"),
    path(
        "enrollments/<int:enrollment_id>/transitions",
        _api(env.TransitionsView),
        name="enrollment_transitions",
    ),
    path("enrollments/<int:enrollment_id>/moves", _api(env.MovesView), name="enrollment_moves"),
    # plans (issue 10)
    path("enrollments/<int:enrollment_id>/plan", _api(plv.PlanView), name="plan"),
    path("enrollments/<int:enrollment_id>/events", _api(plv.EventsView), name="events"),
    path("requirements/<int:requirement_id>", _api(plv.RequirementView), name="requirement"),
    # notes: an enrollment's notes and documents
    path(
        "enrollments/<int:enrollment_id>/notes",
        _api(nv.EnrollmentNotesView),
        name="enrollment_notes",
    ),
    path("notes/<int:note_id>", _api(nv.NoteView), name="note"),
    path(
        "enrollments/<int:enrollment_id>/documents",
        _api(nv.EnrollmentDocumentsView),
        name="enrollment_documents",
    ),
    path(
        "documents/<int:document_id>/content",
        _api(nv.DocumentContentView),
        name="document_content",
    ),
    # drugtests, responses (issue 10)
    path("enrollments/<int:enrollment_id>/drug-tests", _api(dv.DrugTestsView), name="drug_tests"),
    path("enrollments/<int:enrollment_id>/responses", _api(rv.ResponsesView), name="responses"),
    path("events/<int:event_id>/response", _api(rv.EventResponseView), name="event_response"),
    path(
        "openapi.json",
        _staff_page(SpectacularJSONAPIView.as_view()),
        name="schema",
    ),
    path(
        "docs",
        _staff_page(SpectacularSwaggerSplitView.as_view(url_name="api:schema")),
        name="docs",
    ),
]
