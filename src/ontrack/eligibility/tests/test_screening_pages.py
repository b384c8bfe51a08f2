"""The screening pages: the case page's section and form, a screening's explanation, who reads
them, refused screenings that change nothing, and constant query counts."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ontrack.cases.models import Case
from ontrack.eligibility.models import Screening, ScreeningOverride
from ontrack.eligibility.services import (
    override_screening,
    record_case_fact,
    screen_case,
    withdraw_override,
)
from ontrack.eligibility.tests.helpers import POLICY, body_of, prepared_case, screening_url
from ontrack.people.models import Person

# --- the case page's screening section --------------------------------------------------------


def test_case_page_loads_the_screening_section(client: Any, case_manager: Any, case: Case) -> None:
    client.force_login(case_manager)
    body = body_of(client.get(f"/cases/{case.pk}/"))
    assert '<h2 id="screening-h">Screening</h2>' in body
    assert f'hx-get="/eligibility/cases/{case.pk}/" hx-trigger="load"' in body
    # Without JavaScript the same section is a page of its own.
    assert (
        f'<a href="/eligibility/cases/{case.pk}/">Screen this case and see its past screenings</a>'
        in body
    )


def test_screening_section_offers_the_form_and_lists_past_screenings(
    client: Any, case_manager: Any, supervisor: Any, case: Case
) -> None:
    client.force_login(case_manager)
    url = f"/eligibility/cases/{case.pk}/"
    fragment = body_of(client.get(url, headers={"HX-Request": "true"}))
    assert "<html" not in fragment
    assert f'<form method="post" action="/eligibility/cases/{case.pk}/screen/"' in fragment
    assert '<option value="back-on-track" selected>Back on Track</option>' in fragment
    today = timezone.localdate().isoformat()
    assert f'<input type="date" id="screen-as-of" name="as_of" value="{today}">' in fragment
    assert '<label for="screen-policy">Policy</label>' in fragment
    assert '<button type="submit">Screen this case</button>' in fragment
    assert "This case has not been screened." in fragment

    # An offense in 2008 (at 23), so that a screening as of 2009 comes after it: a referral
    # before the offense is refused (plausible dates, issue 7).
    case.charges.update(offense_date=dt.date(2008, 6, 1))
    Person.objects.filter(pk=case.defendant_id).update(date_of_birth=dt.date(1985, 1, 1))
    first = screen_case(actor=case_manager, case=case, policy=POLICY)
    second = screen_case(actor=case_manager, case=case, policy=POLICY, as_of=dt.date(2009, 1, 5))
    override_screening(
        actor=supervisor, screening=second, result="ineligible", reason="Pending warrant"
    )
    page = client.get(url)  # the full page, without HTMX
    body = body_of(page)
    assert "<h1>Screening of case CRI-2025-500001</h1>" in body
    rows = re.findall(r"<tr> <td><a href=\"(/eligibility/screenings/\d+/)\">.*?</tr>", body)
    assert rows == [screening_url(second), screening_url(first)]  # newest first
    assert (
        f"<td>{today}</td> <td>Back on Track 2009-07</td> <td>Needs information</td>"
        " <td>Superseded</td> <td>—</td> <td>case_manager-user</td>"
    ) in body
    on = timezone.localdate(second.overrides.get().created_at).isoformat()
    assert (
        # Before 2009-07 work authorization was not a written criterion.
        "<td>2009-01-05</td> <td>Back on Track 2005-01</td> <td>Eligible</td> <td>Current</td>"
        f" <td>Ineligible (supervisor-user on {on}: Pending warrant) — In force</td>"
        " <td>case_manager-user</td>"
    ) in body
    assert (
        '<p id="decision"><strong>Decision in force:</strong> Ineligible — supervisor override'
        f" by supervisor-user on {on}: Pending warrant</p>"
    ) in body


def test_auditor_sees_past_screenings_without_the_form(
    client: Any, auditor: Any, screened: Screening
) -> None:
    client.force_login(auditor)
    body = body_of(client.get(f"/eligibility/cases/{screened.case_id}/"))
    assert screening_url(screened) in body
    assert "Screen this case</button>" not in body


def test_screening_a_case_creates_one_screening_and_shows_it(
    client: Any, case_manager: Any, case: Case, new_events: Any
) -> None:
    client.force_login(case_manager)
    today = timezone.localdate()
    response = client.post(
        f"/eligibility/cases/{case.pk}/screen/", {"policy": POLICY, "as_of": today.isoformat()}
    )
    screening = Screening.objects.get()
    assert response.status_code == 302
    assert response["Location"] == screening_url(screening)
    assert (screening.case, screening.result, screening.missing, screening.as_of) == (
        case,
        "needs_information",
        ["work_authorization"],
        today,
    )
    assert (screening.policy_version.policy, screening.policy_version.label) == (POLICY, "2009-07")
    assert list(new_events().values_list("action", flat=True)) == ["case.screened"]


def test_screening_with_no_date_uses_today(client: Any, case_manager: Any, case: Case) -> None:
    client.force_login(case_manager)
    response = client.post(f"/eligibility/cases/{case.pk}/screen/", {"policy": POLICY})
    assert response.status_code == 302
    assert Screening.objects.get().as_of == dt.date.today()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"policy": POLICY, "as_of": "2001-01-01"},
            "screen-as-of",
            "no version of back-on-track is in force on 2001-01-01",
        ),
        ({"policy": POLICY, "as_of": "01/02/2025"}, "screen-as-of", "enter a date as YYYY-MM-DD"),
        (
            {"policy": "no-such-policy"},
            "screen-policy",
            "Select a valid choice. no-such-policy is not one of the available choices.",
        ),
    ],
)
def test_a_refused_screening_shows_why_and_changes_nothing(
    client: Any,
    case_manager: Any,
    case: Case,
    new_events: Any,
    data: dict[str, str],
    field: str,
    message: str,
) -> None:
    client.force_login(case_manager)
    response = client.post(f"/eligibility/cases/{case.pk}/screen/", data)
    assert response.status_code == 400
    body = body_of(response)
    assert f'aria-invalid="true" aria-describedby="{field}-error"' in body
    assert f'<small id="{field}-error">{message}</small>' in body
    assert Screening.objects.count() == 0
    assert new_events().count() == 0


# --- the screening page --------------------------------------------------------------------------


def test_screening_page_explains_a_needs_information_result(
    client: Any, case_manager: Any, screened: Screening
) -> None:
    client.force_login(case_manager)
    body = body_of(client.get(screening_url(screened)))
    day = timezone.localdate(screened.created_at).isoformat()
    assert (
        f'<h2 id="result-h">Needs information — screening of {day} under Back on Track 2009-07</h2>'
    ) in body
    assert "supervisor override" not in body
    rows = re.findall(r"<tr> <th scope=\"row\">(.*?)</th> <td>(.*?)</td>", body)
    assert rows == [
        ("Aged 18 to 30 at the offense", "Met"),
        ("Current felony charge is a qualifying drug sale offense", "Met"),
        ("No current charge on the violent or serious felony lists", "Met"),
        ("No prior felony conviction", "Met"),
        ("No prior violent or serious felony conviction", "Met"),
        ("No prior offense requiring sex-offender registration", "Met"),
        ("No weapon used or alleged in the current offense", "Met"),
        ("No criminal street gang enhancement alleged", "Met"),
        ("No drug offense near a school alleged", "Met"),
        ("Legally able to hold a job in the United States", "Needs information"),
    ]
    # The facts each criterion read, with their values; unknown is said, not left blank.
    assert (
        "<td>Date of birth <small><code>date_of_birth</code></small>: 2000-01-01<br>"
        "Date of the current offense <small><code>offense_date</code></small>: 2025-03-01<br>"
        "age at offense <small><code>age at offense</code></small>: 25</td>"
        " <td>Back on Track program criteria (2005),"
        " young adults 18\u201330</td>"
    ) in body
    assert (
        "<td>Current offense armed or with a weapon enhancement"
        " <small><code>weapon_involved</code></small>: no</td>"
    ) in body
    assert (
        '<th scope="row">Legally able to hold a job in the United States</th>'
        " <td>Needs information</td> <td>Legal authorization to work in the United States"
        " <small><code>work_authorization</code></small>:"
        ' <span class="unknown">unknown</span></td>'
    ) in body
    # The checklist of what is missing, with its meaning and who can supply it.
    assert re.findall(r'<ul id="missing-facts">(.*?)</ul>', body) == [
        ' <li id="need-work_authorization"><strong>Legal authorization to work in the United'
        " States</strong> — who can supply it: The case manager, from I-9 documents."
        f' <a href="/eligibility/cases/{screened.case_id}/facts/work_authorization/'
        f'?next=%2Feligibility%2Fscreenings%2F{screened.pk}%2F">Record: Legal authorization'
        " to work in the United States</a></li> "
    ]
    # The case manager may record the fact (the form is open) but not override.
    assert "<details open>" in body
    assert f'action="/eligibility/screenings/{screened.pk}/work-authorization/"' in body
    assert '<label for="wa-method">How it was established</label>' in body
    assert '<label for="wa-document">Document (optional)</label>' in body
    assert "Override the result" not in body


def test_auditor_reads_a_screening_but_gets_no_forms(
    client: Any, auditor: Any, screened: Screening
) -> None:
    client.force_login(auditor)
    body = body_of(client.get(screening_url(screened)))
    day = timezone.localdate(screened.created_at).isoformat()
    assert (
        f'<h2 id="result-h">Needs information — screening of {day} under Back on Track 2009-07</h2>'
    ) in body
    assert '<form method="post" action="/eligibility/' not in body


# --- constant query counts ---------------------------------------------------------------------


def query_count(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_screening_pages_run_a_constant_number_of_queries(
    client: Any, supervisor: Any, catalog: None
) -> None:
    client.force_login(supervisor)
    small_case = prepared_case("CRI-2025-500001")
    small = screen_case(actor=supervisor, case=small_case, policy=POLICY)
    override_screening(actor=supervisor, screening=small, result="eligible", reason="seen")
    big_case = prepared_case("CRI-2025-500002")
    for n in range(3):
        record_case_fact(
            actor=supervisor, case=big_case, fact="work_authorization", value="verified",
            method=f"I-9 review {n}",
        )  # fmt: skip
        big = screen_case(actor=supervisor, case=big_case, policy=POLICY)
        if n:  # the override in force outlives the re-screen: withdraw it to override again
            in_force = ScreeningOverride.objects.get(withdrawn_at=None, screening__case=big_case)
            withdraw_override(
                actor=supervisor, override=in_force, expected_version=1, reason=f"w{n}"
            )
        override_screening(actor=supervisor, screening=big, result="ineligible", reason=f"r{n}")
    assert query_count(client, screening_url(small)) == query_count(client, screening_url(big))
    assert query_count(client, f"/eligibility/cases/{small_case.pk}/") == query_count(
        client, f"/eligibility/cases/{big_case.pk}/"
    )
