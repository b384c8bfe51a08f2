"""``ontrack screen FACTS`` runs without Django's set-up (ADR 0021): the same results as the
management command, the same refusals, and no app registry."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.test_cli import migrated, ontrack

__all__ = ["migrated"]  # the fixture, shared

FACTS = (
    "case_id,referral_date,date_of_birth,offense_date,charge_codes,charge_level,"
    "prior_felony_convictions,prior_violent_or_serious,prior_sex_registrable,weapon_involved,"
    "gang_enhancement,near_school,work_authorization\n"
    # HS 11352(a) is the listed HS 11352; attempted murder is violent (PC 667.5(c)(12)).
    "a,2020-03-01,1995-01-01,2020-01-01,HS 11352(a);PC 664/187(a),felony,0,false,false,false,"
    "false,false,verified\n"
    "b,2020-03-01,1995-01-01,2020-01-01,11352(a) HS,felony,0,false,false,false,false,false,"
    "verified\n"
    # Burglary without its degree may be serious (PC 1192.7(c)(18)): needs information.
    "c,2020-03-01,1995-01-01,2020-01-01,HS 11352;PC 459,felony,0,false,false,false,false,"
    "false,verified\n"
)


def test_a_facts_file_is_screened_without_the_app_registry(tmp_path: Path) -> None:
    facts = tmp_path / "facts.csv"
    facts.write_text(FACTS)
    out = tmp_path / "out.csv"
    script = (
        "import sys\n"
        "from django.apps import apps\n"
        "from ontrack.eligibility.screen_file import main\n"
        f"status = main([{str(facts)!r}, '--policy', 'back-on-track', '--out', {str(out)!r}])\n"
        "print(status, apps.ready, 'ontrack.cases.models' in sys.modules)\n"
    )
    done = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert done.stdout == "0 False False\n", done.stderr
    assert done.stderr == "3 cases screened: 1 eligible, 1 ineligible, 1 needs_information\n"
    lines = out.read_text().splitlines()
    assert [line.split(",")[3] for line in lines] == [
        "result",
        "ineligible",
        "eligible",
        "needs_information",
    ]


def test_the_light_path_writes_what_the_command_writes(tmp_path: Path, db: None) -> None:
    facts = tmp_path / "facts.csv"
    facts.write_text(FACTS)
    light, command = tmp_path / "light.parquet", tmp_path / "command.parquet"
    done = ontrack(
        "screen", str(facts), "--policy", "back-on-track", "--out", str(light), tmp_path=tmp_path
    )
    assert done.returncode == 0, done.stderr
    call_command("screen", str(facts), policy="back-on-track", out=command)
    assert light.read_bytes() == command.read_bytes()


def test_the_light_path_refuses_bad_input_like_the_command(tmp_path: Path) -> None:
    facts = tmp_path / "facts.csv"
    facts.write_text(FACTS + "d,2020-03-01,1995-01-01,2020-01-01,see report,felony,,,,,,,\n")
    done = ontrack("screen", str(facts), "--policy", "back-on-track", tmp_path=tmp_path)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == (
        "CommandError: facts.csv: 1 problem; nothing was screened\n"
        "  row 4, column 'charge_codes', value 'see report': not a statute code "
        "(e.g. HS 11351)\n"
    )
    unknown = ontrack("screen", str(facts), "--policy", "nope", tmp_path=tmp_path)
    assert unknown.returncode == 2
    assert unknown.stderr == (
        "CommandError: no policy 'nope'; available: back-on-track, broward-example\n"
    )
    # Without --policy the line is not a file screening: the command explains it.
    missing = ontrack("screen", str(facts), tmp_path=tmp_path)
    assert missing.returncode == 2
    assert "the following arguments are required: --policy" in missing.stderr


def test_a_column_named_as_the_row_numbers_is_refused_not_a_traceback(tmp_path: Path) -> None:
    facts = tmp_path / "facts.parquet"
    pl.read_csv(io.StringIO(FACTS)).with_row_index("__row__").write_parquet(facts)
    out = tmp_path / "out.csv"
    done = ontrack(
        "screen", str(facts), "--policy", "back-on-track", "--out", str(out), tmp_path=tmp_path
    )
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        "CommandError: facts.parquet: 1 problem; nothing was screened\n"
        "  file, column '__row__': is a reserved column name; rename the column\n"
    )
    assert not out.exists()


def _out_refusals(tmp_path: Path) -> list[tuple[Path, str]]:
    folder = tmp_path / "results"
    folder.mkdir()
    return [
        (tmp_path / "missing" / "out.csv", f"--out: there is no folder {tmp_path / 'missing'}; "),
        (folder, f"--out: {folder} is a folder; name a file in it, e.g. {folder / 'out.csv'}"),
        (tmp_path / "out.xlsx", "--out: 'out.xlsx' has no output format; end it in .csv, "),
    ]


def test_an_out_that_cannot_be_written_is_refused_first_on_both_paths(
    tmp_path: Path, db: None
) -> None:
    facts = tmp_path / "facts.csv"
    facts.write_text(FACTS)
    for out, message in _out_refusals(tmp_path):
        before = sorted(tmp_path.rglob("*"))
        light = ontrack(
            "screen", str(facts), "--policy", "back-on-track", "--out", str(out), tmp_path=tmp_path
        )
        assert (light.returncode, light.stdout) == (2, ""), light.stderr
        assert light.stderr.startswith(f"CommandError: {message}"), light.stderr
        assert "Traceback" not in light.stderr
        stderr = io.StringIO()
        with pytest.raises(CommandError) as refused:
            call_command("screen", str(facts), policy="back-on-track", out=out, stderr=stderr)
        assert refused.value.returncode == 2
        assert str(refused.value).startswith(message)
        assert sorted(tmp_path.rglob("*")) == before  # nothing written on either path


def test_a_facts_file_and_a_case_together_are_refused(
    tmp_path: Path,
    db: None,
    migrated: Path,
) -> None:
    facts = tmp_path / "facts.csv"
    facts.write_text(FACTS)
    done = ontrack(
        "screen", str(facts), "--case", "CR-1", "--policy", "back-on-track", tmp_path=migrated
    )
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        "CommandError: give one of a facts file, --case or --cases-like, not a facts file "
        "and --case\n"
    )
    with pytest.raises(CommandError) as both:
        call_command("screen", str(facts), policy="back-on-track", cases_like="*")
    assert str(both.value) == (
        "give one of a facts file, --case or --cases-like, not a facts file and --cases-like"
    )
    with pytest.raises(CommandError) as out:
        call_command("screen", policy="back-on-track", case="CR-1", out=tmp_path / "x.csv")
    assert str(out.value).startswith("--out: --case stores its screening and prints it")
    assert not (tmp_path / "x.csv").exists()
