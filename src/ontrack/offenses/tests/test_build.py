"""The shipped catalog rows are the DOJ table, every row of it, rebuilt byte for byte."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pytest

from ontrack.offenses.build import BUILT, CatalogBuildError, build_catalog, build_text

SHARED = Path(__file__).resolve().parents[4] / ".." / "shared" / "data" / "ca-doj-offense-codes"
SOURCE = SHARED / "offense-codes.csv"


def built_rows() -> list[dict[str, str]]:
    with BUILT.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


def test_rebuild_from_the_shared_table_is_byte_identical_to_the_shipped_file() -> None:
    text, rows, _addressable, digest = build_text(SOURCE)
    assert text.encode("utf-8") == BUILT.read_bytes()
    assert rows == 5062
    assert digest == hashlib.sha256(SOURCE.read_bytes()).hexdigest()
    assert f"sha256 {digest}" in text.splitlines()[1]


def test_every_doj_row_is_kept_and_only_six_are_not_statute_sections() -> None:
    rows = built_rows()
    assert len(rows) == 5062
    with SOURCE.open(encoding="utf-8", newline="") as handle:
        source = {r["doj_offense_code"]: r for r in csv.DictReader(handle)}
    assert {r["doj_offense_code"] for r in rows} == set(source)
    # Counted by hand in the source: DOJ's administrative codes, not statute sections.
    unreadable = sorted((r["book"], r["doj_statute"]) for r in rows if not r["code"])
    assert unreadable == [
        ("AA", "NA - XX"),
        ("AA", "NA - XX"),
        ("ZZ", "00IN CUSTODY ARR"),
        ("ZZ", "DNA PALM PRINT"),
        ("ZZ", "DRUG RE 11850HS"),
        ("ZZ", "HOUSE4ANOTHERST"),
    ]
    for row in rows:  # the DOJ fields are copied as written
        original = source[row["doj_offense_code"]]
        assert (row["doj_statute"], row["book"], row["literal"]) == (
            original["statute"],
            original["code"],
            original["literal"],
        )
        assert (row["charge_type"], row["enacted"], row["repealed"]) == (
            original["charge_type"],
            original["enacted"],
            original["repealed"],
        )


@pytest.mark.parametrize(
    ("doj_code", "code", "level"),
    [
        ("35152", "HS 11350(a)", "felony"),  # enacted 1984-01-01, still in force
        ("35422", "HS 11350(a)", "misdemeanor"),  # Prop 47, enacted 2014-11-05
        ("1004", "PC 37", "felony"),
        ("48122", "PC 148(a)(1)", "misdemeanor"),
        ("3052", "US 8 1325", "felony"),  # federal: title and section
        ("38078", "PC 273ab(b)", "felony"),  # two letters on the section number
        ("26152", "CA 14 4302", "misdemeanor"),  # California regulations: title 14
        ("89005", "PC 290", ""),  # DOJ "X": not a charge level
    ],
)
def test_odd_rows_read_as_codes(doj_code: str, code: str, level: str) -> None:
    row = next(r for r in built_rows() if r["doj_offense_code"] == doj_code)
    assert (row["code"], row["level"]) == (code, level)


def test_rows_with_a_slash_and_a_letter_section() -> None:
    by_statute = {(r["book"], r["doj_statute"]): r["code"] for r in built_rows()}
    assert by_statute[("PC", "484(A)/488")] == "PC 484(a)/488"
    assert by_statute[("PC", "6221/2")] == "PC 622½"
    assert by_statute[("PC", "499C(B)(1)")] == "PC 499c(b)(1)"
    assert by_statute[("US", "18 1361")] == "US 18 1361"


def test_a_bad_table_is_refused_and_the_output_left_alone(tmp_path: Path) -> None:
    header = SOURCE.read_text(encoding="utf-8").splitlines()[0]
    bad = tmp_path / "doj.csv"
    bad.write_text(f"{header}\n7,211,PC,ROBBERY,F,,,,1,1,1872-13-01,\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    out.write_text("before", encoding="utf-8")
    with pytest.raises(CatalogBuildError, match=r"doj.csv: row 2: enacted: '1872-13-01'"):
        build_catalog(bad, out)
    assert out.read_text(encoding="utf-8") == "before"
    bad.write_text("doj_offense_code,statute\n1,211\n", encoding="utf-8")
    with pytest.raises(CatalogBuildError, match="missing columns"):
        build_catalog(bad, out)
    dupe = f"{header}\n7,211,PC,ROBBERY,F,,,,1,1,1872-01-01,\n7,212,PC,X,F,,,,1,1,1872-01-01,\n"
    bad.write_text(dupe, encoding="utf-8")
    with pytest.raises(CatalogBuildError, match="row 3: doj_offense_code: 7 appears twice"):
        build_catalog(bad, out)
