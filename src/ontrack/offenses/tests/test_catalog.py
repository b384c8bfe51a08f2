"""The category overlays: valid, carried over from the former catalog, extended by a site."""

from __future__ import annotations

from pathlib import Path

import pytest

from ontrack.offenses import catalog_data
from ontrack.offenses.catalog import read_catalog
from ontrack.offenses.catalog_data import CatalogError
from ontrack.offenses.lookup import Catalog, catalog


def definite(code: str) -> set[str]:
    return set(catalog().lookup(code).definite)


def test_overlay_is_valid_and_names_the_former_273_sections() -> None:
    data = catalog().data
    assert len(data.sections) == 273
    assert [name for name, _ in data.sources] == [
        "doj-offense-codes.csv",
        "catalog/california.yaml",
    ]


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
        ("HS 11379.6", {"drug_trafficking"}),
        ("HS 11353.6", {"near_school"}),
        ("PC 211", {"violent", "serious"}),
        ("PC 187", {"violent", "serious"}),
        ("PC 245(a)(1)", {"serious", "weapon"}),
        ("PC 186.22(b)", {"gang", "serious"}),
        ("PC 29800", {"weapon"}),
        ("PC 288(a)", {"violent", "serious", "sex_registrable"}),
        ("PC 459", {"property"}),
        ("PC 487", {"property"}),
    ],
)
def test_key_statutes_are_classified_as_the_law_says(code: str, expected: set[str]) -> None:
    assert definite(code) == expected


def test_assault_by_force_likely_to_cause_gbi_is_not_on_the_serious_list() -> None:
    # PC 1192.7(c)(31) lists assault with a deadly weapon or firearm, not 245(a)(4).
    assert definite("PC 245(a)(4)") == set()


def test_conditional_paragraphs_are_possible_not_certain() -> None:
    # PC 1192.7(c)(24) names the drugs (heroin, cocaine, PCP, methamphetamine-related):
    # HS 11353 covers every narcotic, so serious only may apply.
    assert catalog().lookup("HS 11353").possible == {"serious"}
    # PC 1192.7(c)(28): a felony gang offense; PC 186.22(a) is a wobbler.
    assert catalog().lookup("PC 186.22(a)").possible == {"serious"}


def test_invalid_overlay_names_every_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "catalog"
    site.mkdir()
    (site / "county.yaml").write_text(
        "sections:\n"
        "  - {code: 'h&s 11351', categories: [{category: drug_sale, basis: x}]}\n"
        "  - {code: PC 211, colour: red, categories: [{category: evil, basis: x}]}\n"
        "  - {code: PC 212, categories: [{category: violent}]}\n"
        "attempts:\n  rules: [{category: serious, basis: x}]\n"
    )
    monkeypatch.setenv("ONTRACK_SITE_DIR", str(tmp_path))
    with pytest.raises(CatalogError) as error:
        catalog_data.load()
    message = str(error.value)
    assert "county.yaml: section #1 (h&s 11351): code: write it normalised as 'HS 11351'" in message
    assert "county.yaml: section #2 (PC 211): colour: unknown field" in message
    assert (
        "section #2 (PC 211): categories #1: category: 'evil' is not a catalog category" in message
    )
    assert "section #3 (PC 212): categories #1: basis: required" in message
    assert "attempts: rule #1: give exactly one of 'of' (a category) or 'targets'" in message


def test_a_site_overlay_adds_categories_and_changes_the_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "catalog"
    site.mkdir()
    (site / "county.yaml").write_text(
        "sections:\n  - code: PC 148(a)(1)\n    categories:\n"
        "      - {category: property, basis: 'County rule 7'}\n"
    )
    monkeypatch.setenv("ONTRACK_SITE_DIR", str(tmp_path))
    data = catalog_data.load()
    extended = Catalog(data.version, data)
    assert extended.version != catalog().version
    assert [n for n, _ in data.sources][-1] == "site catalog/county.yaml"
    assert [(f.category, f.basis) for f in extended.lookup("PC 148(a)(1)").categories] == [
        ("property", "County rule 7")
    ]
    assert catalog().lookup("PC 148(a)(1)").categories == ()  # the process catalog is unchanged


def test_the_listing_for_synthetic_data_is_a_view_of_the_same_catalog() -> None:
    listing = {s.code: s for s in read_catalog().statutes}
    assert listing["PC 211"].level == "felony"
    assert listing["PC 245(a)(1)"].level == "wobbler"  # F and M rows in force
    assert listing["PC 12022.5"].level == "enhancement"
    assert {c.category for c in listing["PC 148(a)(1)"].categories} == {"other"}
    assert read_catalog().sha256 == catalog().version
