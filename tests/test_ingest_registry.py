"""A new feed plugs into ingest with a profile and a target, without touching a hub; the
import command dispatches through the registry; site profiles may not shadow shipped ones."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from django.core.management import CommandError, call_command

from ontrack.ingest.models import ImportBatch
from ontrack.ingest.pipeline import run_import
from ontrack.ingest.problems import Problem
from ontrack.ingest.profiles import Profile, ProfileError
from ontrack.ingest.registry import Importer, get_importer, register, unregister


@dataclass
class RosterPlan:
    names: list[str]
    problems: list[Problem] = field(default_factory=list)

    def counts(self) -> dict[str, dict[str, int]]:
        return {"name": {"created": len(self.names), "updated": 0, "unchanged": 0}}

    @property
    def changes_anything(self) -> bool:
        return bool(self.names)


class RosterTarget:
    applied: list[tuple[list[str], int]] = []

    def map(self, profile: Profile, typed: pl.DataFrame) -> tuple[list[str], list[Problem]]:
        return typed.get_column("name").to_list(), []

    def plan(self, profile: Profile, mapped: list[str]) -> RosterPlan:
        return RosterPlan(mapped)

    def apply(self, plan: RosterPlan, *, actor: Any, batch: ImportBatch, progress: Any) -> None:
        self.applied.append((plan.names, batch.pk))


def read_roster(document: dict[str, Any], where: str, common: dict[str, Any]) -> Any:
    return Profile(**common), []


@pytest.fixture
def roster(tmp_path: Path) -> Iterator[Importer]:
    (tmp_path / "profiles").mkdir()
    (tmp_path / "profiles" / "roster-v1.yaml").write_text(
        "kind: roster\nname: roster-v1\nfeed: roster\ncolumns:\n  name: {required: true}\n"
    )
    importer = Importer("roster", "names", tmp_path / "profiles", read_roster, RosterTarget())
    register(importer)
    yield importer
    unregister("roster")


def test_a_registered_feed_runs_through_the_generic_pipeline(
    roster: Importer, tmp_path: Path, supervisor: Any, new_events: Any
) -> None:
    path = tmp_path / "names.csv"
    path.write_text("name\nAna\nBo\n")
    result = run_import(actor=supervisor, kind="roster", path=path, profile_name="roster-v1")
    assert result.status == "applied"
    assert result.batch is not None
    assert RosterTarget.applied[-1] == (["Ana", "Bo"], result.batch.pk)
    assert (result.batch.feed, result.batch.profile, result.batch.rows) == (
        "roster",
        "roster-v1",
        2,
    )
    assert list(new_events().values_list("action", flat=True)) == ["import.applied"]
    again = run_import(actor=supervisor, kind="roster", path=path, profile_name="roster-v1")
    assert again.status == "already_imported"


def test_a_profile_of_another_kind_is_not_offered(roster: Importer, supervisor: Any) -> None:
    with pytest.raises(CommandError, match="no caseload import profile 'roster-v1'"):
        call_command(
            "import", "caseload", "x.csv", "--profile", "roster-v1", "--actor", supervisor.username
        )


def test_an_unknown_kind_lists_the_registered_ones(supervisor: Any) -> None:
    with pytest.raises(CommandError, match="no importer for 'bookings'; registered: caseload"):
        call_command(
            "import", "bookings", "x.csv", "--profile", "x", "--actor", supervisor.username
        )


def test_a_site_profile_with_a_shipped_name_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, supervisor: Any
) -> None:
    (tmp_path / "profiles").mkdir()
    (tmp_path / "profiles" / "ontrack.yaml").write_text("kind: caseload\nname: ontrack\n")
    monkeypatch.setenv("ONTRACK_SITE_DIR", str(tmp_path))
    path = tmp_path / "x.csv"
    path.write_text("a\n1\n")
    with pytest.raises(ProfileError, match="defined both in the package and in the site"):
        run_import(actor=supervisor, kind="caseload", path=path, profile_name="ontrack")
    assert get_importer("caseload").kind == "caseload"
