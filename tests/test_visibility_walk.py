"""CJIS AC-3/AC-6: every selector, every page that shows a record and every service that
writes to one, walked with an actor who may not see the record. It is absent from lists, not
counted, and a 404 (or ``NotFound``) exactly like an id that does not exist; a refused write
changes nothing, audit trail included.

Selectors and services are found by introspection (every ``ontrack.<app>.selectors`` module,
every service taking a case, person or screening), and pages by walking the URLconf, so a new
one that nobody walks here makes ``test_every_selector_is_walked`` (or its siblings) fail.

Two ways of not seeing, each walked in full:

- *assignment*: case manager ``cm-a`` and the cases of colleague ``cm-b`` in a program that
  does not share caseloads;
- *sealed*: a supervisor (who sees every program) and the same cases sealed, no purpose stated.
"""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import pkgutil
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import get_resolver, reverse

import ontrack
from ontrack.audit.models import AuditEvent
from ontrack.cases import history_services
from ontrack.cases import selectors as case_selectors
from ontrack.cases import services as case_services
from ontrack.cases.models import Case, Charge, PriorCountSummary, PriorRecord, Restriction
from ontrack.cases.services import NewCharge
from ontrack.cases.tests.factories import (
    ArrestFactory,
    PriorRecordFactory,
    program_with,
)
from ontrack.common.errors import NotFound
from ontrack.common.tests.test_access import walk
from ontrack.eligibility import selectors as eligibility_selectors
from ontrack.eligibility import services as eligibility_services
from ontrack.eligibility.decision import decision_in_force
from ontrack.eligibility.models import CaseFact, Screening, ScreeningOverride
from ontrack.eligibility.tests.helpers import POLICY, prepared_case
from ontrack.people import selectors as people_selectors
from ontrack.people import services as people_services
from ontrack.people.models import Person, PersonAlias, PersonIdentifier
from ontrack.people.search_keys import refresh_person_keys
from ontrack.people.services import NewIdentifier
from ontrack.people.tests.factories import PersonFactory
from ontrack.referrals import services as referral_services
from ontrack.referrals.models import Referral

pytestmark = pytest.mark.django_db


@dataclass
class World:
    actor: Any  # who may not see the hidden records
    visible_case: Case  # a case the actor sees, of the same defendant as hidden_case
    hidden_case: Case  # of the visible case's defendant
    hidden_person: Person  # whose only case (hidden_only_case) the actor may not see
    hidden_only_case: Case
    hidden_screening: Screening
    # The supervisor's override of hidden_screening, in force; a re-screen of the hidden case
    # then computed another result, so the case is on the review queue (for those who see it).
    hidden_override: ScreeningOverride
    missing_case: int
    missing_person: int
    missing_screening: int


def make_world(scenario: str) -> World:
    from conftest import make_user

    mine, colleague = make_user("case_manager", "cm-a"), make_user("case_manager", "cm-b")
    supervisor = make_user("supervisor", "walk-supervisor")
    program = program_with(mine, colleague, slug="walk-program")
    visible = prepared_case("CRI-2025-700001")
    Case.objects.filter(pk=visible.pk).update(program=program, case_manager=mine)
    hidden = prepared_case("CRI-2025-700002")
    Case.objects.filter(pk=hidden.pk).update(
        defendant=visible.defendant, program=program, case_manager=colleague
    )
    # prepared_case made a defendant of its own, now without a case: not part of this world.
    Person.objects.filter(pk=hidden.defendant_id).delete()
    hidden.refresh_from_db()
    hidden_only = prepared_case("CRI-2025-700003")
    Case.objects.filter(pk=hidden_only.pk).update(program=program, case_manager=colleague)
    Person.objects.filter(pk=hidden_only.defendant_id).update(family_name="Hiddenperson")
    refresh_person_keys([hidden_only.defendant_id])  # searchable by the new name (ADR 0044)
    for case in (hidden, hidden_only):
        ArrestFactory(case=case, person=case.defendant)
    PriorRecordFactory(person=hidden_only.defendant, description="Hidden prior")
    PersonAlias.objects.create(person=hidden_only.defendant, family_name="Hiddenalias")
    PersonIdentifier.objects.create(
        person=hidden_only.defendant, id_type="local_id", issuer="SFSO", value="HIDDEN-1"
    )
    PriorRecordFactory(person=visible.defendant, description="Shared prior")
    screening = eligibility_services.screen_case(actor=colleague, case=hidden, policy=POLICY)
    eligibility_services.record_case_fact(
        actor=colleague,
        case=hidden,
        fact="work_authorization",
        value="verified",
        method="I-9 documents reviewed",
    )
    hidden_override = eligibility_services.override_screening(
        actor=supervisor, screening=screening, result="ineligible", reason="walk: pending hold"
    )
    eligibility_services.screen_case(actor=colleague, case=hidden, policy=POLICY)  # eligible
    actor = mine
    if scenario == "sealed":
        Case.objects.filter(pk__in=[hidden.pk, hidden_only.pk]).update(
            restriction=Restriction.SEALED
        )
        actor = supervisor
    return World(
        actor=actor,
        visible_case=Case.objects.get(pk=visible.pk),
        hidden_case=Case.objects.get(pk=hidden.pk),
        hidden_person=Person.objects.get(pk=hidden_only.defendant_id),
        hidden_only_case=Case.objects.get(pk=hidden_only.pk),
        hidden_screening=screening,
        hidden_override=hidden_override,
        missing_case=hidden_only.pk + 1000,
        missing_person=hidden_only.defendant_id + 1000,
        missing_screening=screening.pk + 1000,
    )


@pytest.fixture(params=["assignment", "sealed"])
def world(request: pytest.FixtureRequest, catalog: None) -> World:
    return make_world(request.param)


def not_found_alike(call: Callable[[int], Any], hidden: int, missing: int) -> None:
    """Hidden and missing raise the same ``NotFound`` with the same message."""
    with pytest.raises(NotFound) as for_hidden:
        call(hidden)
    with pytest.raises(NotFound) as for_missing:
        call(missing)
    assert (type(for_hidden.value), str(for_hidden.value)) == (
        type(for_missing.value),
        str(for_missing.value),
    )


# --- selectors -------------------------------------------------------------------------------


def _pks(rows: Any) -> list[int]:
    return [r.pk for r in rows]


def _walk_visible_cases(w: World) -> None:
    assert _pks(case_selectors.visible_cases(actor=w.actor)) == [w.visible_case.pk]


def _walk_get_case(w: World) -> None:
    assert case_selectors.get_case(actor=w.actor, case_id=w.visible_case.pk) == w.visible_case
    not_found_alike(
        lambda i: case_selectors.get_case(actor=w.actor, case_id=i),
        w.hidden_case.pk,
        w.missing_case,
    )


def _walk_search_caseload(w: World) -> None:
    search = case_selectors.search_caseload
    assert _pks(search(actor=w.actor)) == [w.visible_case.pk]
    for query in (w.hidden_case.docket_number, w.hidden_only_case.docket_number, "Hiddenperson"):
        assert search(actor=w.actor, query=str(query)) == []


def _walk_count_caseload(w: World) -> None:
    assert case_selectors.count_caseload(actor=w.actor) == {"cases": 1, "people": 1}


def _walk_get_case_file(w: World) -> None:
    case_file = case_selectors.get_case_file(actor=w.actor, case_id=w.visible_case.pk)
    assert case_file.other_cases == []  # the defendant's hidden case is not listed
    assert [p.description for p in case_file.priors] == ["Shared prior"]
    not_found_alike(
        lambda i: case_selectors.get_case_file(actor=w.actor, case_id=i),
        w.hidden_case.pk,
        w.missing_case,
    )


def _walk_cases_of_person(w: World) -> None:
    of = case_selectors.cases_of_person
    assert _pks(of(actor=w.actor, person=w.visible_case.defendant)) == [w.visible_case.pk]
    assert of(actor=w.actor, person=w.hidden_person) == []


def _walk_priors_of_person(w: World) -> None:
    of = case_selectors.priors_of_person
    assert [p.description for p in of(actor=w.actor, person=w.visible_case.defendant)] == [
        "Shared prior"
    ]
    assert of(actor=w.actor, person=w.hidden_person) == []


def _walk_history_checks_of_person(w: World) -> None:
    from ontrack.cases.models import PriorCountSummary

    for person in (w.visible_case.defendant, w.hidden_person):
        PriorCountSummary.objects.create(person=person, source="walk check", total=0)
    of = case_selectors.history_checks_of_person
    assert [c.source for c in of(actor=w.actor, person=w.visible_case.defendant)] == [
        "test",  # prepared_case's check
        "walk check",
    ]
    assert of(actor=w.actor, person=w.hidden_person) == []


def _walk_edits_since(w: World) -> None:
    """The other user's change a stale form shows: none for a record the actor may not see."""
    since = case_selectors.edits_since
    assert since(actor=w.actor, record=w.hidden_case, version=0) == []
    assert since(actor=w.actor, record=w.hidden_person, version=0) == []
    case_services.update_case(
        actor=w.actor, case=w.visible_case, expected_version=w.visible_case.row_version,
        court="Walk court",
    )  # fmt: skip
    assert [e.action for e in since(actor=w.actor, record=w.visible_case, version=0)] == [
        "case.updated"
    ]


def _walk_visible_people(w: World) -> None:
    assert _pks(people_selectors.visible_people(actor=w.actor)) == [w.visible_case.defendant_id]


def _walk_get_person(w: World) -> None:
    get = people_selectors.get_person
    assert get(actor=w.actor, person_id=w.visible_case.defendant_id).pk == (
        w.visible_case.defendant_id
    )
    not_found_alike(lambda i: get(actor=w.actor, person_id=i), w.hidden_person.pk, w.missing_person)


def _walk_case_facts(w: World) -> None:
    day = dt.date(2026, 11, 30)
    facts = eligibility_selectors.case_facts
    assert facts(actor=w.actor, case=w.visible_case, referral_date=day).height == 1
    assert facts(actor=w.actor, case=w.hidden_case, referral_date=day).height == 0


def _walk_cases_facts(w: World) -> None:
    frame = eligibility_selectors.cases_facts(
        actor=w.actor, cases=Case.objects.all(), referral_date=dt.date(2026, 11, 30)
    )
    assert frame["case_id"].to_list() == [str(w.visible_case.pk)]


def _walk_screenings_of(w: World) -> None:
    assert eligibility_selectors.screenings_of(actor=w.actor, case=w.hidden_case) == []


def _walk_decision_of(w: World) -> None:
    assert eligibility_selectors.decision_of(actor=w.actor, case=w.hidden_case) is None


def _walk_cases_for_review(w: World) -> None:
    # The hidden case is in conflict (the rule itself, over all its screenings) ...
    screenings = list(Screening.objects.filter(case=w.hidden_case).prefetch_related("overrides"))
    hidden = decision_in_force(screenings)
    assert hidden is not None
    assert hidden.conflict
    # ... and still absent from the queue of an actor who may not see it.
    assert eligibility_selectors.cases_for_review(actor=w.actor) == []


def _walk_get_screening(w: World) -> None:
    not_found_alike(
        lambda i: eligibility_selectors.get_screening(actor=w.actor, screening_id=i),
        w.hidden_screening.pk,
        w.missing_screening,
    )


def _walk_recorded_facts(w: World) -> None:
    assert eligibility_selectors.recorded_facts(actor=w.actor, case_id=w.hidden_case.pk) == []


def _walk_audit(w: World) -> None:
    """The audit lists every row to whoever may read it, but the sensitive values of a record
    show only to those who may see the record itself (ADR 0033): the same actor, given the
    audit permission, reads the hidden case's work authorization as hidden."""
    from django.contrib.auth.models import Permission

    from ontrack.audit.selectors import AuditFilters, audit_entries, entries

    permission = Permission.objects.get(content_type__app_label="audit", codename="view_auditevent")
    w.actor.user_permissions.add(permission)
    reader = type(w.actor).objects.get(pk=w.actor.pk)  # no stale permission cache
    eligibility_services.record_case_fact(
        actor=reader,
        case=w.visible_case,
        fact="work_authorization",
        value="not_authorized",
        method="I-9 documents reviewed",
    )
    filters = AuditFilters(stream="changes", action="case.fact_recorded")
    rows = list(audit_entries(actor=reader, filters=filters))
    shown = {e.event.object_id: e.changes for e in entries(actor=reader, rows=rows)}
    assert shown == {
        str(w.hidden_case.pk): {"work_authorization": [None, "(hidden)"]},
        str(w.visible_case.pk): {"work_authorization": [None, "not_authorized"]},
    }


def _hidden_twin(w: World) -> Person:
    """The hidden person renamed to the visible defendant's name and birth date: a perfect
    duplicate, so only visibility can keep them out of results, totals and duplicates."""
    shown = w.visible_case.defendant
    Person.objects.filter(pk=w.hidden_person.pk).update(
        given_name=shown.given_name,
        family_name=shown.family_name,
        date_of_birth=shown.date_of_birth,
    )
    refresh_person_keys([w.hidden_person.pk])
    return shown


def _walk_search(w: World) -> None:
    from ontrack.search import selectors as search_selectors

    for q in ("Hiddenperson", "CRI-2025-700003", "CRI-2025-700002", "CRI2025700002"):
        page = search_selectors.search(actor=w.actor, q=q)
        assert (page.total, page.hits) == (0, []), q
    found = search_selectors.search(actor=w.actor, q=w.visible_case.docket_number or "")
    assert [(h.type, h.id) for h in found.hits] == [("case", w.visible_case.pk)]
    shown = _hidden_twin(w)
    for q in (f"{shown.family_name}, {shown.given_name}", f"{shown.date_of_birth}"):
        page = search_selectors.search(actor=w.actor, q=q)
        assert (page.total, [(h.type, h.id) for h in page.hits]) == (1, [("person", shown.pk)])


def _walk_possible_matches(w: World) -> None:
    from ontrack.search import selectors as search_selectors

    hidden = w.hidden_person
    # "Lupe Hiddenperson", born the same day as the visible "Lupe Arriaga": only the visible
    # one may be offered (same given name and birth date), never the hidden one.
    assert [
        m.person.pk
        for m in search_selectors.possible_matches(
            actor=w.actor,
            given_name=hidden.given_name,
            family_name=hidden.family_name,
            date_of_birth=hidden.date_of_birth,
        )
    ] == [w.visible_case.defendant_id]
    shown = _hidden_twin(w)
    assert [
        m.person.pk
        for m in search_selectors.possible_matches(
            actor=w.actor,
            given_name=shown.given_name,
            family_name=shown.family_name,
            date_of_birth=shown.date_of_birth,
        )
    ] == [shown.pk]
    assert search_selectors.possible_duplicates(actor=w.actor, person=shown) == []
    assert search_selectors.possible_duplicates(actor=w.actor, person=hidden) == []


def _walk_visible_referrals(w: World) -> None:
    from ontrack.referrals.selectors import visible_referrals

    for case in (w.visible_case, w.hidden_case, w.hidden_only_case):
        Referral.objects.create(
            source="police", referral_date=dt.date(2025, 3, 1), person=case.defendant,
            case=case, linked_existing_person=False, taken_by=w.actor,
        )  # fmt: skip
    assert [r.case_id for r in visible_referrals(actor=w.actor)] == [w.visible_case.pk]


def _walk_queues(w: World) -> None:
    """Every queue, count and "How many?" answer: the hidden case is overridden and in
    conflict, the hidden-only one awaits screening; neither is listed nor counted."""
    from ontrack.queues import selectors as queue_selectors
    from ontrack.queues.decided import with_decision
    from ontrack.queues.question import KNOWN, Condition, Question

    everyone = {c.pk: c.conflict for c in with_decision(Case.objects.all())}  # type: ignore[attr-defined]
    assert everyone[w.hidden_case.pk] is True  # what the actor would see if the rule leaked
    visible = [w.visible_case.pk]
    assert _pks(queue_selectors.decided_cases(actor=w.actor)) == visible
    assert _pks(queue_selectors.awaiting_screening(actor=w.actor)) == visible
    for part in ("needs_information", "awaiting_decision", "overrides_in_force"):
        assert _pks(getattr(queue_selectors, part)(actor=w.actor)) == [], part
    assert _pks(queue_selectors.rescreen_conflicts(actor=w.actor)) == []
    assert queue_selectors.queue_counts(actor=w.actor) == {
        "cases": 1,
        "awaiting_screening": 1,
        "needs_information": 0,
        "awaiting_decision": 0,
        "overrides_in_force": 0,
        "rescreen_conflicts": 0,
    }
    assert [
        (t.program, t.cases, t.awaiting_screening, t.overrides_in_force)
        for t in queue_selectors.program_totals(actor=w.actor)
    ] == [("Walk Program", 1, 1, 0)]
    from ontrack.eligibility.vocabulary import VOCABULARY

    known = Question("", "decision", "", (Condition(VOCABULARY["charge_level"], KNOWN),))
    answer = queue_selectors.how_many(actor=w.actor, question=known)
    assert (answer.count, answer.total, answer.case_ids) == (1, 1, visible)
    listed = queue_selectors.how_many_cases(actor=w.actor, params={"fact_charge_level": "known"})
    assert _pks(listed) == visible
    # Not an analyst: no de-identified count either (it counts every case).
    nothing = queue_selectors.deidentified_count(actor=w.actor, question=known)
    assert (nothing.count, nothing.others, nothing.total) == (None, None, None)


SELECTOR_WALKS: dict[str, Callable[[World], None]] = {
    "ontrack.audit.selectors.audit_entries": _walk_audit,
    "ontrack.audit.selectors.entries": _walk_audit,
    "ontrack.cases.selectors.visible_cases": _walk_visible_cases,
    "ontrack.cases.selectors.get_case": _walk_get_case,
    "ontrack.cases.selectors.search_caseload": _walk_search_caseload,
    "ontrack.cases.selectors.count_caseload": _walk_count_caseload,
    "ontrack.cases.selectors.get_case_file": _walk_get_case_file,
    "ontrack.cases.selectors.cases_of_person": _walk_cases_of_person,
    "ontrack.cases.selectors.priors_of_person": _walk_priors_of_person,
    "ontrack.cases.selectors.history_checks_of_person": _walk_history_checks_of_person,
    "ontrack.cases.selectors.edits_since": _walk_edits_since,
    "ontrack.people.selectors.visible_people": _walk_visible_people,
    "ontrack.people.selectors.get_person": _walk_get_person,
    "ontrack.eligibility.selectors.case_facts": _walk_case_facts,
    "ontrack.eligibility.selectors.cases_facts": _walk_cases_facts,
    "ontrack.eligibility.selectors.screenings_of": _walk_screenings_of,
    "ontrack.eligibility.selectors.get_screening": _walk_get_screening,
    "ontrack.eligibility.selectors.decision_of": _walk_decision_of,
    "ontrack.eligibility.selectors.cases_for_review": _walk_cases_for_review,
    "ontrack.eligibility.selectors.recorded_facts": _walk_recorded_facts,
    "ontrack.search.selectors.search": _walk_search,
    "ontrack.search.selectors.possible_matches": _walk_possible_matches,
    "ontrack.search.selectors.possible_duplicates": _walk_possible_matches,
    "ontrack.referrals.selectors.visible_referrals": _walk_visible_referrals,
    "ontrack.queues.selectors.decided_cases": _walk_queues,
    "ontrack.queues.selectors.awaiting_screening": _walk_queues,
    "ontrack.queues.selectors.needs_information": _walk_queues,
    "ontrack.queues.selectors.awaiting_decision": _walk_queues,
    "ontrack.queues.selectors.overrides_in_force": _walk_queues,
    "ontrack.queues.selectors.rescreen_conflicts": _walk_queues,
    "ontrack.queues.selectors.queue_counts": _walk_queues,
    "ontrack.queues.selectors.program_totals": _walk_queues,
    "ontrack.queues.selectors.how_many": _walk_queues,
    "ontrack.queues.selectors.how_many_cases": _walk_queues,
    "ontrack.queues.selectors.deidentified_count": _walk_queues,
}

# Selectors that read no person, case or anything reached through them, each with its reason.
NOT_ABOUT_RECORDS = {
    "ontrack.people.selectors.name_filter": "builds a search condition; reads nothing",
    "ontrack.people.selectors.register_visibility": "start-up wiring of the rule itself",
    "ontrack.offenses.selectors.catalog_listing": "the statute catalog: public law",
    "ontrack.offenses.selectors.code_info": "the statute catalog: public law",
    "ontrack.referrals.selectors.code_suggestions": "the statute catalog: public law",
    "ontrack.referrals.selectors.intake_programs": "program names, for the intake form",
    "ontrack.cases.selectors.assignment_choices": (
        "programs and their staff for the assignment form; no case or person"
    ),
    "ontrack.accounts.selectors.staff_accounts": (
        "staff accounts, for accounts.manage_staff; walked per role in common/tests/test_access.py"
    ),
    "ontrack.accounts.selectors.tokens_of": (
        "a staff account's API tokens (prefixes and dates), for itself and administrators"
    ),
    "ontrack.accounts.selectors.get_staff_account": (
        "one staff account, for accounts.manage_staff; no case or person"
    ),
    "ontrack.programs.selectors.staff_directory": (
        "staff and their programs, for accounts.manage_staff; no case or person"
    ),
    "ontrack.programs.selectors.program_choices": "program names for the staff forms",
    "ontrack.imports.selectors.import_batches": (
        "file names and row counts, no personal data; needs ingest.view_importbatch"
    ),
}


# The program at work (issue 10) has its own walk, tests/test_program_visibility_walk.py.
PROGRAM_APPS = (
    "enrollments", "hearings", "plans", "drugtests", "responses", "notes", "participants",
)  # fmt: skip


def every_selector() -> set[str]:
    found = set()
    for app in pkgutil.iter_modules(ontrack.__path__):
        if app.name in PROGRAM_APPS:
            continue
        try:
            module = importlib.import_module(f"ontrack.{app.name}.selectors")
        except ModuleNotFoundError:
            continue
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ == module.__name__ and not name.startswith("_"):
                found.add(f"{module.__name__}.{name}")
    return found


def test_every_selector_is_walked() -> None:
    found = every_selector()
    assert len(found) >= 20  # the introspection found the selectors modules
    assert found == set(SELECTOR_WALKS) | set(NOT_ABOUT_RECORDS)


@pytest.mark.parametrize("selector", sorted(SELECTOR_WALKS))
def test_a_selector_hides_what_the_actor_may_not_see(world: World, selector: str) -> None:
    SELECTOR_WALKS[selector](world)


# --- pages -----------------------------------------------------------------------------------

# POST-only pages, with a body their form accepts: the refusal must not depend on bad input.
POST_BODIES = {
    "cases:assign": {"program": "", "case_manager": "", "expected_version": "1"},
    "eligibility:screen": {"policy": POLICY, "as_of": "2026-11-30"},
    "eligibility:record_work_authorization": {
        "value": "verified",
        "method": "I-9 documents reviewed",
        "document": "",
    },
    "eligibility:override": {"result": "eligible", "reason": "walk"},
    "eligibility:withdraw_override": {"override": "1", "expected_version": "1", "reason": "walk"},
    "cases:remove_charge": {"item": "1", "expected_version": "1"},
    "people:add_alias": {
        "family_name": "Walk", "given_name": "", "kind": "aka", "expected_version": "1",
    },
    "people:remove_alias": {"item": "1", "expected_version": "1"},
    "people:add_identifier": {
        "id_type": "local_id", "issuer": "SFSO", "value": "walk-2", "expected_version": "1",
    },
    "people:remove_identifier": {"item": "1", "expected_version": "1"},
    "people:history_check": {"source": "walk", "total": "0", "expected_version": "1"},
    "people:add_prior": {
        "record_type": "arrest", "jurisdiction": "CA", "source": "walk", "expected_version": "1",
    },
    "people:remove_prior": {"item": "1", "expected_version": "1"},
}  # fmt: skip


def _normalised(content: bytes) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", content.decode())


# Staff accounts are not case records: their pages are for accounts.manage_staff alone and are
# walked per role, with exact statuses, in common/tests/test_access.py::test_staff_pages_by_role.
STAFF_PAGES = "staff:"
# The API's record URLs need a bearer token, not a session: ontrack/api/tests/test_walk.py
# walks each of them the same way (hidden and missing, one 404 body, nothing changed).
API_PAGES = "api:"


def record_pages() -> list[tuple[str, list[str]]]:
    """Every URL that names a record, with the names of its parameters."""
    return [
        (name, sorted(converters))
        for name, _view, converters in walk(get_resolver().url_patterns)
        if set(converters) - {"slug"}
        and not name.startswith((STAFF_PAGES, API_PAGES, *(f"{a}:" for a in PROGRAM_APPS)))
    ]


def test_every_record_page_is_walked() -> None:
    pages = dict(record_pages())
    assert pages == {
        "cases:detail": ["case_id"],
        "cases:assign": ["case_id"],
        "people:detail": ["person_id"],
        "eligibility:case_screenings": ["case_id"],
        "eligibility:screen": ["case_id"],
        "eligibility:screening": ["screening_id"],
        "eligibility:record_work_authorization": ["screening_id"],
        "eligibility:override": ["screening_id"],
        "eligibility:withdraw_override": ["case_id"],
        "eligibility:record_fact": ["case_id", "fact"],
        "cases:edit": ["case_id"],
        "cases:add_charge": ["case_id"],
        "cases:edit_charge": ["case_id", "charge_id"],
        "cases:remove_charge": ["case_id"],
        "people:edit": ["person_id"],
        "people:add_alias": ["person_id"],
        "people:remove_alias": ["person_id"],
        "people:add_identifier": ["person_id"],
        "people:remove_identifier": ["person_id"],
        "people:history": ["person_id"],
        "people:history_check": ["person_id"],
        "people:add_prior": ["person_id"],
        "people:edit_prior": ["person_id", "prior_id"],
        "people:remove_prior": ["person_id"],
    }


def _counts() -> tuple[Any, ...]:
    return (
        AuditEvent.objects.count(),
        Screening.objects.count(),
        list(ScreeningOverride.objects.order_by("pk").values_list("row_version", "withdrawn_at")),
        CaseFact.objects.count(),
    )


@pytest.mark.parametrize(("name", "params"), record_pages())
def test_a_record_page_is_a_404_like_a_missing_id(
    client: Any, world: World, name: str, params: list[str]
) -> None:
    hidden_prior = PriorRecord.objects.filter(person=world.hidden_person).first()
    assert hidden_prior is not None
    hidden_charge = world.hidden_case.charges.first()
    assert hidden_charge is not None
    hidden = {
        "case_id": world.hidden_case.pk,
        "person_id": world.hidden_person.pk,
        "screening_id": world.hidden_screening.pk,
        "fact": "work_authorization",
        "charge_id": hidden_charge.pk,
        "prior_id": hidden_prior.pk,
    }
    missing = {
        "case_id": world.missing_case,
        "person_id": world.missing_person,
        "screening_id": world.missing_screening,
        "fact": "work_authorization",
        "charge_id": hidden_charge.pk + 1000,
        "prior_id": hidden_prior.pk + 1000,
    }
    client.force_login(world.actor)
    before = _everything()
    responses = []
    for ids in (hidden, missing):
        url = reverse(name, kwargs={p: ids[p] for p in params})
        if name in POST_BODIES:
            responses.append(client.post(url, POST_BODIES[name]))
        else:
            responses.append(client.get(url))
    for_hidden, for_missing = responses
    # A page the actor's role does not offer at all is refused before any lookup (403 for
    # hidden and missing alike: the case manager's override and assignment); otherwise a 404.
    supervisors_only = {"eligibility:override", "eligibility:withdraw_override", "cases:assign"}
    expected = 403 if name in supervisors_only and world.actor.username == "cm-a" else 404
    assert (for_hidden.status_code, for_missing.status_code) == (expected, expected)
    assert _normalised(for_hidden.content) == _normalised(for_missing.content)
    assert _everything() == before


def test_lists_and_pages_do_not_mention_hidden_records(client: Any, world: World) -> None:
    client.force_login(world.actor)
    shown = [
        client.get("/cases/"),
        client.get("/cases/", {"q": "CRI-2025-7000"}, headers={"HX-Request": "true"}),
        client.get(f"/cases/{world.visible_case.pk}/"),
        client.get(f"/people/{world.visible_case.defendant_id}/"),
        client.get(f"/eligibility/cases/{world.visible_case.pk}/"),
    ]
    assert [r.status_code for r in shown] == [200] * len(shown)
    for response in shown:
        body = response.content.decode()
        for secret in ("CRI-2025-700002", "CRI-2025-700003", "Hiddenperson", "Hidden prior"):
            assert secret not in body, (response.request["PATH_INFO"], secret)
    assert "CRI-2025-700001" in shown[0].content.decode()  # the visible case is listed
    # Searching for a hidden name or docket reads exactly like searching for nobody.
    for term in ("Hiddenperson", "CRI-2025-700003"):
        found = client.get("/cases/", {"q": term}, headers={"HX-Request": "true"})
        nobody = client.get("/cases/", {"q": "Zzznobody"}, headers={"HX-Request": "true"})
        assert found.content.decode().replace(term, "Zzznobody") == nobody.content.decode()


def test_caseload_totals_count_only_visible_records(
    client: Any, catalog: None, supervisor: Any, auditor: Any, analyst: Any
) -> None:
    world = make_world("assignment")
    colleague = Case.objects.get(pk=world.hidden_case.pk).case_manager
    Case.objects.create(defendant=PersonFactory(), docket_number="CRI-UNPLACED", court="SF")
    expected = {
        world.actor: {"cases": 1, "people": 1},
        colleague: {"cases": 2, "people": 2},
        supervisor: {"cases": 4, "people": 3},
        auditor: {"cases": 4, "people": 3},
        analyst: {"cases": 0, "people": 0},
    }
    for actor, totals in expected.items():
        assert case_selectors.count_caseload(actor=actor) == totals, actor.username
    Case.objects.filter(pk=world.hidden_only_case.pk).update(restriction=Restriction.SEALED)
    assert case_selectors.count_caseload(actor=supervisor) == {"cases": 3, "people": 2}
    assert case_selectors.count_caseload(actor=colleague) == {"cases": 1, "people": 1}
    client.force_login(world.actor)
    assert client.get("/cases/").context["totals"] == {"cases": 1, "people": 1}


# --- services --------------------------------------------------------------------------------


def _service_calls(w: World) -> dict[str, Callable[[], Any]]:
    case, person, actor = w.hidden_case, w.hidden_person, w.actor
    return {
        "ontrack.cases.services.add_charge": lambda: case_services.add_charge(
            actor=actor, case=case, expected_version=case.row_version,
            charge=NewCharge("PC 148(a)(1)", "misdemeanor"),
        ),
        "ontrack.cases.services.update_case": lambda: case_services.update_case(
            actor=actor, case=case, expected_version=case.row_version, court="Oakland"
        ),
        "ontrack.cases.services.change_case_status": lambda: case_services.change_case_status(
            actor=actor, case=case, expected_version=case.row_version, status="diverted"
        ),
        # enrollments (issue 10): the sentencing date a terminated participant returns with.
        "ontrack.cases.services.set_sentencing_date": lambda: case_services.set_sentencing_date(
            actor=actor, case=case, expected_version=case.row_version,
            sentencing_date=dt.date(2025, 9, 1), status="open",
        ),
        "ontrack.cases.services.create_case": lambda: case_services.create_case(
            actor=actor, defendant=person, docket_number="CRI-NEW", court="SF",
            filing_date=None,
        ),
        "ontrack.cases.history_services.record_prior_record": lambda: (
            case_services.record_prior_record(
                actor=actor, person=person, record_type="arrest", event_date=None, level="",
                statute_code="", jurisdiction="CA", source="walk",
            )
        ),
        "ontrack.cases.services.assign_case": lambda: case_services.assign_case(
            actor=actor, case=case, expected_version=case.row_version, program=None,
            case_manager=None,
        ),
        "ontrack.cases.services.set_restriction": lambda: case_services.set_restriction(
            actor=actor, case=case, expected_version=case.row_version, restriction="",
            reason="walk",
        ),
        "ontrack.people.services.update_person": lambda: people_services.update_person(
            actor=actor, person=person, expected_version=person.row_version, city="Oakland"
        ),
        "ontrack.people.services.add_identifier": lambda: people_services.add_identifier(
            actor=actor, person=person, identifier=NewIdentifier("local_id", "SFSO", "walk-1")
        ),
        "ontrack.people.services.remove_identifier": lambda: people_services.remove_identifier(
            actor=actor, person=person, expected_version=person.row_version,
            identifier_id=_first_pk(PersonIdentifier, person),
        ),
        "ontrack.people.services.add_alias": lambda: people_services.add_alias(
            actor=actor, person=person, expected_version=person.row_version, family_name="Walk"
        ),
        "ontrack.people.services.remove_alias": lambda: people_services.remove_alias(
            actor=actor, person=person, expected_version=person.row_version,
            alias_id=_first_pk(PersonAlias, person),
        ),
        "ontrack.cases.services.update_charge": lambda: case_services.update_charge(
            actor=actor, case=case, expected_version=case.row_version,
            charge_id=_first_charge(case), level="misdemeanor",
        ),
        "ontrack.cases.services.remove_charge": lambda: case_services.remove_charge(
            actor=actor, case=case, expected_version=case.row_version,
            charge_id=_first_charge(case),
        ),
        "ontrack.cases.history_services.update_prior_record": lambda: (
            case_services.update_prior_record(
                actor=actor, person=person, expected_version=person.row_version,
                prior_id=_first_pk(PriorRecord, person), source="walk",
            )
        ),
        "ontrack.cases.history_services.remove_prior_record": lambda: (
            case_services.remove_prior_record(
                actor=actor, person=person, expected_version=person.row_version,
                prior_id=_first_pk(PriorRecord, person),
            )
        ),
        "ontrack.cases.history_services.record_history_check": lambda: (
            case_services.record_history_check(
                actor=actor, person=person, expected_version=person.row_version,
                source="walk", as_of=None, total=0,
            )
        ),
        "ontrack.eligibility.services.screen_case": lambda: eligibility_services.screen_case(
            actor=actor, case=case, policy=POLICY
        ),
        "ontrack.eligibility.services.record_case_fact": lambda: (
            eligibility_services.record_case_fact(
                actor=actor, case=case, fact="work_authorization", value="not_authorized",
                method="walk",
            )
        ),
        "ontrack.eligibility.services.override_screening": lambda: (
            eligibility_services.override_screening(
                actor=actor, screening=w.hidden_screening, result="eligible", reason="walk"
            )
        ),
        "ontrack.eligibility.services.check_override": lambda: (
            eligibility_services.check_override(
                actor=actor, screening=w.hidden_screening, result="eligible", reason="walk"
            )
        ),
        "ontrack.referrals.services.take_referral": lambda: referral_services.take_referral(
            actor=actor, source="police", referral_date=dt.date(2025, 3, 1), person=person,
            new_person=None, docket_number="CRI-NEW", court="SF", filing_date=None,
            charges=[NewCharge("HS 11350(a)", "felony")], program=w.visible_case.program,
        ),
        "ontrack.eligibility.services.withdraw_override": lambda: (
            eligibility_services.withdraw_override(
                actor=actor, override=w.hidden_override, expected_version=1, reason="walk"
            )
        ),
    }  # fmt: skip


def _first_pk(model: Any, person: Person) -> int:
    pk = model.objects.filter(person=person).values_list("pk", flat=True).first()
    assert pk is not None, model
    return int(pk)


def _first_charge(case: Case) -> int:
    pk = case.charges.values_list("pk", flat=True).first()
    assert pk is not None
    return int(pk)


def every_record_service() -> set[str]:
    """Public services taking a case, person, defendant, screening or override to write to."""
    found = set()
    for module in (
        case_services, history_services, people_services, eligibility_services,
        referral_services,
    ):  # fmt: skip
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ != module.__name__ or name.startswith("_"):
                continue
            if {"case", "person", "defendant", "screening", "override"} & set(
                inspect.signature(function).parameters
            ):
                found.add(f"{module.__name__}.{name}")
    return found


def test_every_record_service_is_walked(catalog: None) -> None:
    assert every_record_service() == set(_service_calls(make_world("assignment")))


def _everything() -> tuple[Any, ...]:
    return (
        _counts(),
        list(
            Case.objects.order_by("pk").values_list(
                "row_version", "status", "restriction", "sentencing_date"
            )
        ),
        list(Person.objects.order_by("pk").values_list("row_version", "city")),
        Charge.objects.count(),
        PriorRecord.objects.count(),
        PersonIdentifier.objects.count(),
        Referral.objects.count(),
        PersonAlias.objects.count(),
        list(Charge.objects.order_by("pk").values_list("level", flat=True)),
        list(PriorRecord.objects.order_by("pk").values_list("source", flat=True)),
        list(PriorCountSummary.objects.order_by("pk").values_list("source", "total")),
    )


# An actor whose role lacks the service's permission is refused with Forbidden before any
# lookup (the case manager may not assign, restrict or override); the walk then asks someone
# who holds the permission and still may not see the record: the supervisor, sealed scenario.
NEEDS_SUPERVISOR = {
    "ontrack.cases.services.assign_case",
    "ontrack.cases.services.set_restriction",
    "ontrack.eligibility.services.override_screening",
    "ontrack.eligibility.services.check_override",
    "ontrack.eligibility.services.withdraw_override",
}


@pytest.mark.parametrize(
    ("scenario", "service"),
    [
        (scenario, service)
        for scenario in ("assignment", "sealed")
        for service in sorted(every_record_service())
        if not (scenario == "assignment" and service in NEEDS_SUPERVISOR)
    ],
)
def test_a_service_refuses_a_record_the_actor_may_not_see(
    catalog: None, scenario: str, service: str
) -> None:
    world = make_world(scenario)
    before = _everything()
    with pytest.raises(NotFound):
        _service_calls(world)[service]()
    assert _everything() == before


def test_the_case_manager_lacks_the_supervisor_services(catalog: None) -> None:
    from ontrack.common.services import Forbidden

    world = make_world("assignment")
    before = _everything()
    for service in sorted(NEEDS_SUPERVISOR):
        with pytest.raises(Forbidden):
            _service_calls(world)[service]()
    assert _everything() == before


def test_queue_pages_and_exports_do_not_mention_hidden_records(client: Any, world: World) -> None:
    from ontrack.queues.lists import SPECS

    client.force_login(world.actor)
    question = {"fact_charge_level": "known"}
    for slug, spec in SPECS.items():
        if not world.actor.has_perm(spec.permission):
            continue
        for url in (f"/queues/{slug}/", f"/queues/{slug}/export.csv"):
            response = client.get(url, question)
            assert response.status_code == 200, url
            body = response.content.decode()
            for secret in ("CRI-2025-700002", "CRI-2025-700003", "Hiddenperson"):
                assert secret not in body, (url, secret)
    home = client.get("/").content.decode()
    answer = client.get("/queues/how-many/", question).content.decode()
    assert "<strong>1</strong> of the 1 case you may see" in " ".join(answer.split())
    for secret in ("CRI-2025-700002", "CRI-2025-700003", "Hiddenperson"):
        assert secret not in home
        assert secret not in answer


def test_assign_selected_refuses_a_hidden_case_and_assigns_none(catalog: None) -> None:
    """The sealed world's supervisor may assign, but not a case they may not see: NotFound
    for the batch, exactly as for a missing id, and nothing written."""
    from ontrack.queues.services import assign_selected

    w = make_world("sealed")
    program = w.visible_case.program
    for hidden in (w.hidden_case.pk, w.missing_case):
        before = (_everything(), list(Case.objects.values_list("pk", "program", "case_manager")))
        with pytest.raises(NotFound) as refused:
            assign_selected(
                actor=w.actor,
                versions={w.visible_case.pk: w.visible_case.row_version, hidden: 1},
                program=program,
                case_manager=None,
            )
        assert str(refused.value) == ""
        after = (_everything(), list(Case.objects.values_list("pk", "program", "case_manager")))
        assert after == before
