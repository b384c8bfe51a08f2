"""The decision in force on the pages: headlines, superseded screenings, the override's
confirmation step, withdrawing an override, and the supervisor's review queue."""

from __future__ import annotations

import time
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ontrack.accounts.session_limits import VERIFIED_AT
from ontrack.audit.models import AuditEvent
from ontrack.cases.models import Case
from ontrack.eligibility.models import Screening, ScreeningOverride
from ontrack.eligibility.services import override_screening, record_case_fact, screen_case
from ontrack.eligibility.tests.helpers import POLICY, body_of, prepared_case, screening_url


def _day(moment: Any) -> str:
    return timezone.localdate(moment).isoformat()


def _conflicted(case: Case, case_manager: Any, supervisor: Any) -> tuple[Screening, Screening]:
    """Overridden to eligible, then re-screened ineligible: the override still decides."""
    first = screen_case(actor=case_manager, case=case, policy=POLICY)
    override_screening(actor=supervisor, screening=first, result="eligible", reason="Permit seen")
    record_case_fact(
        actor=case_manager, case=case, fact="work_authorization", value="not_authorized",
        method="I-9 reviewed",
    )  # fmt: skip
    return first, screen_case(actor=case_manager, case=case, policy=POLICY)


def _state() -> tuple[Any, ...]:
    return (
        AuditEvent.objects.count(),
        list(ScreeningOverride.objects.order_by("pk").values_list("row_version", "withdrawn_at")),
    )


def test_the_headlines_state_the_override_that_outlived_the_rescreen(
    client: Any, case: Case, case_manager: Any, supervisor: Any
) -> None:
    first, again = _conflicted(case, case_manager, supervisor)
    override = ScreeningOverride.objects.get()
    headline = (
        f"Eligible — supervisor override by supervisor-user on {_day(override.created_at)}:"
        " Permit seen"
    )
    client.force_login(case_manager)
    section = body_of(client.get(f"/eligibility/cases/{case.pk}/"))
    assert f'<p id="decision"><strong>Decision in force:</strong> {headline}</p>' in section
    assert (
        '<p id="for-review">The latest screening computed <strong>Ineligible</strong>, which'
        " differs from the override in force; it is on the supervisor's review queue until the"
        " override is withdrawn or a screening agrees with it.</p>"
    ) in section
    current = body_of(client.get(screening_url(again)))
    assert f'<h2 id="result-h">{headline}</h2>' in current
    assert '<strong id="computed-result">Ineligible</strong>' in current
    assert 'id="superseded"' not in current
    old = body_of(client.get(screening_url(first)))
    assert f'<h2 id="result-h">{headline}</h2>' in old
    assert (
        '<p id="superseded"><strong>This screening is superseded</strong> by the'
        f' <a href="{screening_url(again)}">current screening, of {_day(again.created_at)}</a>.</p>'
    ) in old


def test_the_confirmation_refuses_an_override_that_changes_nothing(
    client: Any, supervisor: Any, screened: Screening, new_events: Any
) -> None:
    client.force_login(supervisor)
    response = client.post(
        f"{screening_url(screened)}override/", {"result": "needs_information", "reason": "same"}
    )
    assert response.status_code == 400
    assert (
        '<small id="ov-result-error">the decision in force is already Needs information: an'
        " override must change it</small>"
    ) in body_of(response)
    assert ScreeningOverride.objects.count() == 0
    assert new_events().count() == 0


def test_a_superseded_screening_offers_no_override_form(
    client: Any, case: Case, case_manager: Any, supervisor: Any
) -> None:
    first, again = _conflicted(case, case_manager, supervisor)
    client.force_login(supervisor)
    old = body_of(client.get(screening_url(first)))
    assert f'action="{screening_url(first)}override/"' not in old
    assert f'action="/eligibility/cases/{case.pk}/withdraw-override/"' in old
    current = body_of(client.get(screening_url(again)))
    assert f'action="{screening_url(again)}override/"' in current


def test_a_supervisor_withdraws_the_override(
    client: Any, case: Case, case_manager: Any, supervisor: Any, new_events: Any
) -> None:
    _first, again = _conflicted(case, case_manager, supervisor)
    override = ScreeningOverride.objects.get()
    client.force_login(supervisor)
    url = f"/eligibility/cases/{case.pk}/withdraw-override/"
    response = client.post(
        url, {"override": override.pk, "expected_version": 1, "reason": "Permit expired"}
    )
    assert response.status_code == 302
    assert response["Location"] == screening_url(again)
    assert list(new_events().values_list("action", flat=True).order_by("id"))[-1:] == [
        "screening.override_withdrawn"
    ]
    body = body_of(client.get(screening_url(again)))
    assert (
        f'<h2 id="result-h">Ineligible — screening of {_day(again.created_at)} under'
        " Back on Track 2009-07</h2>"
    ) in body
    withdrawn = ScreeningOverride.objects.get()
    assert (
        f"<td>Withdrawn by supervisor-user on {_day(withdrawn.withdrawn_at)}: Permit expired</td>"
    ) in body_of(client.get(screening_url(_first)))
    assert "Nothing to review." in body_of(client.get("/eligibility/review/"))


def test_a_stale_withdrawal_is_a_conflict_and_changes_nothing(
    client: Any, case: Case, case_manager: Any, supervisor: Any
) -> None:
    _conflicted(case, case_manager, supervisor)
    override = ScreeningOverride.objects.get()
    client.force_login(supervisor)
    url = f"/eligibility/cases/{case.pk}/withdraw-override/"
    before = _state()
    stale = client.post(url, {"override": override.pk, "expected_version": 7, "reason": "x"})
    assert stale.status_code == 409
    assert (
        f"screening override {override.pk} was changed by someone else since version 7;"
        " reload and apply your change again"
    ) in body_of(stale)
    other = client.post(url, {"override": override.pk + 1, "expected_version": 1, "reason": "x"})
    assert other.status_code == 409
    assert "that override is no longer in force (withdrawn or replaced)" in body_of(other)
    empty = client.post(url, {"override": override.pk, "expected_version": 1, "reason": " "})
    assert empty.status_code == 400
    assert '<small id="wd-reason-error">a withdrawal needs a reason</small>' in body_of(empty)
    assert _state() == before


def test_withdrawing_needs_a_recent_sign_in(
    client: Any, case: Case, case_manager: Any, supervisor: Any
) -> None:
    _conflicted(case, case_manager, supervisor)
    override = ScreeningOverride.objects.get()
    client.force_login(supervisor)
    session = client.session
    session[VERIFIED_AT] = time.time() - 16 * 60  # CJIS IA-11: more than 15 minutes ago
    session.save()
    before = _state()
    url = f"/eligibility/cases/{case.pk}/withdraw-override/"
    refused = client.post(url, {"override": override.pk, "expected_version": 1, "reason": "x"})
    assert refused.status_code == 302
    assert refused["Location"].startswith("/accounts/reauth/")
    assert _state() == before


def test_the_review_queue_lists_conflicts_only(
    client: Any, case: Case, case_manager: Any, supervisor: Any, new_access: Any
) -> None:
    _first, again = _conflicted(case, case_manager, supervisor)
    agreeing = prepared_case("CRI-2025-500002", case_manager=case_manager)
    screened = screen_case(actor=case_manager, case=agreeing, policy=POLICY)
    override_screening(actor=supervisor, screening=screened, result="ineligible", reason="hold")
    client.force_login(supervisor)
    body = body_of(client.get("/eligibility/review/"))
    override = ScreeningOverride.objects.get(screening__case=case)
    rows = body.split("<tbody>")[1].split("</tbody>")[0].strip()
    assert (
        rows
        == (
            f'<tr> <td><a href="/cases/{case.pk}/">CRI-2025-500001</a></td> <td>Lupe Arriaga</td>'
            " <td>Eligible — supervisor override by supervisor-user on"
            f" {_day(override.created_at)}: Permit seen</td> <td>Ineligible</td>"
            f' <td><a href="{screening_url(again)}">'
            f"{timezone.localtime(again.created_at).strftime('%Y-%m-%d %H:%M')}</a></td> </tr>"
        ).strip()
    )
    assert "Re-screens that differ from the override in force, oldest override first: 1" in body
    assert [(a.action, a.row_count) for a in new_access().filter(action="review_queue.viewed")] == [
        ("review_queue.viewed", 1)
    ]


def test_the_review_queue_runs_a_constant_number_of_queries(
    client: Any, case: Case, case_manager: Any, supervisor: Any
) -> None:
    _conflicted(case, case_manager, supervisor)
    client.force_login(supervisor)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/eligibility/review/").status_code == 200
        return len(ctx.captured_queries)

    one = count()
    for n in range(2, 6):
        _conflicted(prepared_case(f"CRI-2025-50000{n}", case_manager=case_manager), case_manager,
                    supervisor)  # fmt: skip
    assert count() == one
