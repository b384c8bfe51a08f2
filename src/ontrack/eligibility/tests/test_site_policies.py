"""Policies from the site directory (``ONTRACK_SITE_DIR``), and example policies.

A county's policy is listed, loaded, recorded at migrate (audited) and screens real cases
like a shipped one; a bad file is refused naming it; a slug defined in the package and the
site is refused. An example policy is listed, tested and simulated, never used on a case.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from ontrack.cases.models import Case
from ontrack.cases.tests.factories import assign
from ontrack.eligibility.models import PolicyVersionRecord, Screening
from ontrack.eligibility.policy import (
    POLICY_DIR,
    PolicyError,
    case_policies,
    load_policy,
    policy_slugs,
)
from ontrack.eligibility.services import screen_case, sync_policies
from ontrack.eligibility.tests.helpers import body_of
from ontrack.eligibility.tests.test_policy_yaml import test_case as run_yaml_case
from ontrack.eligibility.tests.test_services import TODAY, clean_case

SHIPPED = (POLICY_DIR / "back-on-track" / "2009-07.yaml").read_text()


def county_policy(site: Path, slug: str = "county-diversion", text: str | None = None) -> Path:
    """The shipped 2009-07 version under a new name, as a county would start its own."""
    folder = site / "policies" / slug
    folder.mkdir(parents=True)
    path = folder / "2009-07.yaml"
    path.write_text(text or SHIPPED.replace("policy: back-on-track", f"policy: {slug}"))
    return path


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ONTRACK_SITE_DIR", str(tmp_path))
    return tmp_path


def test_a_site_policy_is_listed_loaded_synced_and_screens_a_case(
    site: Path, system: Any, case_manager: Any, new_events: Any
) -> None:
    county_policy(site)
    assert policy_slugs() == ["back-on-track", "broward-example", "county-diversion"]
    [version] = load_policy("county-diversion")
    assert (version.policy, version.label, version.example) == (
        "county-diversion",
        "2009-07",
        False,
    )
    assert version.source == str(site / "policies" / "county-diversion" / "2009-07.yaml")
    assert sync_policies(actor=system) == ["county-diversion 2009-07"]
    record = PolicyVersionRecord.objects.get(policy="county-diversion")
    assert [(e.action, e.object_id) for e in new_events()] == [
        ("policy_version.loaded", str(record.pk))
    ]
    assert "county-diversion" in case_policies()
    screening = screen_case(
        actor=case_manager,
        case=assign(clean_case(), case_manager),
        policy="county-diversion",
        as_of=TODAY,
    )
    # The same criteria as back-on-track 2009-07: only work authorization is unknown.
    assert (screening.policy_version, screening.result) == (record, "needs_information")


def test_a_site_policy_runs_its_yaml_test_cases(site: Path) -> None:
    # The shipped runner (test_policy_yaml.test_case) on the site's tests/ folder: the same
    # 2009-07 cases, now judged under the county's copy of the version.
    county_policy(site)
    tests = site / "policies" / "county-diversion" / "tests"
    tests.mkdir()
    shipped_cases = POLICY_DIR / "back-on-track" / "tests" / "2009-07.yaml"
    (tests / "2009-07.yaml").write_bytes(shipped_cases.read_bytes())
    cases = yaml.safe_load((tests / "2009-07.yaml").read_text())
    assert len(cases) >= 50
    for case in cases:
        run_yaml_case(tests / "2009-07.yaml", case)


def test_without_a_site_directory_only_the_shipped_policies(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("ONTRACK_SITE_DIR", raising=False)
    assert policy_slugs() == ["back-on-track", "broward-example"]
    monkeypatch.setenv("ONTRACK_SITE_DIR", "/no/such/site")
    with pytest.raises(PolicyError, match="ONTRACK_SITE_DIR='/no/such/site' is not a directory"):
        policy_slugs()


def test_a_bad_site_policy_is_refused_naming_its_file(
    site: Path, system: Any, new_events: Any
) -> None:
    text = SHIPPED.replace("policy: back-on-track", "policy: county-diversion")
    path = county_policy(site, text=text.replace("operator: age_between", "operator: teleport"))
    with pytest.raises(PolicyError) as error:
        load_policy("county-diversion")
    assert str(error.value).startswith(
        f"{path}: criteria #1 (age_at_offense): operator: 'teleport' is not one of"
    )
    with pytest.raises(PolicyError, match="operator: 'teleport'"):
        sync_policies(actor=system)  # at migrate: refused, nothing recorded
    assert not PolicyVersionRecord.objects.filter(policy="county-diversion").exists()
    assert new_events().count() == 0
    assert "county-diversion" not in case_policies()


def test_a_slug_in_the_package_and_the_site_is_refused(
    site: Path, system: Any, new_events: Any
) -> None:
    county_policy(site, slug="back-on-track", text=SHIPPED.replace("max: 30", "max: 35"))
    assert policy_slugs() == ["back-on-track", "broward-example"]  # listed once
    message = (
        "policy 'back-on-track' is defined both in the package and in the site directory "
        f"({site / 'policies' / 'back-on-track'}); give the site's a new name"
    )
    with pytest.raises(PolicyError) as error:
        load_policy("back-on-track")
    assert str(error.value) == message
    with pytest.raises(PolicyError, match="defined both in the package and in the site"):
        sync_policies(actor=system)
    record = PolicyVersionRecord.objects.get(policy="back-on-track", label="2009-07")
    assert record.document["criteria"][0]["args"] == {"min": 18, "max": 30}
    assert new_events().count() == 0


# --- example policies ------------------------------------------------------------------------


def test_an_example_policy_is_listed_but_never_offered_for_cases() -> None:
    versions = load_policy("broward-example")
    assert [(v.label, v.example) for v in versions] == [("2013-01", True)]
    assert [v.example for v in load_policy("back-on-track")] == [False, False]
    assert "broward-example" in policy_slugs()
    assert case_policies() == ["back-on-track"]


def test_screen_case_refuses_an_example_and_writes_nothing(
    case_manager: Any, new_events: Any
) -> None:
    case = assign(clean_case(), case_manager)
    with pytest.raises(Exception, match="broward-example 2013-01 is an example policy") as error:
        screen_case(actor=case_manager, case=case, policy="broward-example", as_of=TODAY)
    assert type(error.value).__name__ == "ServiceError"
    assert Screening.objects.count() == 0
    assert new_events().count() == 0


def test_the_case_page_does_not_offer_an_example(client: Any, case_manager: Any) -> None:
    case = assign(clean_case(), case_manager)
    client.force_login(case_manager)
    body = body_of(client.get(f"/eligibility/cases/{case.pk}/"))
    assert '<option value="back-on-track" selected>Back on Track</option>' in body
    assert "broward-example" not in body
    response = client.post(
        f"/eligibility/cases/{case.pk}/screen/",
        {"policy": "broward-example", "as_of": TODAY.isoformat()},
    )
    assert response.status_code == 400
    assert Screening.objects.count() == 0


def test_ontrack_screen_case_refuses_an_example_with_exit_2(
    case_manager: Any, new_events: Any
) -> None:
    case = assign(clean_case(), case_manager)
    with pytest.raises(CommandError, match="is an example policy") as error:
        call_command(
            "screen",
            *("--case", str(case.pk), "--policy", "broward-example"),
            *("--actor", case_manager.username),
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
    assert error.value.returncode == 2
    assert Screening.objects.count() == 0
    assert new_events().count() == 0


BROWARD_FACTS = [
    [
        "case_id",
        "referral_date",
        "date_of_birth",
        "offense_date",
        "charge_level",
        "charge_categories",
        "prior_count",
    ],
    ["b-1", "2013-05-01", "1990-01-15", "2013-04-01", "felony", "drug_possession_for_sale", "0"],
]


def test_an_example_screens_a_facts_file_and_simulates_saying_so(tmp_path: Path) -> None:
    path = tmp_path / "facts.csv"
    with path.open("w", newline="") as handle:
        csv.writer(handle).writerows(BROWARD_FACTS)
    out, err = io.StringIO(), io.StringIO()
    call_command("screen", str(path), "--policy", "broward-example", stdout=out, stderr=err)
    [row] = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert (row["case_id"], row["version"], row["result"]) == ("b-1", "2013-01", "eligible")
    note = "broward-example 2013-01: example — not for decisions"
    assert note in err.getvalue()
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "simulate",
        *(str(path), "--policy", "broward-example", "--from", "2013-01", "--to", "2013-01"),
        stdout=out,
        stderr=err,
    )
    assert note in err.getvalue()
    overall = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [(r["from_result"], r["total"]) for r in overall] == [
        ("eligible", ""),  # 1 case: under 11, blank
        ("needs_information", ""),
        ("ineligible", ""),
    ]


def test_cases_like_may_use_an_example_read_only_and_labelled(
    supervisor: Any, new_events: Any
) -> None:
    case = clean_case()
    Case.objects.filter(pk=case.pk).update(source_key="county:1:screening")
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "screen",
        *("--cases-like", "county:*", "--policy", "broward-example", "--as-of", "2026-11-30"),
        *("--actor", supervisor.username),
        stdout=out,
        stderr=err,
    )
    [row] = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert (row["policy"], row["version"]) == ("broward-example", "2013-01")
    assert "broward-example 2013-01: example — not for decisions" in err.getvalue()
    assert Screening.objects.count() == 0
    assert new_events().count() == 0


def test_a_version_file_can_be_an_example_and_the_markers_are_checked(site: Path) -> None:
    text = SHIPPED.replace("policy: back-on-track", "policy: county-diversion")
    marked = text.replace("status: approved", "status: approved\nexample: true")
    path = county_policy(site, text=marked)
    assert [v.example for v in load_policy("county-diversion")] == [True]
    assert "county-diversion" not in case_policies()
    path.write_text(text.replace("status: approved", "status: approved\nexample: maybe"))
    with pytest.raises(PolicyError, match=f"^{path}: example: 'maybe' is not true or false$"):
        load_policy("county-diversion")
    path.write_text(text)
    settings = path.parent / "policy.yaml"
    settings.write_text("example: true\nreviewed_by: nobody\n")
    with pytest.raises(PolicyError) as error:
        load_policy("county-diversion")
    assert (
        str(error.value) == f"{settings}: reviewed_by: not a policy setting (known: example, name)"
    )
    settings.write_text("example: false\n")
    assert [v.example for v in load_policy("county-diversion")] == [False]
