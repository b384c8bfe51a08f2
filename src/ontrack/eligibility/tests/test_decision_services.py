"""The decision in force (ADR 0040): one rule, overrides that outlive re-screens until a
supervisor withdraws them, conflicts for review, and overrides refused when they change
nothing. Refusals change nothing, audit rows included."""

from __future__ import annotations

from typing import Any

import pytest

from ontrack.audit.models import AuditEvent
from ontrack.cases.models import Case
from ontrack.common.errors import ConcurrentEdit, ServiceError, ValidationFailed
from ontrack.common.services import Forbidden
from ontrack.eligibility.decision import decision_in_force
from ontrack.eligibility.models import Screening, ScreeningOverride
from ontrack.eligibility.selectors import cases_for_review, decision_of, screenings_of
from ontrack.eligibility.services import (
    check_override,
    override_screening,
    record_case_fact,
    screen_case,
    withdraw_override,
)
from ontrack.eligibility.tests.helpers import POLICY


def _rescreen_with(actor: Any, case: Case, value: str) -> Screening:
    record_case_fact(
        actor=actor, case=case, fact="work_authorization", value=value, method="I-9 reviewed"
    )
    return screen_case(actor=actor, case=case, policy=POLICY)


def _state() -> tuple[Any, ...]:
    return (
        AuditEvent.objects.count(),
        Screening.objects.count(),
        list(
            ScreeningOverride.objects.order_by("pk").values_list(
                "result", "row_version", "withdrawn_at", "withdrawn_by", "withdrawal_reason"
            )
        ),
    )


def test_a_case_never_screened_has_no_decision(case: Case, supervisor: Any) -> None:
    assert decision_in_force([]) is None
    assert decision_of(actor=supervisor, case=case) is None


def test_without_an_override_the_latest_screening_decides(
    case: Case, case_manager: Any, screened: Screening
) -> None:
    decision = decision_of(actor=case_manager, case=case)
    assert decision is not None
    assert (decision.current, decision.override, decision.result) == (
        screened,
        None,
        "needs_information",
    )
    again = _rescreen_with(case_manager, case, "verified")
    decision = decision_of(actor=case_manager, case=case)
    assert decision is not None
    assert (decision.current, decision.result, decision.conflict) == (again, "eligible", False)


def test_an_override_stays_in_force_across_a_rescreen_and_the_conflict_is_flagged(
    case: Case, case_manager: Any, supervisor: Any, screened: Screening, new_events: Any
) -> None:
    override = override_screening(
        actor=supervisor, screening=screened, result="eligible", reason="Permit seen in court"
    )
    # The bug this fixes: the re-screen made a new screening with no overrides, and the
    # pages read each screening's own overrides, so the supervisor's decision vanished.
    again = _rescreen_with(case_manager, case, "not_authorized")
    assert again.result == "ineligible"
    decision = decision_of(actor=case_manager, case=case)
    assert decision is not None
    assert (decision.current, decision.override, decision.result, decision.conflict) == (
        again,
        override,
        "eligible",
        True,
    )
    assert [d.current.case_id for d in cases_for_review(actor=supervisor)] == [case.pk]
    screened_events = new_events().filter(action="case.screened").order_by("id")
    assert [(e.details["result"], e.details["decision_in_force"], e.details["for_review"])
            for e in screened_events] == [("ineligible", "eligible", True)]  # fmt: skip
    overridden = new_events().get(action="screening.overridden")
    assert overridden.changes == {"result": ["needs_information", "eligible"]}
    assert overridden.details == {
        "screening": screened.pk,
        "computed_result": "needs_information",
        "replaces_override": None,
        "reason": "Permit seen in court",
    }


def test_a_rescreen_that_agrees_with_the_override_is_not_for_review(
    case: Case, case_manager: Any, supervisor: Any, screened: Screening
) -> None:
    override_screening(actor=supervisor, screening=screened, result="eligible", reason="Permit")
    _rescreen_with(case_manager, case, "verified")  # eligible, as the override said
    decision = decision_of(actor=case_manager, case=case)
    assert decision is not None
    assert (decision.result, decision.conflict) == ("eligible", False)
    assert cases_for_review(actor=supervisor) == []


def test_withdrawing_brings_back_the_latest_screening(
    case: Case, case_manager: Any, supervisor: Any, screened: Screening, new_events: Any
) -> None:
    override = override_screening(
        actor=supervisor, screening=screened, result="eligible", reason="Permit"
    )
    again = _rescreen_with(case_manager, case, "not_authorized")
    withdrawn = withdraw_override(
        actor=supervisor, override=override, expected_version=1, reason=" Permit expired "
    )
    assert (withdrawn.row_version, withdrawn.withdrawn_by, withdrawn.withdrawal_reason) == (
        2,
        supervisor,
        "Permit expired",
    )
    stored = ScreeningOverride.objects.get()
    assert stored.withdrawn_at is not None
    assert stored.row_version == 2
    decision = decision_of(actor=supervisor, case=case)
    assert decision is not None
    assert (decision.current, decision.override, decision.result) == (again, None, "ineligible")
    assert cases_for_review(actor=supervisor) == []
    event = new_events().get(action="screening.override_withdrawn")
    assert (event.object_id, event.actor_id) == (str(case.pk), supervisor.pk)
    assert event.changes == {"result": ["eligible", "ineligible"]}
    assert event.details == {
        "override": override.pk,
        "screening": screened.pk,
        "current_screening": again.pk,
        "reason": "Permit expired",
    }


def test_a_newer_override_replaces_the_older_and_withdrawing_it_does_not_revive_it(
    case: Case, case_manager: Any, supervisor: Any, screened: Screening, new_events: Any
) -> None:
    first = override_screening(actor=supervisor, screening=screened, result="eligible", reason="a")
    second = override_screening(
        actor=supervisor, screening=screened, result="ineligible", reason="b"
    )
    replaced = new_events().filter(action="screening.overridden").order_by("id")
    assert [e.details["replaces_override"] for e in replaced] == [None, first.pk]
    decision = decision_of(actor=supervisor, case=case)
    assert decision is not None
    assert decision.override == second
    before = _state()
    with pytest.raises(ServiceError, match=f"override {first.pk} is not in force"):
        withdraw_override(actor=supervisor, override=first, expected_version=1, reason="old")
    assert _state() == before
    withdraw_override(actor=supervisor, override=second, expected_version=1, reason="done")
    decision = decision_of(actor=supervisor, case=case)
    assert decision is not None
    assert (decision.override, decision.result) == (None, "needs_information")


def test_a_stale_withdrawal_is_refused_and_changes_nothing(
    supervisor: Any, screened: Screening
) -> None:
    override = override_screening(
        actor=supervisor, screening=screened, result="eligible", reason="a"
    )
    withdraw_override(actor=supervisor, override=override, expected_version=1, reason="first")
    before = _state()
    with pytest.raises(ConcurrentEdit, match="since version 1; reload"):
        withdraw_override(actor=supervisor, override=override, expected_version=1, reason="again")
    assert _state() == before
    # The current version, but no longer in force: refused too, and the version unchanged.
    with pytest.raises(ServiceError, match="is not in force"):
        withdraw_override(actor=supervisor, override=override, expected_version=2, reason="again")
    assert _state() == before


@pytest.mark.parametrize(
    ("reason", "problem"),
    [
        ("  ", "a withdrawal needs a reason"),
        ("x" * 2001, "a withdrawal reason is at most 2000 characters (this one has 2001)"),
    ],
)
def test_a_withdrawal_needs_a_reason(
    supervisor: Any, screened: Screening, reason: str, problem: str
) -> None:
    override = override_screening(
        actor=supervisor, screening=screened, result="eligible", reason="a"
    )
    before = _state()
    with pytest.raises(ValidationFailed) as refused:
        withdraw_override(actor=supervisor, override=override, expected_version=1, reason=reason)
    assert refused.value.problems == {"reason": problem}
    assert _state() == before


def test_only_supervisors_withdraw(case_manager: Any, supervisor: Any, screened: Screening) -> None:
    override = override_screening(
        actor=supervisor, screening=screened, result="eligible", reason="a"
    )
    before = _state()
    with pytest.raises(Forbidden):
        withdraw_override(actor=case_manager, override=override, expected_version=1, reason="x")
    assert _state() == before


def test_an_override_that_changes_nothing_is_refused(
    case: Case, case_manager: Any, supervisor: Any, screened: Screening
) -> None:
    before = _state()
    with pytest.raises(ValidationFailed) as refused:
        override_screening(
            actor=supervisor, screening=screened, result="needs_information", reason="same"
        )
    assert refused.value.problems == {
        "result": "the decision in force is already Needs information: an override must change it"
    }
    assert _state() == before
    # With an override in force, it is the override's result that must change.
    override_screening(actor=supervisor, screening=screened, result="eligible", reason="a")
    again = _rescreen_with(case_manager, case, "not_authorized")
    before = _state()
    with pytest.raises(ValidationFailed) as refused:
        override_screening(actor=supervisor, screening=again, result="eligible", reason="still")
    assert refused.value.problems == {
        "result": "the decision in force is already Eligible: an override must change it"
    }
    assert _state() == before


def test_a_superseded_screening_cannot_be_overridden(
    case: Case, case_manager: Any, supervisor: Any, screened: Screening
) -> None:
    again = _rescreen_with(case_manager, case, "verified")
    before = _state()
    with pytest.raises(ValidationFailed) as refused:
        check_override(actor=supervisor, screening=screened, result="ineligible", reason="x")
    assert refused.value.problems == {
        "screening": (
            f"this screening is superseded by screening {again.pk}; override the current screening"
        )
    }
    with pytest.raises(ValidationFailed):
        override_screening(actor=supervisor, screening=screened, result="ineligible", reason="x")
    assert _state() == before


def test_checking_an_override_writes_nothing(supervisor: Any, screened: Screening) -> None:
    before = _state()
    decision = check_override(actor=supervisor, screening=screened, result="eligible", reason="a")
    assert (decision.current, decision.result) == (screened, "needs_information")
    assert _state() == before


def test_review_queue_and_decisions_run_a_constant_number_of_queries(
    case_manager: Any, supervisor: Any, catalog: None, django_assert_num_queries: Any
) -> None:
    from ontrack.eligibility.tests.helpers import prepared_case

    def conflicted(docket: str) -> Case:
        case = prepared_case(docket, case_manager=case_manager)
        first = screen_case(actor=case_manager, case=case, policy=POLICY)
        override_screening(actor=supervisor, screening=first, result="eligible", reason="r")
        _rescreen_with(case_manager, case, "not_authorized")
        return case

    one = conflicted("CRI-2025-600001")
    with django_assert_num_queries(3) as small:
        assert len(cases_for_review(actor=supervisor)) == 1
    for n in range(2, 5):
        conflicted(f"CRI-2025-60000{n}")
    with django_assert_num_queries(len(small.captured_queries)):
        assert len(cases_for_review(actor=supervisor)) == 4
    with django_assert_num_queries(2):
        assert len(screenings_of(actor=supervisor, case=one)) == 2
