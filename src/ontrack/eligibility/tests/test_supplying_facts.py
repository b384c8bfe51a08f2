"""Supplying what a screening needs: every "needs information" item links to the form that
supplies it and says who can; the case-fact form records any recordable fact with the case's
version; a criminal-history check that found nothing is "none", not "not checked"."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve

from ontrack.audit.models import AuditEvent
from ontrack.cases.models import Case, PriorCountSummary
from ontrack.cases.services import record_history_check, update_case
from ontrack.eligibility.models import CaseFact
from ontrack.eligibility.selectors import case_facts
from ontrack.eligibility.services import record_case_fact, screen_case
from ontrack.eligibility.supply import FORMS, needed_facts
from ontrack.eligibility.tests.helpers import POLICY, body_of, prepared_case
from ontrack.eligibility.vocabulary import FACTS, VOCABULARY

pytestmark = pytest.mark.django_db

# Which page each form key opens (view names, written by hand).
EXPECTED_VIEW = {
    "person": "people:edit",
    "history": "people:history",
    "charges": "cases:edit_charge",
    "case": "cases:edit",
    "fact": "eligibility:record_fact",
}


def test_every_form_a_fact_names_exists_and_recordable_facts_use_the_fact_form() -> None:
    assert {f.form for f in FACTS if f.form} <= set(FORMS)
    assert {f.name for f in FACTS if f.recordable} == {f.name for f in FACTS if f.form == "fact"}
    # Who can supply it, in words, for every fact a form supplies.
    assert all(f.supplied_by for f in FACTS if f.form)


def test_each_needed_fact_links_to_the_form_that_supplies_it(catalog: None) -> None:
    case = prepared_case()
    charges = list(case.charges.all())
    needed = needed_facts(case, [f.name for f in FACTS if f.form], charges, back="/back/")
    for item in needed:
        fact = VOCABULARY[item.name]
        assert item.label == fact.meaning
        assert item.supplied_by == fact.supplied_by
        assert len(item.links) == 1, item.name  # one charge: one link
        match = resolve(item.links[0].url.split("?")[0])
        assert match.view_name == EXPECTED_VIEW[fact.form], item.name
        assert item.links[0].url.endswith("?next=%2Fback%2F")
        if fact.form in ("person", "history"):
            assert match.kwargs == {"person_id": case.defendant_id}
        elif fact.form == "charges":
            assert match.kwargs == {"case_id": case.pk, "charge_id": charges[0].pk}
        else:
            assert match.kwargs == {"case_id": case.pk, "fact": item.name}


def test_who_supplies_the_facts_the_issue_names() -> None:
    assert VOCABULARY["date_of_birth"].supplied_by == (
        "The defendant, or the booking sheet (entered by the case manager)"
    )
    assert VOCABULARY["prior_felony_convictions"].supplied_by == (
        "A criminal-history (rap sheet) check from CA DOJ, entered by the case manager"
    )
    assert VOCABULARY["weapon_involved"].supplied_by == (
        "The charging document or police report (the filing deputy)"
    )
    assert VOCABULARY["work_authorization"].supplied_by == "The case manager, from I-9 documents"


def test_screening_page_links_each_missing_fact_in_words(
    client: Any, supervisor: Any, catalog: None
) -> None:
    case = prepared_case()
    # Unknown date of birth and an allegation not recorded: three facts missing.
    case.defendant.__class__.objects.filter(pk=case.defendant_id).update(date_of_birth=None)
    case.charges.update(weapon_alleged=None)
    screening = screen_case(actor=supervisor, case=case, policy=POLICY)
    client.force_login(supervisor)
    body = body_of(client.get(f"/eligibility/screenings/{screening.pk}/"))
    items = re.findall(r'<li id="need-([a-z_]+)"><strong>(.*?)</strong>(.*?)</li>', body)
    back = f"?next=%2Feligibility%2Fscreenings%2F{screening.pk}%2F"
    charge = case.charges.get()
    assert [(name, label) for name, label, _ in items] == [
        ("date_of_birth", "Date of birth"),
        ("weapon_involved", "Current offense armed or with a weapon enhancement"),
        ("work_authorization", "Legal authorization to work in the United States"),
    ]
    rest = {name: text for name, _, text in items}
    assert rest["date_of_birth"] == (
        " — who can supply it: The defendant, or the booking sheet (entered by the case "
        f'manager). <a href="/people/{case.defendant_id}/edit/{back}">Edit the person\'s '
        "details</a>"
    ).replace("'", "&#x27;")
    assert (
        f'<a href="/cases/{case.pk}/charges/{charge.pk}/{back}">Edit count 1 (HS 11351)</a>'
        in (rest["weapon_involved"])
    )
    # The case page's screening section lists the same items, linking back to the case.
    section = body_of(client.get(f"/eligibility/cases/{case.pk}/", headers={"HX-Request": "true"}))
    assert f'<a href="/people/{case.defendant_id}/edit/?next=%2Fcases%2F{case.pk}%2F">' in section
    assert section.count('<li id="need-') == 3


# --- the case-fact form ---------------------------------------------------------------


def _marked() -> int:
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def test_the_fact_form_records_with_the_cases_version(
    client: Any, supervisor: Any, catalog: None
) -> None:
    case = prepared_case()
    mark = _marked()
    client.force_login(supervisor)
    url = f"/eligibility/cases/{case.pk}/facts/work_authorization/"
    page = body_of(client.get(url))
    assert "<legend>Legal authorization to work in the United States</legend>" in page
    assert "Not authorized</label>" in page
    assert "Verified</label>" in page
    data = {"value": "verified", "method": "I-9 documents reviewed", "document": "I-9 7",
            "expected_version": "1", "next": f"/cases/{case.pk}/"}  # fmt: skip
    response = client.post(url, data)
    assert (response.status_code, response["Location"]) == (302, f"/cases/{case.pk}/")
    fact = CaseFact.objects.get()
    assert (fact.fact, fact.value, fact.method, fact.document) == (
        "work_authorization", "verified", "I-9 documents reviewed", "I-9 7",
    )  # fmt: skip
    assert Case.objects.get(pk=case.pk).row_version == 2
    assert [(e.action, e.changes, e.details) for e in AuditEvent.objects.filter(id__gt=mark)] == [
        (
            "case.fact_recorded",
            {"work_authorization": [None, "verified"]},
            {"method": "I-9 documents reviewed", "document": "I-9 7", "version": 2},
        )
    ]


def test_a_stale_fact_form_shows_the_other_fact_and_records_nothing(
    client: Any, supervisor: Any, catalog: None
) -> None:
    case = prepared_case()
    record_case_fact(
        actor=supervisor, case=case, fact="work_authorization", value="not_authorized",
        method="E-Verify", expected_version=1,
    )  # fmt: skip
    mark = _marked()
    client.force_login(supervisor)
    data = {"value": "verified", "method": "I-9 documents reviewed", "expected_version": "1"}
    response = client.post(f"/eligibility/cases/{case.pk}/facts/work_authorization/", data)
    assert response.status_code == 409
    body = body_of(response)
    assert "<strong>supervisor-user</strong>" in body
    assert (
        "<tr><td>Legal authorization to work in the United States</td><td>not known</td>"
        "<td>Not authorized</td></tr>"
    ) in body
    assert 'value="I-9 documents reviewed"' in body
    assert CaseFact.objects.count() == 1
    assert AuditEvent.objects.filter(id__gt=mark).count() == 0


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"value": "maybe", "method": "x"}, "value"),
        ({"value": "verified", "method": ""}, "method"),
    ],
)
def test_bad_fact_input_records_nothing(
    client: Any, supervisor: Any, catalog: None, data: dict[str, str], field: str
) -> None:
    case = prepared_case()
    mark = _marked()
    client.force_login(supervisor)
    url = f"/eligibility/cases/{case.pk}/facts/work_authorization/"
    response = client.post(url, {**data, "expected_version": "1"})
    assert response.status_code == 400
    assert f'<small id="id_{field}_error">' in body_of(response)
    assert CaseFact.objects.count() == 0
    assert AuditEvent.objects.filter(id__gt=mark).count() == 0


def test_a_fact_that_is_not_recordable_has_no_form(client: Any, supervisor: Any) -> None:
    from ontrack.cases.tests.factories import CaseFactory

    case = CaseFactory()
    client.force_login(supervisor)
    for name in ("date_of_birth", "no_such_fact"):
        assert client.get(f"/eligibility/cases/{case.pk}/facts/{name}/").status_code == 404


@pytest.mark.parametrize("rows", [10, 1000])
def test_the_fact_form_runs_a_constant_number_of_queries(
    client: Any, supervisor: Any, catalog: None, rows: int
) -> None:
    small, big = prepared_case("CRI-2025-500101"), prepared_case("CRI-2025-500102")
    CaseFact.objects.bulk_create(
        CaseFact(
            case=big, fact="work_authorization", value="verified", method="m", actor=supervisor
        )
        for _ in range(rows)
    )
    client.force_login(supervisor)
    counts = []
    for case in (small, big):
        with CaptureQueriesContext(connection) as captured:
            client.get(f"/eligibility/cases/{case.pk}/facts/work_authorization/")
        counts.append(len(captured))
    assert counts[0] == counts[1]


# --- criminal-history checks: nothing found is not "not checked" --------------------------


def test_a_check_that_found_nothing_makes_the_history_known(supervisor: Any, catalog: None) -> None:
    case = prepared_case()
    PriorCountSummary.objects.filter(person_id=case.defendant_id).delete()  # not checked
    day = dt.date(2025, 6, 1)

    def history() -> tuple[Any, ...]:
        row = case_facts(actor=supervisor, case=case, referral_date=day).row(0, named=True)
        return (
            row["prior_felony_convictions"],
            row["prior_violent_or_serious"],
            row["prior_count"],
        )

    assert history() == (None, None, None)  # unknown: never checked
    record_history_check(
        actor=supervisor, person=case.defendant, expected_version=1, source="CA DOJ rap sheet",
        as_of=dt.date(2025, 3, 2), total=0,
    )  # fmt: skip
    assert history() == (0, False, 0)  # checked: none


def test_a_history_check_with_a_stale_version_is_refused(supervisor: Any, catalog: None) -> None:
    from ontrack.common.errors import ConcurrentEdit

    case = prepared_case()
    update_case(actor=supervisor, case=case, expected_version=1, court="Marin")  # the case, not
    person = case.defendant  # the person: its version is still 1
    record_history_check(
        actor=supervisor, person=person, expected_version=1, source="A", as_of=None, total=2
    )
    mark = _marked()
    with pytest.raises(ConcurrentEdit):
        record_history_check(
            actor=supervisor, person=person, expected_version=1, source="A", as_of=None, total=0
        )
    assert PriorCountSummary.objects.get(person=person, source="A").total == 2
    assert AuditEvent.objects.filter(id__gt=mark).count() == 0
