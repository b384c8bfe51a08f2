"""The shipped catalog file is valid, loads idempotently, and knows the statutes the rules cite."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ontrack.offenses.catalog import CatalogError, read_catalog
from ontrack.offenses.models import Statute, StatuteCategory
from ontrack.offenses.selectors import catalog_entries
from ontrack.offenses.services import load_offense_catalog


def categories(code: str) -> set[str]:
    entry = {s.code: s for s in read_catalog().statutes}[code]
    return {c.category for c in entry.categories}


def test_catalog_file_is_valid_and_normalised() -> None:
    catalog = read_catalog()
    assert catalog.jurisdiction == "CA"
    assert len(catalog.statutes) >= 150


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("HS 11350", {"drug_possession"}),
        ("HS 11351", {"drug_possession_for_sale"}),
        ("HS 11351.5", {"drug_possession_for_sale"}),
        ("HS 11352", {"drug_sale"}),
        ("HS 11359", {"drug_possession_for_sale"}),
        ("HS 11360", {"drug_sale"}),
        ("HS 11377", {"drug_possession"}),
        ("HS 11378", {"drug_possession_for_sale"}),
        ("HS 11379", {"drug_sale"}),
        ("HS 11353.6", {"near_school"}),
        ("PC 211", {"violent", "serious"}),
        ("PC 187", {"violent", "serious"}),
        ("PC 245(a)(1)", {"serious"}),
        ("PC 186.22(b)", {"gang", "serious"}),
        ("PC 29800", {"weapon"}),
        ("PC 288(a)", {"violent", "serious", "sex_registrable"}),
        ("PC 459", {"property"}),
    ],
)
def test_key_statutes_are_classified_as_the_law_says(code: str, expected: set[str]) -> None:
    assert expected <= categories(code)


def test_assault_by_force_likely_to_cause_gbi_is_not_on_the_serious_list() -> None:
    # PC 1192.7(c)(31) lists assault with a deadly weapon or firearm, not 245(a)(4).
    assert "serious" not in categories("PC 245(a)(4)")


def test_invalid_catalog_names_every_problem(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "jurisdiction: CA\nstatutes:\n"
        "  - {code: 'h&s 11351', description: x, level: felony,\n"
        "     categories: [{category: drug_sale, basis: x}]}\n"
        "  - {code: PC 211, description: '', level: capital,\n"
        "     categories: [{category: evil, basis: x}]}\n"
    )
    with pytest.raises(CatalogError) as error:
        read_catalog(bad)
    message = str(error.value)
    assert "statute #1 (h&s 11351): code: write it normalised as 'HS 11351'" in message
    assert "statute #2 (PC 211): description: required" in message
    assert "level: 'capital'" in message
    assert "'evil'" in message


def test_load_is_idempotent_and_audited_once(system: Any, new_events: Any) -> None:
    first = load_offense_catalog(actor=system)
    assert first.created == len(read_catalog().statutes)
    assert (first.updated, first.unchanged, first.removed) == (0, 0, 0)
    second = load_offense_catalog(actor=system)
    assert (second.created, second.updated, second.removed) == (0, 0, 0)
    assert second.unchanged == first.created
    assert new_events().filter(action="offense_catalog.loaded").count() == 1


def test_reload_applies_edits_and_removals(system: Any, tmp_path: Path) -> None:
    load_offense_catalog(actor=system)
    small = tmp_path / "small.yaml"
    small.write_text(
        "jurisdiction: CA\nstatutes:\n"
        "  - code: HS 11351\n    description: Changed text\n    level: felony\n"
        "    includes_subdivisions: true\n"
        "    categories: [{category: drug_possession_for_sale, basis: HS 11351}]\n"
    )
    result = load_offense_catalog(actor=system, path=small)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 0)
    assert list(Statute.objects.values_list("code", "description")) == [
        ("HS 11351", "Changed text")
    ]
    assert StatuteCategory.objects.count() == 1


def test_lookup_falls_back_to_parent_only_when_it_covers_subdivisions(catalog: None) -> None:
    entries = catalog_entries(["HS 11351(a)", "ZZ 1"])
    hs = entries["HS 11351(a)"]
    assert hs is not None
    assert hs.code == "HS 11351"
    assert entries["ZZ 1"] is None
