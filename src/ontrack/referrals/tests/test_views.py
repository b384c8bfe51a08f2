"""The intake pages: each step, the duplicate warning, linking, refusals, code suggestions."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from conftest import make_user
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ontrack.audit.models import AuditEvent
from ontrack.cases.models import Case, Charge
from ontrack.cases.tests.factories import CaseFactory, assign, program_with
from ontrack.people.models import Person
from ontrack.people.tests.factories import PersonFactory
from ontrack.referrals.models import Referral

pytestmark = pytest.mark.django_db

STEP1 = {
    "source": "defense",
    "referral_date": "2025-03-03",
    "referrer_name": "Ana Ruiz",
    "referrer_agency": "Public Defender",
    "referrer_contact": "415-555-0199",
    "notes": "",
    "given_name": "Marisol",
    "middle_name": "",
    "family_name": "Quintero",
    "date_of_birth": "2003-05-17",
    "id_type": "",
    "id_issuer": "",
    "id_value": "",
}
STEP3 = {
    "docket_number": "CRI-2025-900010",
    "court": "San Francisco Superior Court",
    "filing_date": "2025-03-04",
    "charges-TOTAL_FORMS": "3",
    "charges-INITIAL_FORMS": "0",
    "charges-MIN_NUM_FORMS": "0",
    "charges-MAX_NUM_FORMS": "10",
    "charges-0-statute_code": "HS 11351",
    "charges-0-level": "",
    "charges-0-description": "",
    "charges-0-offense_date": "2025-03-01",
}


def body(response: Any) -> str:
    return " ".join(response.content.decode().split())


@pytest.fixture
def signed_in(client: Any, case_manager: Any, catalog: None) -> Any:
    program_with(case_manager)
    client.force_login(case_manager)
    return client


def _counts() -> tuple[int, ...]:
    return (
        Person.objects.count(),
        Case.objects.count(),
        Charge.objects.count(),
        Referral.objects.count(),
        AuditEvent.objects.count(),
    )


def test_step_one_refuses_by_field_in_words_and_keeps_what_was_typed(signed_in: Any) -> None:
    page = signed_in.get("/referrals/new/")
    assert page.status_code == 200
    for label in ("Referred by", "Referral date", "Given name", "Family name", "Date of birth"):
        assert label in body(page)
    before = _counts()
    refused = signed_in.post(
        "/referrals/new/",
        {**STEP1, "family_name": "", "referral_date": "3 March", "id_type": "state_id"},
    )
    assert refused.status_code == 400
    text = body(refused)
    assert "Family name: This field is required." in text
    assert "Referral date: Enter a valid date." in text
    assert "Identifier number: give the identifier&#x27;s type, issuer and number, or none" in text
    assert 'value="Marisol"' in text
    assert 'value="Ana Ruiz"' in text
    assert _counts() == before
    assert "referral_intake" not in signed_in.session


def test_a_near_duplicate_is_shown_side_by_side_and_picking_it_links_it(
    signed_in: Any, case_manager: Any, new_access: Any
) -> None:
    on_file = PersonFactory(
        given_name="Marisol", family_name="Quintero", date_of_birth=dt.date(2003, 5, 17)
    )
    assign(CaseFactory(defendant=on_file, docket_number="CRI-2024-000001"), case_manager)
    hidden = PersonFactory(given_name="Marisela", family_name="Quintero")  # no visible case
    response = signed_in.post("/referrals/new/", STEP1)
    assert response.status_code == 302
    assert response["Location"] == "/referrals/new/person/"

    page = signed_in.get("/referrals/new/person/")
    text = body(page)
    assert "1 person on file may be the person referred" in text
    assert "Quintero, Marisol (as referred)</td><td>2003-05-17</td>" in text
    assert (
        f'<label for="choice-{on_file.pk}">Quintero, Marisol</label></td> <td>2003-05-17</td> '
        "<td>same family name, same given name, same date of birth</td>"
    ) in text
    assert "Marisela" not in text
    shown = new_access().get(action="referral.matches_viewed")
    assert (shown.row_count, shown.details, shown.outcome) == (
        1,
        {"people": [on_file.pk]},
        "success",
    )

    before = _counts()
    # An id the actor was not shown (here: one they may not see) is refused, nothing kept.
    refused = signed_in.post("/referrals/new/person/", {"choice": str(hidden.pk)})
    assert refused.status_code == 400
    assert "Person: choose one of the people listed or confirm a new person" in body(refused)
    assert signed_in.session["referral_intake"]["choice"] is None

    picked = signed_in.post("/referrals/new/person/", {"choice": str(on_file.pk)})
    assert picked["Location"] == "/referrals/new/case/"
    step3 = signed_in.get("/referrals/new/case/")
    assert "Quintero, Marisol</a>, on file" in body(step3)
    assert 'list="statute-codes"' in body(step3)
    done = signed_in.post("/referrals/new/case/", STEP3)
    case = Case.objects.get(docket_number="CRI-2025-900010")
    assert done.status_code == 302
    assert done["Location"] == f"/cases/{case.pk}/"
    assert case.defendant_id == on_file.pk
    assert Person.objects.count() == before[0]  # linked, nobody created
    referral = Referral.objects.get()
    assert (referral.source, referral.referrer_name, referral.linked_existing_person) == (
        "defense",
        "Ana Ruiz",
        True,
    )
    assert "referral_intake" not in signed_in.session
    assert signed_in.get(done["Location"]).status_code == 200  # its taker sees the new case


def test_a_new_person_is_created_when_confirmed(signed_in: Any, case_manager: Any) -> None:
    signed_in.post("/referrals/new/", {**STEP1, "id_type": "state_id", "id_issuer": "CA",
                                       "id_value": "A7654321"})  # fmt: skip
    page = signed_in.get("/referrals/new/person/")
    assert "Nobody on file that you may see matches Marisol Quintero, born 2003-05-17." in body(
        page
    )
    signed_in.post("/referrals/new/person/", {"choice": "new"})
    done = signed_in.post("/referrals/new/case/", STEP3)
    person = Person.objects.get()
    assert (person.given_name, person.family_name, person.date_of_birth) == (
        "Marisol",
        "Quintero",
        dt.date(2003, 5, 17),
    )
    assert list(person.identifiers.values_list("value", flat=True)) == ["A7654321"]
    case = Case.objects.get()
    assert done["Location"] == f"/cases/{case.pk}/"
    assert list(case.charges.values_list("statute_code", "level")) == [("HS 11351", "felony")]


def test_step_three_refusal_names_the_field_keeps_the_input_and_writes_nothing(
    signed_in: Any,
) -> None:
    CaseFactory(docket_number="CRI-2025-900010")
    signed_in.post("/referrals/new/", STEP1)
    signed_in.post("/referrals/new/person/", {"choice": "new"})
    before = _counts()
    refused = signed_in.post(
        "/referrals/new/case/",
        {**STEP3, "charges-1-statute_code": "HS 11350(a)", "charges-1-offense_date": "2025-03-01"},
    )
    assert refused.status_code == 400
    text = body(refused)
    assert "Charge 2, level: the catalog does not give one level for this code on that date" in text
    assert 'value="HS 11350(a)"' in text
    assert 'value="CRI-2025-900010"' in text
    assert _counts() == before
    refused = signed_in.post("/referrals/new/case/", STEP3)
    assert "Docket number: CRI-2025-900010 already exists" in body(refused)
    assert _counts() == before


def test_code_suggestions_come_from_the_catalog(signed_in: Any) -> None:
    response = signed_in.get("/referrals/codes/", {"charges-0-statute_code": "HS 11351"})
    options = [line.strip() for line in response.content.decode().splitlines() if line.strip()]
    # The overlay's descriptions (offenses/data/catalog) and the DOJ rows' levels.
    assert options == [
        '<option value="HS 11351">HS 11351: Possession or purchase for sale of a narcotic '
        "controlled substance (felony)</option>",
        '<option value="HS 11351.5">HS 11351.5: Possession or purchase for sale of cocaine base '
        "(felony)</option>",
        '<option value="HS 11370.2(a)">HS 11370.2(a): pr c/s conv:11351-11352hs '
        "(level not given)</option>",
    ]
    wobbler = signed_in.get("/referrals/codes/", {"q": "HS 11350(a)"}).content.decode()
    assert wobbler.strip() == (
        '<option value="HS 11350(a)">HS 11350(a): possess narcotic cntl sub (wobbler)</option>'
    )
    assert signed_in.get("/referrals/codes/", {"q": ""}).content.decode().strip() == ""


def test_who_may_take_referrals(client: Any, analyst: Any, case_manager: Any) -> None:
    client.force_login(analyst)
    assert client.get("/referrals/new/").status_code == 403
    assert client.get("/referrals/codes/", {"q": "HS"}).status_code == 403
    catalog_page = body(client.get("/offenses/"))
    assert "Offense catalog" in catalog_page
    assert "New referral" not in catalog_page
    client.force_login(case_manager)
    assert '<a href="/referrals/new/">New referral</a>' in body(client.get("/cases/"))
    # Steps 2 and 3 without step 1 go back to it.
    assert client.get("/referrals/new/case/")["Location"] == "/referrals/new/"
    assert client.get("/referrals/new/person/")["Location"] == "/referrals/new/"


@pytest.mark.parametrize("step", ["/referrals/new/person/", "/referrals/new/case/"])
def test_steps_run_a_constant_number_of_queries(
    client: Any, supervisor: Any, catalog: None, step: str
) -> None:
    client.force_login(supervisor)
    client.post("/referrals/new/", STEP1)
    client.post("/referrals/new/person/", {"choice": "new"})
    counts = []
    for size in (10, 1000):
        more = size - Person.objects.filter(family_name="Quintero").count()
        Person.objects.bulk_create(
            Person(given_name="Maria", family_name="Quintero") for _ in range(more)
        )
        assert Person.objects.filter(family_name="Quintero").count() == size
        with CaptureQueriesContext(connection) as queries:
            assert client.get(step).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_case_manager_in_two_programs_chooses_one(client: Any, catalog: None) -> None:
    manager = make_user("case_manager", "two-programs")
    program_with(manager, slug="back-on-track")
    second = program_with(manager, slug="young-adult-court")
    client.force_login(manager)
    refused = client.post("/referrals/new/", STEP1)
    assert "Program: This field is required." in body(refused)
    client.post("/referrals/new/", {**STEP1, "program": str(second.pk)})
    client.post("/referrals/new/person/", {"choice": "new"})
    client.post("/referrals/new/case/", STEP3)
    assert Case.objects.get().program_id == second.pk


def test_a_program_left_since_step_one_is_not_replaced_silently(client: Any, catalog: None) -> None:
    from ontrack.programs.models import ProgramMembership

    manager = make_user("case_manager", "leaving")
    program_with(manager, slug="back-on-track")
    second = program_with(manager, slug="young-adult-court")
    client.force_login(manager)
    client.post("/referrals/new/", {**STEP1, "program": str(second.pk)})
    client.post("/referrals/new/person/", {"choice": "new"})
    ProgramMembership.objects.filter(program=second, user=manager).delete()
    before = _counts()
    refused = client.post("/referrals/new/case/", STEP3)
    assert refused.status_code == 400
    assert "Program: you are no longer in the program chosen: choose again" in body(refused)
    assert _counts() == before
