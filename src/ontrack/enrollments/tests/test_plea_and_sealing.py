"""The plea and its advisements; graduation, dismissal, sealing ordered or denied."""

from __future__ import annotations

from typing import Any

import pytest

from ontrack.cases.tests.factories import CaseFactory
from ontrack.common.errors import ValidationFailed
from ontrack.enrollments.lifecycle import State
from ontrack.enrollments.models import Enrollment
from ontrack.enrollments.plea import begin_phase_one, record_plea, required_advisements
from ontrack.enrollments.tests.factories import EnrollmentFactory
from ontrack.enrollments.tests.helpers import DAY, everything

pytestmark = pytest.mark.django_db
ALL_GIVEN = {
    "immigration_consequences": "Judge Ortiz",
    "self_incrimination": "Judge Ortiz",
    "confrontation": "Judge Ortiz",
    "jury_trial": "Judge Ortiz",
    "program_terms": "Judge Ortiz",
}


def _refused(call: Any, problems: dict[str, str]) -> None:
    before = everything()
    with pytest.raises(ValidationFailed) as refused:
        call()
    assert refused.value.problems == problems
    assert everything() == before


def _plea(actor: Any, enrollment: Enrollment, **changes: Any) -> Any:
    args: dict[str, Any] = {
        "court": "SF Superior Court, Dept. 12", "judge": "Ortiz",
        "defense_attorney": "Public Defender Lee", "interpreter": "", "language": "",
        "advisements": ALL_GIVEN,
    } | changes  # fmt: skip
    return record_plea(actor=actor, enrollment_id=enrollment.pk, on=DAY, **args)


def test_the_advisements_are_the_programs_data() -> None:
    assert [(a.code, a.citation.split(";")[0]) for a in required_advisements()] == [
        ("immigration_consequences", "PC 1016.5"),
        ("self_incrimination", "Boykin v. Alabama (1969) 395 U.S. 238"),
        ("confrontation", "Boykin v. Alabama (1969) 395 U.S. 238"),
        ("jury_trial", "Boykin v. Alabama (1969) 395 U.S. 238"),
        ("program_terms", "PC 1000.8-1000.10"),
    ]


def test_a_plea_records_the_court_and_every_advisement(case_manager: Any) -> None:
    enrollment = EnrollmentFactory(case=CaseFactory(case_manager=case_manager),
                                   state=State.TRIAL_PERIOD)  # fmt: skip
    moved = _plea(case_manager, enrollment, interpreter="R. Chan", language="Cantonese")
    assert (moved.from_state, moved.to_state) == ("trial_period", "plea_entered")
    assert moved.details == {
        "court": "SF Superior Court, Dept. 12", "judge": "Ortiz",
        "defense_attorney": "Public Defender Lee", "interpreter": "R. Chan",
        "language": "Cantonese", "advisements": ALL_GIVEN,
    }  # fmt: skip
    active = begin_phase_one(actor=case_manager, enrollment_id=enrollment.pk, on=DAY,
                             reason="Plea accepted")  # fmt: skip
    assert (active.to_state, active.to_phase) == ("active", 1)


def test_a_missing_advisement_is_named_and_nothing_changes(case_manager: Any) -> None:
    enrollment = EnrollmentFactory(case=CaseFactory(case_manager=case_manager),
                                   state=State.TRIAL_PERIOD)  # fmt: skip
    partial = {k: v for k, v in ALL_GIVEN.items() if k not in ("immigration_consequences",
                                                                "jury_trial")}  # fmt: skip
    _refused(lambda: _plea(case_manager, enrollment, advisements=partial | {"jury_trial": " "}), {
        "advisements": "the plea needs these advisements first: Immigration consequences "
                       "(deportation, exclusion, denial of naturalization); Waiver of the "
                       "right to a jury trial"})  # fmt: skip


def test_interpreter_and_language_go_together(case_manager: Any) -> None:
    enrollment = EnrollmentFactory(case=CaseFactory(case_manager=case_manager),
                                   state=State.TRIAL_PERIOD)  # fmt: skip
    _refused(lambda: _plea(case_manager, enrollment, interpreter="R. Chan"),
             {"language": "an interpreter interprets a language: say which"})  # fmt: skip
    _refused(lambda: _plea(case_manager, enrollment, language="Spanish", judge=""),
             {"interpreter": "say who interpreted into that language",
              "judge": "say which judge took the plea"})  # fmt: skip


def test_a_plea_only_after_the_trial_period(case_manager: Any) -> None:
    enrollment = EnrollmentFactory(case=CaseFactory(case_manager=case_manager),
                                   state=State.OFFERED)  # fmt: skip
    _refused(lambda: _plea(case_manager, enrollment), {
        "to_state": "a offered enrollment cannot become plea entered (it can become: "
                    "declined the offer, trial period, withdrawn)"})  # fmt: skip
