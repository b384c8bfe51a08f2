"""``ontrack screen --cases-like`` writes birth dates: only for a named account that may see
cases, only the cases it may see, restricted ones only with a stated purpose (CJIS AC-3)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ontrack.cases.models import Case, Restriction
from ontrack.cases.tests.factories import CaseFactory, assign
from ontrack.eligibility.models import Screening
from ontrack.eligibility.tests.test_services import clean_case

pytestmark = pytest.mark.django_db

DAY = ("--as-of", "2026-11-30")


@pytest.fixture
def cases(case_manager: Any) -> dict[str, Case]:
    mine = assign(clean_case(), case_manager)
    CaseFactory(case_manager=case_manager)  # also theirs, but not in the feed
    other = clean_case()
    sealed = clean_case()
    Case.objects.filter(pk=sealed.pk).update(restriction=Restriction.SEALED)
    for n, case in enumerate((mine, other, sealed)):
        Case.objects.filter(pk=case.pk).update(source_key=f"feed:{n}:screening")
    return {"mine": mine, "other": other, "sealed": sealed}


def screened(out: Path, *options: str) -> list[str]:
    call_command(
        "screen",
        *("--cases-like", "feed:*", "--policy", "back-on-track", *DAY, "--out", str(out)),
        *options,
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    return sorted(pl.read_parquet(out)["case_id"].to_list())


def test_cases_like_needs_an_actor_that_may_see_cases(
    cases: dict[str, Case], analyst: Any, tmp_path: Path, new_events: Any
) -> None:
    out = tmp_path / "out.parquet"
    with pytest.raises(CommandError) as no_actor:
        screened(out)
    assert no_actor.value.returncode == 2
    assert str(no_actor.value).startswith("--cases-like reads case records: give --actor")
    with pytest.raises(CommandError) as analyst_refused:
        screened(out, "--actor", analyst.username)
    assert (analyst_refused.value.returncode, str(analyst_refused.value)) == (
        2,
        "--actor: analyst-user may not see cases",
    )
    with pytest.raises(CommandError) as nobody:
        screened(out, "--actor", "no-such-user")
    assert nobody.value.returncode == 2
    assert not out.exists()
    assert new_events().count() == 0


def test_cases_like_exports_only_the_cases_the_actor_may_see(
    cases: dict[str, Case], case_manager: Any, supervisor: Any, tmp_path: Path, new_events: Any
) -> None:
    out = tmp_path / "out.parquet"
    assert screened(out, "--actor", case_manager.username) == [str(cases["mine"].pk)]
    assert screened(out, "--actor", supervisor.username) == sorted(
        [str(cases["mine"].pk), str(cases["other"].pk)]
    )
    assert new_events().count() == 0  # read-only, no purpose: nothing written


def test_a_purpose_adds_restricted_cases_for_those_allowed(
    cases: dict[str, Case], case_manager: Any, supervisor: Any, tmp_path: Path, new_events: Any
) -> None:
    out = tmp_path / "out.parquet"
    purpose = ("--purpose", "Court order 26-0042")
    assert screened(out, "--actor", supervisor.username, *purpose) == sorted(
        str(c.pk) for c in cases.values()
    )
    [event] = new_events()
    assert (event.action, event.actor_username, event.details["purpose"]) == (
        "restricted.purpose_stated",
        supervisor.username,
        "Court order 26-0042",
    )
    out.unlink()
    with pytest.raises(CommandError) as refused:
        screened(out, "--actor", case_manager.username, *purpose)
    assert (refused.value.returncode, str(refused.value)) == (
        2,
        "case_manager-user lacks cases.view_restricted",
    )
    assert not out.exists()
    assert new_events().count() == 1


def test_case_finds_only_a_visible_case(
    cases: dict[str, Case], case_manager: Any, new_events: Any
) -> None:
    for case in (cases["other"], cases["sealed"]):
        with pytest.raises(CommandError) as refused:
            call_command(
                "screen",
                *("--case", str(case.pk), "--policy", "back-on-track", *DAY),
                *("--actor", case_manager.username),
                stdout=io.StringIO(),
            )
        assert (refused.value.returncode, str(refused.value)) == (2, f"--case: no case '{case.pk}'")
    assert new_events().count() == 0


def test_case_needs_an_actor_that_may_see_cases(
    cases: dict[str, Case], analyst: Any, new_events: Any
) -> None:
    # The system account sees no case (ADR 0038): without --actor, "no case" would mislead.
    case = cases["other"]
    for actor in ((), ("--actor", analyst.username)):
        with pytest.raises(CommandError) as refused:
            call_command(
                "screen",
                *("--case", str(case.pk), "--policy", "back-on-track", *DAY),
                *actor,
                stdout=io.StringIO(),
            )
        assert refused.value.returncode == 2
        assert str(refused.value) == (
            "--actor: analyst-user may not see cases"
            if actor
            else "--case reads case records: give --actor, an account that may see cases (it "
            "acts only on the cases that account may see)"
        )
    assert Screening.objects.count() == 0
    assert new_events().count() == 0


def test_an_unwritable_out_is_refused_before_the_export_is_read_or_audited(
    cases: dict[str, Case], supervisor: Any, tmp_path: Path, new_events: Any, new_access: Any
) -> None:
    out = tmp_path / "missing" / "out.parquet"
    with pytest.raises(CommandError) as refused:
        screened(out, "--actor", supervisor.username, "--purpose", "Court order 26-0042")
    assert (refused.value.returncode, str(refused.value)) == (
        2,
        f"--out: there is no folder {tmp_path / 'missing'}; create it first",
    )
    assert new_events().count() == 0  # not even the stated purpose
    assert new_access().count() == 0  # no export row (CJIS AU-2)
    assert list(tmp_path.iterdir()) == []


def test_case_prints_the_decision_in_force(supervisor: Any) -> None:
    from django.utils import timezone

    from ontrack.eligibility.services import override_screening

    case = clean_case()

    def screen_it() -> list[str]:
        out = io.StringIO()
        call_command(
            "screen",
            *("--case", str(case.pk), "--policy", "back-on-track", *DAY),
            *("--actor", supervisor.username),
            stdout=out,
        )
        return out.getvalue().splitlines()

    today = timezone.localdate().isoformat()  # the day the screening was made (office's day)
    first = screen_it()
    screening = Screening.objects.get()
    assert first[0] == (
        f"case {case}: {screening.result} under back-on-track 2009-07 (screening {screening.pk})"
    )
    assert first[-1] == (
        f"decision in force: Needs information — screening of {today} under Back on Track 2009-07"
    )  # clean_case lacks only the work-authorization fact
    override_screening(
        actor=supervisor, screening=screening, result="eligible", reason="I-9 seen in court"
    )
    second = screen_it()
    assert second[-2:] == [
        f"decision in force: Eligible — supervisor override by {supervisor.username} on "
        f"{today}: I-9 seen in court",
        "  this screening differs from it: on the supervisors' review queue",
    ]
