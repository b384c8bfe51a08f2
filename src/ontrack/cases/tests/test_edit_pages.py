"""The edit pages: person details, aliases, identifiers, criminal history, the case and its
charges. Each happy path stores exact values with the exact audit row; each refusal (bad
input, a stale version) changes nothing, audit trail included; a stale form shows the other
user's change (409); every form page runs a constant number of queries."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ontrack.audit.models import AuditEvent
from ontrack.cases.models import Case, Charge, PriorCountSummary, PriorRecord
from ontrack.cases.services import update_case, update_charge
from ontrack.cases.tests.factories import CaseFactory, ChargeFactory, PriorRecordFactory
from ontrack.people.models import Person, PersonAlias, PersonIdentifier
from ontrack.people.services import update_person
from ontrack.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def case() -> Case:
    person = PersonFactory(
        given_name="Lupe", middle_name="", family_name="Arriaga", date_of_birth=None,
        city="San Francisco", sex="", race="", state="", phone="", email="",
        street_address="", postal_code="",
    )  # fmt: skip
    case = CaseFactory(defendant=person, docket_number="CRI-2025-600001", court="SF Superior")
    ChargeFactory(
        case=case, count_number=1, statute_code="HS 11351", description="", level="felony",
        offense_date=dt.date(2025, 3, 1), weapon_alleged=None, gang_alleged=False,
        near_school_alleged=False, disposition="pending",
    )  # fmt: skip
    return case


def body_of(response: Any) -> str:
    return " ".join(response.content.decode().split())


_MARK: list[int] = [0]


@pytest.fixture(autouse=True)
def _audit_mark(db: None) -> None:
    """Audit rows older than the test (the migrations' role sync and policy loads) are not
    the test's."""
    _MARK[0] = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def events() -> list[tuple[str, str, dict[str, Any], dict[str, Any]]]:
    return [
        (e.actor_username, e.action, e.changes, e.details)
        for e in AuditEvent.objects.filter(id__gt=_MARK[0]).order_by("id")
    ]


def person_state(pk: int) -> tuple[Any, ...]:
    p = Person.objects.get(pk=pk)
    return (
        p.row_version, p.given_name, p.family_name, p.date_of_birth, p.birth_date_earliest,
        p.birth_date_latest, p.city, p.sex,
        sorted(PersonAlias.objects.filter(person=p).values_list("given_name", "family_name")),
        sorted(PersonIdentifier.objects.filter(person=p).values_list("id_type", "value")),
    )  # fmt: skip


PERSON_POST = {
    "given_name": "Lupe", "middle_name": "", "family_name": "Arriaga", "suffix": "",
    "date_of_birth": "", "birth_date_earliest": "", "birth_date_latest": "", "sex": "",
    "race": "", "phone": "", "email": "", "street_address": "", "city": "San Francisco",
    "state": "", "postal_code": "",
}  # fmt: skip


# --- the person -------------------------------------------------------------------------------


def test_person_form_shows_labels_in_words(client: Any, supervisor: Any, case: Case) -> None:
    client.force_login(supervisor)
    body = body_of(client.get(f"/people/{case.defendant_id}/edit/"))
    assert '<label for="id_date_of_birth">Date of birth (optional)</label>' in body
    assert '<option value="" selected>not known</option>' in body  # sex, race: not known
    assert '<option value="nonbinary">Non-binary</option>' in body
    assert 'name="expected_version" value="1"' in body
    assert "date_of_birth</" not in body  # no field names shown


def test_person_form_saves_exact_values_and_one_audit_row(
    client: Any, supervisor: Any, case: Case
) -> None:
    client.force_login(supervisor)
    person = case.defendant
    data = {**PERSON_POST, "expected_version": "1", "date_of_birth": "2000-01-02", "sex": "female"}
    response = client.post(f"/people/{person.pk}/edit/", data)
    assert (response.status_code, response["Location"]) == (302, f"/people/{person.pk}/")
    assert person_state(person.pk) == (
        2,
        "Lupe",
        "Arriaga",
        dt.date(2000, 1, 2),
        None,
        None,
        "San Francisco",
        "female",
        [],
        [],
    )
    assert events() == [
        (
            "supervisor-user", "person.updated",
            {"date_of_birth": [None, "2000-01-02"], "sex": ["", "female"]}, {"version": 2},
        )
    ]  # fmt: skip


def test_a_birth_date_range_when_only_an_age_is_known(
    client: Any, supervisor: Any, case: Case
) -> None:
    client.force_login(supervisor)
    person = case.defendant
    data = {
        **PERSON_POST, "expected_version": "1",
        "birth_date_earliest": "1990-01-28", "birth_date_latest": "1991-01-27",
    }  # fmt: skip
    assert client.post(f"/people/{person.pk}/edit/", data).status_code == 302
    assert person_state(person.pk)[3:6] == (None, dt.date(1990, 1, 28), dt.date(1991, 1, 27))


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"date_of_birth": "1990-05-05", "birth_date_earliest": "1990-01-01"},
            "birth_date_earliest",
            "give either the date of birth or a birth-date range, not both",
        ),
        (
            {"birth_date_earliest": "1991-02-01", "birth_date_latest": "1991-01-01"},
            "birth_date_latest",
            "is before the earliest possible date of birth",
        ),
        ({"date_of_birth": "2999-01-01"}, "date_of_birth", "is in the future"),
        ({"date_of_birth": "3/7/1991"}, "date_of_birth", "enter a date as YYYY-MM-DD"),
        ({"family_name": ""}, "family_name", "This field is required."),
    ],
)
def test_bad_person_input_is_refused_beside_its_field_and_changes_nothing(
    client: Any, supervisor: Any, case: Case, changes: dict[str, str], field: str, message: str
) -> None:
    client.force_login(supervisor)
    before = person_state(case.defendant_id)
    response = client.post(
        f"/people/{case.defendant_id}/edit/", {**PERSON_POST, "expected_version": "1", **changes}
    )
    assert response.status_code == 400
    assert f'<small id="id_{field}_error">{message}</small>' in body_of(response)
    assert person_state(case.defendant_id) == before
    assert events() == []


def test_a_stale_person_form_shows_the_other_change_and_overwrites_nothing(
    client: Any, supervisor: Any, case: Case
) -> None:
    person = case.defendant
    # The other user saves first (the form below read version 1).
    update_person(actor=supervisor, person=person, expected_version=1, city="Oakland")
    before, audit_before = person_state(person.pk), events()
    client.force_login(supervisor)
    data = {**PERSON_POST, "expected_version": "1", "city": "Richmond", "phone": "415-555-0100"}
    response = client.post(f"/people/{person.pk}/edit/", data)
    assert response.status_code == 409
    body = body_of(response)
    when = AuditEvent.objects.get(action="person.updated").occurred_at
    stamp = timezone.localtime(when).strftime("%Y-%m-%d %H:%M")
    assert ("<p><strong>supervisor-user</strong> changed the person at " + stamp + ":</p>") in body
    assert "<tr><td>City</td><td>San Francisco</td><td>Oakland</td></tr>" in body
    # What this user entered is kept, and the form now carries the current version.
    details = re.search(r'<form [^>]*id="details-form">.*?</form>', body)
    assert details is not None
    assert 'name="city" value="Richmond"' in details.group()
    assert 'name="phone" value="415-555-0100"' in details.group()
    assert 'name="expected_version" value="2"' in details.group()
    assert person_state(person.pk) == before
    assert events() == audit_before


# --- aliases and identifiers -------------------------------------------------------------------


def test_aliases_and_identifiers_are_added_and_removed_with_the_persons_version(
    client: Any, supervisor: Any, case: Case
) -> None:
    client.force_login(supervisor)
    pk = case.defendant_id
    add = {"given_name": "Guadalupe", "family_name": "Arriaga", "kind": "aka"}
    assert (
        client.post(f"/people/{pk}/aliases/add/", {**add, "expected_version": "1"}).status_code
        == 302
    )
    ident = {"id_type": "state_id", "issuer": "CA", "value": "A1234567"}
    assert (
        client.post(
            f"/people/{pk}/identifiers/add/", {**ident, "expected_version": "2"}
        ).status_code
        == 302
    )
    assert person_state(pk)[0] == 3
    assert person_state(pk)[8:] == ([("Guadalupe", "Arriaga")], [("state_id", "A1234567")])
    alias = PersonAlias.objects.get(person_id=pk)
    ident_pk = PersonIdentifier.objects.get(person_id=pk).pk
    # A stale removal (version 1) is refused: nothing removed, nothing audited.
    audit_before = events()
    stale = client.post(
        f"/people/{pk}/aliases/remove/", {"item": alias.pk, "expected_version": "1"}
    )
    assert stale.status_code == 409
    assert "<tr><td>Alias</td><td>(none)</td><td>Guadalupe Arriaga (aka)</td></tr>" in body_of(
        stale
    )
    assert PersonAlias.objects.filter(person_id=pk).count() == 1
    assert events() == audit_before
    assert (
        client.post(
            f"/people/{pk}/aliases/remove/", {"item": alias.pk, "expected_version": "3"}
        ).status_code
        == 302
    )
    assert (
        client.post(
            f"/people/{pk}/identifiers/remove/", {"item": ident_pk, "expected_version": "4"}
        ).status_code
        == 302
    )
    assert person_state(pk)[0] == 5
    assert person_state(pk)[8:] == ([], [])
    assert [(a, c, d) for _, a, c, d in events()] == [
        ("person.alias_added", {"alias": [None, "Guadalupe Arriaga (aka)"]}, {"version": 2}),
        ("person.identifier_added", {"identifier": [None, "state_id:CA:A1234567"]}, {"version": 3}),
        ("person.alias_removed", {"alias": ["Guadalupe Arriaga (aka)", None]}, {"version": 4}),
        (
            "person.identifier_removed", {"identifier": ["state_id:CA:A1234567", None]},
            {"version": 5},
        ),
    ]  # fmt: skip


def test_another_persons_alias_cannot_be_removed_through_this_person(
    client: Any, supervisor: Any, case: Case
) -> None:
    other = PersonFactory()
    alias = PersonAlias.objects.create(person=other, family_name="Elsewhere")
    client.force_login(supervisor)
    response = client.post(
        f"/people/{case.defendant_id}/aliases/remove/", {"item": alias.pk, "expected_version": "1"}
    )
    assert response.status_code == 404
    assert PersonAlias.objects.filter(pk=alias.pk).exists()
    assert events() == []


# --- criminal history ----------------------------------------------------------------


def test_a_check_that_found_nothing_is_recorded_as_such(
    client: Any, supervisor: Any, case: Case
) -> None:
    client.force_login(supervisor)
    pk = case.defendant_id
    page = body_of(client.get(f"/people/{pk}/history/"))
    assert "Not checked: no criminal-history check on file." in page
    data = {
        "source": "CA DOJ rap sheet",
        "as_of": "2025-03-02",
        "total": "0",
        "expected_version": "1",
    }
    assert client.post(f"/people/{pk}/history/check/", data).status_code == 302
    check = PriorCountSummary.objects.get(person_id=pk)
    assert (check.source, check.as_of, check.total, check.juvenile_felonies) == (
        "CA DOJ rap sheet", dt.date(2025, 3, 2), 0, None,
    )  # fmt: skip
    assert "<td>none found (0)</td>" in body_of(client.get(f"/people/{pk}/history/"))
    assert [(a, c, d) for _, a, c, d in events()] == [
        (
            "person.history_checked",
            {
                "check CA DOJ rap sheet source": [None, "CA DOJ rap sheet"],
                "check CA DOJ rap sheet as_of": [None, "2025-03-02"],
                "check CA DOJ rap sheet total": [None, 0],
            },
            {"version": 2},
        )
    ]


def test_prior_records_are_added_edited_and_removed(
    client: Any, supervisor: Any, case: Case
) -> None:
    client.force_login(supervisor)
    pk = case.defendant_id
    data = {
        "record_type": "conviction", "event_date": "2019-04-01", "level": "misdemeanor",
        "statute_code": "pc 484", "description": "", "category": "", "jurisdiction": "CA",
        "source": "CA DOJ rap sheet", "expected_version": "1",
    }  # fmt: skip
    assert client.post(f"/people/{pk}/priors/add/", data).status_code == 302
    prior = PriorRecord.objects.get(person_id=pk)
    assert (prior.statute_code, prior.level, prior.event_date) == (
        "PC 484", "misdemeanor", dt.date(2019, 4, 1),
    )  # fmt: skip
    edit = {**data, "level": "felony", "expected_version": "2"}
    assert client.post(f"/people/{pk}/priors/{prior.pk}/", edit).status_code == 302
    prior.refresh_from_db()
    assert prior.level == "felony"
    # Stale: the form read version 2, the person is at 3 now.
    stale = client.post(f"/people/{pk}/priors/{prior.pk}/", {**edit, "level": "misdemeanor"})
    assert stale.status_code == 409
    assert ("<tr><td>Prior record: level</td><td>Misdemeanor</td><td>Felony</td></tr>") in body_of(
        stale
    )
    prior.refresh_from_db()
    assert prior.level == "felony"
    assert (
        client.post(
            f"/people/{pk}/priors/remove/", {"item": prior.pk, "expected_version": "3"}
        ).status_code
        == 302
    )
    assert not PriorRecord.objects.filter(person_id=pk).exists()
    assert [a for _, a, _, _ in events()] == [
        "person.prior_recorded", "person.prior_updated", "person.prior_removed",
    ]  # fmt: skip
    assert events()[1][2:] == (
        {f"prior record {prior.pk} level": ["misdemeanor", "felony"]},
        {"version": 3, "prior_record": prior.pk},
    )


# --- the case and its charges ------------------------------------------------------------------


CASE_POST = {
    "docket_number": "CRI-2025-600001", "external_case_number": "", "court": "SF Superior",
    "filing_date": "2025-03-04", "status": "open",
}  # fmt: skip
CHARGE_POST = {
    "statute_code": "HS 11351", "description": "", "level": "felony",
    "offense_date": "2025-03-01", "weapon_alleged": "", "gang_alleged": "no",
    "near_school_alleged": "no", "disposition": "pending",
}  # fmt: skip


def test_case_form_saves_through_update_case(client: Any, supervisor: Any, case: Case) -> None:
    client.force_login(supervisor)
    data = {
        **CASE_POST, "expected_version": "1", "external_case_number": "ALA-99",
        "status": "diverted",
    }  # fmt: skip
    response = client.post(f"/cases/{case.pk}/edit/", data)
    assert (response.status_code, response["Location"]) == (302, f"/cases/{case.pk}/")
    case.refresh_from_db()
    assert (case.external_case_number, case.status, case.row_version) == ("ALA-99", "diverted", 2)
    assert events() == [
        (
            "supervisor-user", "case.updated",
            {"external_case_number": ["", "ALA-99"], "status": ["open", "diverted"]},
            {"version": 2},
        )
    ]  # fmt: skip


def test_charge_form_offers_three_allegation_choices_and_saves_them(
    client: Any, supervisor: Any, case: Case
) -> None:
    charge = Charge.objects.get(case=case)
    client.force_login(supervisor)
    page = body_of(client.get(f"/cases/{case.pk}/charges/{charge.pk}/"))
    weapon = re.search(r'<select name="weapon_alleged".*?</select>', page)
    assert weapon is not None
    assert re.findall(r"<option[^>]*>([^<]*)</option>", weapon.group()) == [
        "not known", "alleged", "not alleged",
    ]  # fmt: skip
    data = {**CHARGE_POST, "expected_version": "1", "weapon_alleged": "no", "gang_alleged": "yes"}
    assert client.post(f"/cases/{case.pk}/charges/{charge.pk}/", data).status_code == 302
    charge.refresh_from_db()
    assert (charge.weapon_alleged, charge.gang_alleged, charge.near_school_alleged) == (
        False, True, False,
    )  # fmt: skip
    assert Case.objects.get(pk=case.pk).row_version == 2  # charges lock with the case's version
    assert events() == [
        (
            "supervisor-user", "case.charge_updated",
            {"count 1 weapon_alleged": [None, False], "count 1 gang_alleged": [False, True]},
            {"version": 2, "charge": charge.pk},
        )
    ]  # fmt: skip


def test_a_charge_form_read_before_a_case_edit_is_stale(
    client: Any, supervisor: Any, case: Case
) -> None:
    charge = Charge.objects.get(case=case)
    update_case(actor=supervisor, case=case, expected_version=1, court="Alameda Superior")
    before = list(Charge.objects.values_list("weapon_alleged", "level"))
    audit_before = events()
    client.force_login(supervisor)
    data = {**CHARGE_POST, "expected_version": "1", "weapon_alleged": "yes"}
    response = client.post(f"/cases/{case.pk}/charges/{charge.pk}/", data)
    assert response.status_code == 409
    body = body_of(response)
    assert "<strong>supervisor-user</strong> changed the case at" in body
    assert "<tr><td>Court</td><td>SF Superior</td><td>Alameda Superior</td></tr>" in body
    assert '<option value="yes" selected>alleged</option>' in body  # the entry is kept
    assert list(Charge.objects.values_list("weapon_alleged", "level")) == before
    assert events() == audit_before


def test_a_conflict_names_the_charge_field_in_words(
    client: Any, supervisor: Any, case: Case
) -> None:
    charge = Charge.objects.get(case=case)
    update_charge(
        actor=supervisor, case=case, charge_id=charge.pk, expected_version=1,
        near_school_alleged=True,
    )  # fmt: skip
    client.force_login(supervisor)
    response = client.post(
        f"/cases/{case.pk}/charges/{charge.pk}/", {**CHARGE_POST, "expected_version": "1"}
    )
    assert response.status_code == 409
    assert (
        "<tr><td>Count 1: near school alleged</td><td>not alleged</td><td>alleged</td></tr>"
    ) in body_of(response)


def test_charges_are_added_and_removed(client: Any, supervisor: Any, case: Case) -> None:
    client.force_login(supervisor)
    data = {
        **CHARGE_POST, "statute_code": "pc 148(a)(1)", "level": "misdemeanor",
        "weapon_alleged": "no", "expected_version": "1",
    }  # fmt: skip
    assert client.post(f"/cases/{case.pk}/charges/add/", data).status_code == 302
    added = Charge.objects.get(case=case, count_number=2)
    assert (added.statute_code, added.level, added.weapon_alleged, added.gang_alleged) == (
        "PC 148(a)(1)", "misdemeanor", False, False,
    )  # fmt: skip
    response = client.post(
        f"/cases/{case.pk}/charges/remove/", {"item": added.pk, "expected_version": "2"}
    )
    assert response.status_code == 302
    assert list(Charge.objects.filter(case=case).values_list("count_number", flat=True)) == [1]
    assert [(a, d) for _, a, _, d in events()] == [
        ("case.charge_added", {"version": 2}),
        ("case.charge_removed", {"version": 3}),
    ]
    assert events()[1][2] == {
        "count 2": [
            {
                "statute_code": "PC 148(a)(1)", "level": "misdemeanor",
                "offense_date": "2025-03-01", "weapon_alleged": False, "gang_alleged": False,
                "near_school_alleged": False, "disposition": "pending",
            },
            None,
        ]
    }  # fmt: skip


def test_bad_charge_input_changes_nothing(client: Any, supervisor: Any, case: Case) -> None:
    charge = Charge.objects.get(case=case)
    client.force_login(supervisor)
    data = {**CHARGE_POST, "statute_code": "not a code!!", "expected_version": "1"}
    response = client.post(f"/cases/{case.pk}/charges/{charge.pk}/", data)
    assert response.status_code == 400
    assert '<small id="id_statute_code_error">' in body_of(response)
    charge.refresh_from_db()
    assert (charge.statute_code, Case.objects.get(pk=case.pk).row_version) == ("HS 11351", 1)
    assert events() == []


def test_case_and_person_pages_link_to_the_edit_forms(
    client: Any, supervisor: Any, case: Case
) -> None:
    client.force_login(supervisor)
    charge = Charge.objects.get(case=case)
    case_page = body_of(client.get(f"/cases/{case.pk}/"))
    assert f'<a href="/cases/{case.pk}/edit/">' in case_page
    assert f'<a href="/cases/{case.pk}/charges/{charge.pk}/">Edit count 1</a>' in case_page
    assert f'<a href="/cases/{case.pk}/charges/add/">Add a charge</a>' in case_page
    person_page = body_of(client.get(f"/people/{case.defendant_id}/"))
    assert f'<a href="/people/{case.defendant_id}/edit/">' in person_page
    assert f'<a href="/people/{case.defendant_id}/history/">' in person_page


# --- a constant number of queries ------------------------------------------------------


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("rows", [10, 1000])
def test_form_pages_run_a_constant_number_of_queries(
    client: Any, supervisor: Any, rows: int
) -> None:
    small = CaseFactory()
    ChargeFactory(case=small, count_number=1)
    big = CaseFactory()
    Charge.objects.bulk_create(
        Charge(case=big, count_number=n, statute_code="HS 11351", level="felony")
        for n in range(1, rows + 1)
    )
    for person, n in ((small.defendant, 1), (big.defendant, rows)):
        PersonAlias.objects.bulk_create(
            PersonAlias(person=person, family_name=f"Alias{i}") for i in range(n)
        )
        PersonIdentifier.objects.bulk_create(
            PersonIdentifier(
                person=person, id_type="booking", issuer="SFSO", value=f"{person.pk}-{i}"
            )
            for i in range(n)
        )
        PriorRecord.objects.bulk_create(PriorRecordFactory.build(person=person) for _ in range(n))
    client.force_login(supervisor)
    for template in (
        "/people/{p}/edit/", "/people/{p}/history/", "/people/{p}/priors/{prior}/",
        "/cases/{c}/edit/", "/cases/{c}/charges/add/", "/cases/{c}/charges/{charge}/",
    ):  # fmt: skip
        counts = []
        for case in (small, big):
            url = template.format(
                p=case.defendant_id, c=case.pk,
                prior=PriorRecord.objects.filter(person_id=case.defendant_id).first().pk,  # type: ignore[union-attr]
                charge=Charge.objects.filter(case=case).first().pk,  # type: ignore[union-attr]
            )  # fmt: skip
            counts.append(_queries(client, url))
        assert counts[0] == counts[1], template
