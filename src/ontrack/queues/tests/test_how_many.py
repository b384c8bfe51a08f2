""" "How many?": exact counts on hand-built cases, three-valued facts, statuses under a named
policy, the list behind the answer, and analysts' de-identified counts (small cells blank,
no name, docket or id)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ontrack.audit.models import AccessEvent
from ontrack.cases.models import Case, Restriction
from ontrack.cases.tests.factories import CaseFactory, ChargeFactory
from ontrack.eligibility.vocabulary import VOCABULARY
from ontrack.people.models import Person
from ontrack.queues import selectors
from ontrack.queues.listing import among
from ontrack.queues.question import IS, IS_NOT, KNOWN, UNKNOWN, Condition, Question
from ontrack.queues.tests.test_queues import _many
from ontrack.queues.tests.world import build

pytestmark = pytest.mark.django_db

POLICY = "back-on-track"
WORK = VOCABULARY["work_authorization"]
LEVEL = VOCABULARY["charge_level"]


@pytest.fixture
def cases(case_manager: Any, supervisor: Any, catalog: None) -> Any:
    return build(case_manager, supervisor)


def _ask(actor: Any, status: str = "", basis: str = "decision", *conditions: Condition) -> Any:
    question = Question(POLICY if status else "", basis, status, tuple(conditions))
    return selectors.how_many(actor=actor, question=question)


def test_counts_by_status_and_fact(case_manager: Any, cases: Any) -> None:
    cm = case_manager
    unknown_work = Condition(WORK, UNKNOWN)
    # The 2009 question: screened eligible, work authorization never verified.
    answer = _ask(cm, "eligible", "decision", unknown_work)
    assert (answer.count, answer.total, answer.case_ids) == (1, 5, [cases.overridden.pk])
    # Under the latest screening's own result the override does not count.
    assert _ask(cm, "eligible", "latest", unknown_work).count == 0
    verified = Condition(WORK, IS, "verified")
    assert sorted(_ask(cm, "eligible", "latest", verified).case_ids) == [
        cases.eligible.pk,
        cases.conflict.pk,
    ]
    assert _ask(cm, "eligible", "decision", verified).case_ids == [cases.eligible.pk]
    assert _ask(cm, "not_screened").case_ids == [cases.never.pk]
    assert _ask(cm, "needs_information").case_ids == [cases.missing.pk]
    assert _ask(cm, "ineligible").case_ids == [cases.conflict.pk]


def test_unknown_is_its_own_answer(case_manager: Any, cases: Any) -> None:
    cm = case_manager
    assert _ask(cm, "", "decision", Condition(WORK, UNKNOWN)).count == 3
    assert _ask(cm, "", "decision", Condition(WORK, KNOWN)).count == 2
    # Known and not verified: nobody (no one is recorded not authorized); the three whose
    # authorization is not known are not folded into "not verified".
    assert _ask(cm, "", "decision", Condition(WORK, IS_NOT, "verified")).count == 0
    assert _ask(cm, "", "decision", Condition(LEVEL, IS, "felony")).count == 5
    assert _ask(cm, "", "decision", Condition(LEVEL, IS_NOT, "felony")).count == 0


def _body(response: Any) -> str:
    return " ".join(response.content.decode().split())


QUESTION = {"policy": POLICY, "status": "eligible", "basis": "decision"}


def test_the_page_answers_in_words_and_lists_the_cases(
    client: Any, case_manager: Any, cases: Any, new_access: Any
) -> None:
    client.force_login(case_manager)
    response = client.get("/queues/how-many/", {**QUESTION, "fact_work_authorization": "unknown"})
    assert response.status_code == 200
    body = _body(response)
    assert (
        "Eligible (decision in force) under Back on Track — with legal work eligibility "
        "(2009), with Legal authorization to work in the United States: not known"
    ) in body
    assert "<strong>1</strong> of the 5 cases you may see" in body
    assert "Duran, Lupe" in body
    assert "CRI-2026-900003" in body
    assert "Baca" not in body
    assert [(e.action, e.row_count) for e in new_access()] == [("how_many.counted", 1)]
    export = client.get(
        "/queues/how-many/export.csv", {**QUESTION, "fact_work_authorization": "unknown"}
    )
    assert export.content.decode().splitlines()[1].startswith('CRI-2026-900003,"Duran, Lupe"')


def test_a_bad_question_is_named(client: Any, case_manager: Any, cases: Any) -> None:
    client.force_login(case_manager)
    response = client.get("/queues/how-many/", {"status": "eligible"})
    assert response.status_code == 400
    assert "a screening status is under a policy: choose one" in _body(response)
    response = client.get("/queues/how-many/", {"fact_charge_level": "is:capital"})
    assert response.status_code == 400
    assert "Select a valid choice" in _body(response)


def _analyst_world(cases: Any) -> None:
    """13 felony cases (the five of ``build`` and eight more), 12 with no charge at all (their
    level is not known), one of those sealed: 25 cases."""
    for _ in range(8):
        ChargeFactory(case=CaseFactory(), level="felony")
    for _ in range(12):
        CaseFactory()
    Case.objects.filter(pk=Case.objects.filter(charges__isnull=True).first().pk).update(  # type: ignore[union-attr]
        restriction=Restriction.SEALED
    )


def test_analysts_get_numbers_only_small_cells_blank(
    client: Any, analyst: Any, supervisor: Any, cases: Any
) -> None:
    _analyst_world(cases)
    felony = Question("", "decision", "", (Condition(LEVEL, IS, "felony"),))
    shown = selectors.deidentified_count(actor=analyst, question=felony)
    # Every case, the sealed one included: 13 and 12 of 25, each at least SMALL_CELL.
    assert (shown.count, shown.others, shown.total) == (13, 12, 25)
    # The supervisor counts what they may see: not the sealed case.
    assert selectors.how_many(actor=supervisor, question=felony).total == 24
    verified = Question("", "decision", "", (Condition(WORK, IS, "verified"),))
    small = selectors.deidentified_count(actor=analyst, question=verified)
    # 2 of 25: the 2 is small, and so the 23 is blank too (else 25 - 23 gives it back).
    assert (small.count, small.others, small.total) == (None, None, 25)
    assert selectors.deidentified_count(actor=supervisor, question=felony) == (
        selectors.DeidentifiedAnswer(None, None, None)
    )  # not an analyst's permission: nothing


def test_no_name_docket_or_id_reaches_an_analyst(
    client: Any, analyst: Any, cases: Any, new_access: Any
) -> None:
    _analyst_world(cases)
    client.force_login(analyst)
    response = client.get("/queues/how-many/", {"fact_work_authorization": "is:verified"})
    assert response.status_code == 200
    body = _body(response)
    assert "<td>Every case</td><td>25</td>" in body
    assert "<td>Answer yes</td><td></td>" in body
    for secret in ["Lupe", "Cota", "CRI-", *[f"/cases/{c.pk}/" for c in Case.objects.all()]]:
        assert secret not in body
    assert "list" not in response.context or response.context.get("list") is None
    for url in ("/queues/how-many/export.csv", "/queues/caseload/", "/queues/caseload/export.xlsx"):
        assert client.get(url, {"fact_work_authorization": "is:verified"}).status_code == 403
    assert [(e.action, e.details) for e in new_access() if e.outcome == "success"] == [
        ("how_many.counted_deidentified", {"fact_work_authorization": "is:verified"})
    ]


def test_roles_without_either_permission_are_refused(client: Any, administrator: Any) -> None:
    client.force_login(administrator)
    before = AccessEvent.objects.filter(action__startswith="how_many").count()
    assert client.get("/queues/how-many/", {"fact_charge_level": "known"}).status_code == 403
    assert AccessEvent.objects.filter(action__startswith="how_many").count() == before


def test_a_constant_number_of_queries_at_10_and_1000_cases(
    client: Any, case_manager: Any, catalog: None
) -> None:
    question = {"fact_charge_level": "unknown", "policy": POLICY, "status": "not_screened"}
    client.force_login(case_manager)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/queues/how-many/", question)
        assert response.status_code == 200
        return len(captured.captured_queries)

    _many(case_manager, 10)
    small = queries()
    Case.objects.all().delete()
    Person.objects.all().delete()
    _many(case_manager, 1000)
    assert queries() == small
    assert "<strong>1000</strong> of the 1000 cases" in _body(
        client.get("/queues/how-many/", question)
    )


def test_the_list_behind_an_answer_takes_any_number_of_cases(cases: Any) -> None:
    """100,000 ids are one parameter (SQLite refuses more than 32,766 of them)."""
    ids = [cases.never.pk, cases.conflict.pk, *range(10**9, 10**9 + 100_000)]
    found = Case.objects.filter(among(ids)).order_by("pk")
    assert [c.pk for c in found] == [cases.never.pk, cases.conflict.pk]
