"""The eligibility pages: screening from the case page, a screening's explanation, recording
work authorization (which screens again), overrides, the policy pages and their diff; who may
do what, refusals that change nothing, and constant query counts."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ontrack.cases.models import Case, PriorCountSummary
from ontrack.cases.tests.factories import CaseFactory, ChargeFactory
from ontrack.eligibility.models import CaseFact, Screening, ScreeningOverride
from ontrack.eligibility.services import override_screening, record_case_fact, screen_case
from ontrack.people.tests.factories import PersonFactory

POLICY = "back-on-track"


def prepared_case(docket: str = "CRI-2025-500001") -> Case:
    """Needs information only for work authorization under back-on-track, as of today."""
    person = PersonFactory(
        given_name="Lupe", family_name="Arriaga", date_of_birth=dt.date(2000, 1, 1)
    )  # 25 on the offense date
    case = CaseFactory(defendant=person, docket_number=docket)
    ChargeFactory(
        case=case,
        count_number=1,
        statute_code="HS 11351",
        level="felony",
        offense_date=dt.date(2025, 3, 1),
        weapon_alleged=False,
        gang_alleged=False,
        near_school_alleged=False,
    )
    # A criminal-history check on file with nothing on it: the history is known to be clean.
    PriorCountSummary.objects.create(
        person=person, source="test", total=0, as_of=dt.date(2025, 3, 2)
    )
    return case


def body_of(response: Any) -> str:
    return " ".join(response.content.decode().split())


def screening_url(screening: Screening) -> str:
    return f"/eligibility/screenings/{screening.pk}/"


@pytest.fixture
def case(catalog: None) -> Case:
    return prepared_case()


@pytest.fixture
def screened(case: Case, case_manager: Any) -> Screening:
    return screen_case(actor=case_manager, case=case, policy=POLICY)


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
    assert '<option value="back-on-track" selected>back-on-track</option>' in fragment
    today = timezone.localdate().isoformat()
    assert f'<input type="date" id="screen-as-of" name="as_of" value="{today}">' in fragment
    assert '<label for="screen-policy">Policy</label>' in fragment
    assert '<button type="submit">Screen this case</button>' in fragment
    assert "This case has not been screened." in fragment

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
        f"<td>{today}</td> <td>back-on-track 2009-07</td> <td>Needs information</td> <td>—</td>"
        " <td>case_manager-user</td>"
    ) in body
    assert (
        # Before 2009-07 work authorization was not a written criterion.
        "<td>2009-01-05</td> <td>back-on-track 2005-01</td> <td>Eligible</td>"
        " <td>Ineligible (supervisor-user: Pending warrant)</td> <td>case_manager-user</td>"
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
    assert '<h2 id="result-h">Result: Needs information</h2>' in body
    assert "Overridden" not in body
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
        "<td><code>date_of_birth</code>: 2000-01-01<br><code>offense_date</code>: 2025-03-01"
        "<br><code>age at offense</code>: 25</td> <td>Back on Track program criteria (2005),"
        " young adults 18\u201330</td>"
    ) in body
    assert "<td><code>weapon_involved</code>: no</td>" in body
    assert (
        '<th scope="row">Legally able to hold a job in the United States</th>'
        " <td>Needs information</td> <td><code>work_authorization</code>:"
        ' <span class="unknown">unknown</span></td>'
    ) in body
    # The checklist of what is missing, with its meaning and who can supply it.
    assert re.findall(r'<ul id="missing-facts">(.*?)</ul>', body) == [
        " <li><strong>Legal authorization to work in the United States</strong>"
        " (<code>work_authorization</code>) — supplied by: Case manager, verified from"
        " I-9 documents</li> "
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
    assert '<h2 id="result-h">Result: Needs information</h2>' in body
    assert '<form method="post" action="/eligibility/' not in body


def test_recording_work_authorization_screens_again(
    client: Any, case_manager: Any, screened: Screening, new_events: Any
) -> None:
    client.force_login(case_manager)
    response = client.post(
        f"{screening_url(screened)}work-authorization/",
        {"value": "verified", "method": "I-9 documents reviewed", "document": "I-9 2025-0042"},
    )
    again = Screening.objects.exclude(pk=screened.pk).get()
    assert response.status_code == 302
    assert response["Location"] == screening_url(again)
    assert (again.result, again.missing, again.as_of) == ("eligible", [], screened.as_of)
    assert again.policy_version == screened.policy_version
    fact = CaseFact.objects.get()
    assert (fact.case, fact.fact, fact.value, fact.method, fact.document) == (
        screened.case,
        "work_authorization",
        "verified",
        "I-9 documents reviewed",
        "I-9 2025-0042",
    )
    assert list(new_events().order_by("id").values_list("action", flat=True)) == [
        "case.fact_recorded",
        "case.screened",
    ]
    body = body_of(client.get(response["Location"]))
    assert '<h2 id="result-h">Result: Eligible</h2>' in body
    assert "<p>On file: Verified.</p>" in body
    assert "missing-facts" not in body
    assert "<details>" in body  # the form stays available, closed
    assert (
        "<tr><td><code>work_authorization</code></td><td>Verified</td>"
        "<td>I-9 documents reviewed</td><td>I-9 2025-0042</td><td>case_manager-user</td>"
    ) in body


def test_recording_not_authorized_makes_the_case_ineligible(
    client: Any, case_manager: Any, screened: Screening
) -> None:
    client.force_login(case_manager)
    response = client.post(
        f"{screening_url(screened)}work-authorization/",
        {"value": "not_authorized", "method": "I-9 documents reviewed"},
    )
    assert Screening.objects.get(pk=int(response["Location"].split("/")[-2])).result == "ineligible"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"value": "verified", "method": "  "}, "wa-method", "say how the fact was established"),
        (
            {"value": "maybe", "method": "asked"},
            "wa-value",
            "Select a valid choice. maybe is not one of the available choices.",
        ),
    ],
)
def test_a_refused_fact_shows_why_and_changes_nothing(
    client: Any,
    case_manager: Any,
    screened: Screening,
    new_events: Any,
    data: dict[str, str],
    field: str,
    message: str,
) -> None:
    client.force_login(case_manager)
    response = client.post(f"{screening_url(screened)}work-authorization/", data)
    assert response.status_code == 400
    body = body_of(response)
    assert f'<small id="{field}-error">{message}</small>' in body
    assert "<details open>" in body
    assert CaseFact.objects.count() == 0
    assert Screening.objects.count() == 1
    assert new_events().count() == 0


# --- overrides ---------------------------------------------------------------------------------


def test_supervisor_overrides_with_a_reason(
    client: Any, supervisor: Any, screened: Screening, new_events: Any
) -> None:
    client.force_login(supervisor)
    body = body_of(client.get(screening_url(screened)))
    assert '<label for="ov-result">Overridden result</label>' in body
    assert '<label for="ov-reason">Reason (required; recorded with your name)</label>' in body
    response = client.post(
        f"{screening_url(screened)}override/",
        {"result": "eligible", "reason": "Work permit seen in court"},
    )
    assert response.status_code == 302
    assert response["Location"] == screening_url(screened)
    override = ScreeningOverride.objects.get()
    assert (override.screening, override.result, override.reason, override.actor) == (
        screened,
        "eligible",
        "Work permit seen in court",
        supervisor,
    )
    assert list(new_events().values_list("action", flat=True)) == ["screening.overridden"]
    when = timezone.localtime(override.created_at).strftime("%Y-%m-%d %H:%M")
    body = body_of(client.get(screening_url(screened)))
    assert '<h2 id="result-h">Result: Needs information</h2>' in body
    assert (
        f"<p><strong>Overridden: Eligible</strong> — by supervisor-user on {when}."
        " Reason: Work permit seen in court</p>"
    ) in body


def test_case_manager_cannot_override(
    client: Any, case_manager: Any, screened: Screening, new_events: Any
) -> None:
    client.force_login(case_manager)
    response = client.post(
        f"{screening_url(screened)}override/", {"result": "eligible", "reason": "I think so"}
    )
    assert response.status_code == 403
    assert ScreeningOverride.objects.count() == 0
    assert new_events().count() == 0


@pytest.mark.parametrize("reason", ["", "   "])
def test_an_override_without_a_reason_is_refused(
    client: Any, supervisor: Any, screened: Screening, new_events: Any, reason: str
) -> None:
    client.force_login(supervisor)
    response = client.post(
        f"{screening_url(screened)}override/", {"result": "eligible", "reason": reason}
    )
    assert response.status_code == 400
    body = body_of(response)
    assert (
        '<textarea id="ov-reason" name="reason" required rows="3" aria-invalid="true"'
        ' aria-describedby="ov-reason-error">'
    ) in body
    assert '<small id="ov-reason-error">an override needs a reason</small>' in body
    assert '<option value="eligible" selected>Eligible</option>' in body
    assert ScreeningOverride.objects.count() == 0
    assert new_events().count() == 0


# --- who may do what -----------------------------------------------------------------------------


def test_users_without_permission_are_refused_and_nothing_changes(
    client: Any, analyst: Any, auditor: Any, screened: Screening, new_events: Any
) -> None:
    url = screening_url(screened)
    writes = [
        (f"/eligibility/cases/{screened.case_id}/screen/", {"policy": POLICY}),
        (f"{url}work-authorization/", {"value": "verified", "method": "I-9"}),
        (f"{url}override/", {"result": "eligible", "reason": "because"}),
    ]
    client.force_login(analyst)  # no case files at all
    assert client.get(url).status_code == 403
    assert client.get(f"/eligibility/cases/{screened.case_id}/").status_code == 403
    for path, data in writes:
        assert client.post(path, data).status_code == 403, path
    client.force_login(auditor)  # reads case files, changes nothing
    assert client.get(url).status_code == 200
    for path, data in writes:
        assert client.post(path, data).status_code == 403, path
    assert Screening.objects.count() == 1
    assert CaseFact.objects.count() == ScreeningOverride.objects.count() == 0
    assert new_events().count() == 0


def test_missing_screenings_and_cases_are_404(
    client: Any, case_manager: Any, screened: Screening, new_events: Any
) -> None:
    client.force_login(case_manager)
    missing = screened.pk + 999
    assert client.get(f"/eligibility/screenings/{missing}/").status_code == 404
    assert client.get(f"/eligibility/cases/{screened.case_id + 999}/").status_code == 404
    assert (
        client.post(
            f"/eligibility/cases/{screened.case_id + 999}/screen/", {"policy": POLICY}
        ).status_code
        == 404
    )
    assert (
        client.post(
            f"/eligibility/screenings/{missing}/work-authorization/",
            {"value": "verified", "method": "I-9"},
        ).status_code
        == 404
    )
    assert Screening.objects.count() == 1
    assert new_events().count() == 0


def test_get_never_writes(client: Any, supervisor: Any, screened: Screening) -> None:
    client.force_login(supervisor)
    url = screening_url(screened)
    for path in [
        f"/eligibility/cases/{screened.case_id}/screen/",
        f"{url}work-authorization/",
        f"{url}override/",
    ]:
        assert client.get(path).status_code == 405, path
    assert Screening.objects.count() == 1


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
        override_screening(actor=supervisor, screening=big, result="ineligible", reason=f"r{n}")
    override_screening(actor=supervisor, screening=big, result="eligible", reason="again")
    assert query_count(client, screening_url(small)) == query_count(client, screening_url(big))
    assert query_count(client, f"/eligibility/cases/{small_case.pk}/") == query_count(
        client, f"/eligibility/cases/{big_case.pk}/"
    )


# --- policy pages ------------------------------------------------------------------------------


def test_policy_list_shows_versions(client: Any, analyst: Any) -> None:
    client.force_login(analyst)  # the catalog permission is enough: policies hold no names
    body = body_of(client.get("/eligibility/policies/"))
    assert '<a href="/eligibility/policies/">Eligibility policies</a>' in body  # the nav link
    assert '<a href="/eligibility/policies/back-on-track/">back-on-track</a>' in body
    assert (
        '<tr><th scope="row">2005-01</th><td>Back on Track — original criteria</td>'
        "<td>2005-01-01</td><td>2009-07-01</td><td>approved</td><td>9</td></tr>"
    ) in body
    assert (
        '<tr><th scope="row">2009-07</th><td>Back on Track — with legal work eligibility'
        " (2009)</td><td>2009-07-01</td><td>open-ended</td><td>approved</td><td>10</td></tr>"
    ) in body


def test_policy_page_shows_criteria_in_order_and_value_sets(client: Any, analyst: Any) -> None:
    client.force_login(analyst)
    body = body_of(client.get("/eligibility/policies/back-on-track/"))
    assert "<h1>Policy back-on-track</h1>" in body
    section = body.split('<h2 id="version-2009-07-h">')[1]
    ids = re.findall(r'<tr><td>\d+</td><th scope="row"><code>(\w+)</code>', section)
    assert ids == [
        "age_at_offense", "qualifying_charge", "no_violent_or_serious_current_charge",
        "first_felony", "no_violent_or_serious_history", "no_sex_registrable_history",
        "no_weapon", "no_gang_enhancement", "not_near_school", "legal_work_eligibility",
    ]  # fmt: skip
    assert (
        '<tr><td>1</td><th scope="row"><code>age_at_offense</code></th>'
        "<td>Aged 18 to 30 at the offense</td>"
        "<td>Back on Track program criteria (2005), young adults 18\u201330</td>"
        "<td>age at the offense is 18 to 30 (completed years)<br>"
        "<small><code>age_between(min=18, max=30)</code></small></td></tr>"
    ) in section
    assert (
        "<td>a felony charge whose statute code is in the value set qualifying_codes<br>"
        "<small><code>charge_in_set(level=felony, set=qualifying_codes)</code></small></td>"
    ) in section
    assert (
        "<td>no current charge is in the categories violent, serious<br>"
        "<small><code>none_of_categories(categories=[violent, serious])</code></small></td>"
    ) in section
    assert (
        '<tr><th scope="row">qualifying_codes</th><td>HS 11351, HS 11351.5, HS 11352,'
        " HS 11359, HS 11360, HS 11378, HS 11379</td></tr>"
    ) in section


def test_policy_diff_defaults_to_the_two_latest_versions(client: Any, analyst: Any) -> None:
    client.force_login(analyst)
    default = body_of(client.get("/eligibility/policies/back-on-track/"))
    chosen = body_of(
        client.get("/eligibility/policies/back-on-track/", {"from": "2005-01", "to": "2009-07"})
    )
    for body in (default, chosen):
        assert '<h2 id="diff-h">Changes from 2005-01 to 2009-07</h2>' in body
        assert '<option value="2005-01" selected>2005-01</option>' in body
        assert '<h3 id="added-h">Criteria added (1)</h3>' in body
        assert (
            '<tr><th scope="row"><code>legal_work_eligibility</code></th>'
            "<td>Legally able to hold a job in the United States</td>"
        ) in body
        assert (
            "<td>work_authorization is verified<br><small><code>"
            "equals(fact=work_authorization, value=verified)</code></small></td></tr>"
        ) in body
        assert '<h3 id="removed-h">Criteria removed (0)</h3> <p>None.</p>' in body
        assert '<h3 id="changed-h">Criteria changed (0)</h3> <p>None.</p>' in body
        assert '<h3 id="sets-h">Value-set changes (0)</h3> <p>None.</p>' in body


def test_policy_diff_the_other_way_shows_a_removal(client: Any, analyst: Any) -> None:
    client.force_login(analyst)
    body = body_of(
        client.get("/eligibility/policies/back-on-track/", {"from": "2009-07", "to": "2005-01"})
    )
    assert '<h3 id="added-h">Criteria added (0)</h3> <p>None.</p>' in body
    assert '<h3 id="removed-h">Criteria removed (1)</h3>' in body
    assert '<th scope="row"><code>legal_work_eligibility</code></th>' in body


def test_policy_diff_of_changed_criteria_and_value_sets() -> None:
    from ontrack.eligibility.describe import diff_versions
    from ontrack.eligibility.policy import load_policy

    older, newer = load_policy(POLICY)[:2]
    edited = newer.__class__(
        **{
            **newer.__dict__,
            "value_sets": {"qualifying_codes": ("HS 11351", "HS 11352", "HS 11377")},
            "criteria": (
                newer.criteria[0].__class__(
                    "age_at_offense", "Aged 18 to 25", "PC 1000.8", "age_between",
                    {"min": 18, "max": 25},
                ),
                *newer.criteria[1:],
            ),
        }
    )  # fmt: skip
    diff = diff_versions(older, edited)
    assert [c.id for c in diff.added] == ["legal_work_eligibility"]
    assert [(c.id, [(x.field, x.before, x.after) for x in c.changes]) for c in diff.changed] == [
        (
            "age_at_offense",
            [
                ("label", "Aged 18 to 30 at the offense", "Aged 18 to 25"),
                ("citation", "Back on Track program criteria (2005), young adults 18\u201330",
                 "PC 1000.8"),
                ("arguments", "age_between(min=18, max=30)", "age_between(min=18, max=25)"),
            ],
        )
    ]  # fmt: skip
    assert [(v.name, v.kind, v.added, v.removed) for v in diff.value_sets] == [
        (
            "qualifying_codes",
            "changed",
            ["HS 11377"],
            ["HS 11351.5", "HS 11359", "HS 11360", "HS 11378", "HS 11379"],
        )
    ]


def test_policy_pages_refuse_unknown_names(client: Any, analyst: Any, db: None) -> None:
    client.force_login(analyst)
    assert client.get("/eligibility/policies/no-such-policy/").status_code == 404
    response = client.get("/eligibility/policies/back-on-track/", {"from": "1999-01"})
    assert response.status_code == 400
    assert (
        '<p role="alert"><strong>no version 1999-01 of back-on-track; available: 2005-01,'
        " 2009-07</strong></p>"
    ) in body_of(response)


def test_policy_pages_need_the_catalog_permission(client: Any, db: None) -> None:
    from ontrack.accounts.models import User

    User.objects.create_user(username="norole", password="x" * 16)
    client.login(username="norole", password="x" * 16)
    assert client.get("/eligibility/policies/").status_code == 403
    assert client.get("/eligibility/policies/back-on-track/").status_code == 403
