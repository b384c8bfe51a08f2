"""Every file is hostile: each kind of damage gets a clear problem, and nothing is written."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ontrack.imports.services import import_caseload
from ontrack.imports.target import load_caseload_profile, parse_caseload_profile
from ontrack.ingest.problems import ImportRejected, write_problems
from ontrack.ingest.profiles import ProfileError
from ontrack.ingest.reading import MAX_FIELD_CHARS, read_table
from ontrack.people.models import Person

PROFILE = load_caseload_profile("ontrack")
HEADER = list(PROFILE.columns)


def row(**values: str) -> list[str]:
    base = {
        "record_type": "charge", "person_source": "test", "person_id": "1",
        "given_name": "Ana", "family_name": "Reyes", "date_of_birth": "1999-04-01",
        "docket_number": "CRI-1", "court": "SF", "count_number": "1",
        "statute_code": "HS 11351", "charge_level": "felony",
    }  # fmt: skip
    base.update(values)
    return [base.get(name, "") for name in HEADER]


def csv_bytes(rows: list[list[str]], header: list[str] = HEADER, newline: str = "\n") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=newline)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def rejected(path: Path, actor: Any) -> list[tuple[int | None, str, str]]:
    with pytest.raises(ImportRejected) as error:
        import_caseload(actor=actor, path=path, profile_name="ontrack")
    assert Person.objects.count() == 0
    return [(p.row, p.column, p.reason) for p in error.value.problems]


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_a_clean_file_imports(tmp_path: Path, supervisor: Any) -> None:
    path = write(
        tmp_path, "ok.csv", csv_bytes([row(), row(count_number="2", statute_code="pc 148(a)(1)")])
    )
    result = import_caseload(actor=supervisor, path=path, profile_name="ontrack")
    assert result.counts["charge"]["created"] == 2
    assert Person.objects.get().family_name == "Reyes"


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.csv", b"", "is empty (0 bytes)"),
        ("blank.csv", b"\n\n  \n", "has no header row (the file is blank)"),
        ("garbage.csv", bytes(range(256)) * 4, "contains NUL bytes: this is not a text (CSV) file"),
        (
            "data.json",
            b'{"a": 1}',
            "unsupported file type '.json'; use .csv, .jsonl, .xlsx or .parquet",
        ),
        ("fake.xlsx", b"just text", "is not an Excel .xlsx workbook (not a zip container)"),
    ],
)
def test_unreadable_files(
    tmp_path: Path, supervisor: Any, name: str, data: bytes, reason: str
) -> None:
    assert rejected(write(tmp_path, name, data), supervisor) == [(None, "", reason)]


def test_wrong_encoding_names_offset_and_line(tmp_path: Path, supervisor: Any) -> None:
    data = csv_bytes([row(family_name="Muñoz")]).replace("ñ".encode(), "ñ".encode("latin-1"))
    problems = rejected(write(tmp_path, "latin1.csv", data), supervisor)
    assert len(problems) == 1
    assert problems[0][2].startswith("not UTF-8: byte 0xf1 at offset")
    assert "(line 2)" in problems[0][2]
    assert "--encoding" in problems[0][2]
    result = import_caseload(
        actor=supervisor, path=tmp_path / "latin1.csv", profile_name="ontrack", encoding="latin-1"
    )
    assert result.status == "applied"
    assert Person.objects.get().family_name == "Muñoz"


@pytest.mark.parametrize(
    ("name", "encode"),
    [
        ("bom.csv", lambda text: b"\xef\xbb\xbf" + text.encode("utf-8")),
        ("utf16.csv", lambda text: text.encode("utf-16")),
        ("mixed.csv", lambda text: text.replace("\n", "\r\n", 1).replace("\n", "\r", 2).encode()),
    ],
)
def test_byte_order_marks_and_line_endings_are_read(tmp_path: Path, name: str, encode: Any) -> None:
    text = csv_bytes([row(), row(count_number="2"), row(count_number="3")]).decode()
    frame = read_table(write(tmp_path, name, encode(text)))
    assert frame.columns == HEADER
    assert frame["count_number"].to_list() == ["1", "2", "3"]
    assert frame["family_name"].to_list() == ["Reyes"] * 3


@pytest.mark.parametrize("name", ["*", "^.*$", "^record_type$"])
def test_header_names_that_polars_would_expand(tmp_path: Path, supervisor: Any, name: str) -> None:
    # Found by the fuzz test: "*" is a wildcard and "^...$" a regex when used as a name.
    data = csv_bytes([[*row(), "x"]], [*HEADER, name])
    assert rejected(write(tmp_path, "wild.csv", data), supervisor) == [
        (None, name, "unexpected column (not in profile 'ontrack')")
    ]


def test_missing_extra_and_duplicate_columns(tmp_path: Path, supervisor: Any) -> None:
    assert HEADER[-1] == "history_total"
    header = [*HEADER[:-1], "favourite_colour"]  # drops history_total
    problems = rejected(
        write(tmp_path, "cols.csv", csv_bytes([[*row()[:-1], "red"]], header)), supervisor
    )
    assert problems == [
        (None, "favourite_colour", "unexpected column (not in profile 'ontrack')"),
        (None, "history_total", "required column is missing from the header"),
    ]
    dup = write(tmp_path, "dup.csv", csv_bytes([[*row(), "x"]], [*HEADER, "court"]))
    assert rejected(dup, supervisor) == [(None, "court", "column appears twice in the header")]


def test_ragged_rows_are_named(tmp_path: Path, supervisor: Any) -> None:
    good = csv_bytes([row(), row(count_number="2")]).decode()
    bad = good + ",".join(row(count_number="3")[:5]) + "\n"
    problems = rejected(write(tmp_path, "ragged.csv", bad.encode()), supervisor)
    assert problems == [(3, "", f"has 5 fields; the header has {len(HEADER)}")]


def test_huge_fields_are_refused(tmp_path: Path, supervisor: Any) -> None:
    huge = "x" * (MAX_FIELD_CHARS + 1)
    problems = rejected(
        write(tmp_path, "huge.csv", csv_bytes([row(), row(count_number="2", city=huge)])),
        supervisor,
    )
    assert problems == [(2, "city", f"longer than {MAX_FIELD_CHARS} characters")]


def test_every_value_problem_is_reported_with_row_and_column(
    tmp_path: Path, supervisor: Any
) -> None:
    rows = [
        row(date_of_birth="1999-02-30"),
        row(count_number="two"),
        row(count_number="3", charge_level="capital"),
        row(count_number="4", statute_code="Poss Cocaine"),
        row(count_number="5", weapon_alleged="maybe"),
        row(count_number="6", record_type=""),
    ]
    problems = rejected(write(tmp_path, "values.csv", csv_bytes(rows)), supervisor)
    assert problems == [
        (1, "date_of_birth", "not a valid date (expected YYYY-MM-DD)"),
        (2, "count_number", "not a whole number"),
        (3, "charge_level", "not one of 'felony', 'misdemeanor', 'infraction'"),
        (5, "weapon_alleged", "not true or false"),
        (6, "record_type", "required, but blank"),
    ]
    # The statute code is checked once the columns parse: fix them, and it is reported.
    rows[0:3] = [row(), row(count_number="2"), row(count_number="3")]
    rows[4:6] = [row(count_number="5"), row(count_number="6")]
    problems = rejected(write(tmp_path, "code.csv", csv_bytes(rows)), supervisor)
    assert problems == [(4, "statute_code", "not a statute code (e.g. HS 11351, PC 245(a)(1))")]


def test_rows_of_one_person_must_agree(tmp_path: Path, supervisor: Any) -> None:
    rows = [row(), row(count_number="2", date_of_birth="1999-04-02")]
    problems = rejected(write(tmp_path, "disagree.csv", csv_bytes(rows)), supervisor)
    assert problems == [(2, "date_of_birth", "person differs from row 1 for the same person")]


def test_an_identifier_needs_its_issuer(tmp_path: Path, supervisor: Any) -> None:
    rows = [row(local_id="L1"), row(count_number="2", local_id="L1", local_id_issuer="SFPD")]
    problems = rejected(write(tmp_path, "issuer.csv", csv_bytes(rows)), supervisor)
    assert problems == [(1, "local_id_issuer", "needed with identifier 'L1'")]


def test_history_counts_need_their_source(tmp_path: Path, supervisor: Any) -> None:
    rows = [
        row(history_total="2", history_as_of="2026-01-05"),
        row(count_number="2", history_source="CA DOJ", history_total="-1"),
    ]
    problems = rejected(write(tmp_path, "history.csv", csv_bytes(rows)), supervisor)
    assert problems == [
        (1, "history_as_of", "given without history_source"),
        (1, "history_total", "given without history_source"),
        (2, "history_total", "less than 0"),
    ]


def test_history_must_agree_across_a_persons_rows(tmp_path: Path, supervisor: Any) -> None:
    rows = [
        row(history_source="CA DOJ", history_total="2"),
        row(count_number="2", history_source="CA DOJ", history_total="3"),
    ]
    problems = rejected(write(tmp_path, "history.csv", csv_bytes(rows)), supervisor)
    assert problems == [(2, "total", "prior count differs from row 1 for the same prior count")]


def test_a_profile_requiring_an_undeclared_column_is_refused() -> None:
    document = {
        "name": "x",
        "kind": "caseload",
        "feed": "x",
        "columns": {"total": {"type": "integer", "requires": ["source"]}},
    }
    with pytest.raises(ProfileError) as error:
        parse_caseload_profile(document, "x.yaml")
    assert "x.yaml: columns.total.requires: 'source' is not a declared column" in str(error.value)


def test_formula_values_are_neutralised_in_the_error_report(
    tmp_path: Path, supervisor: Any
) -> None:
    attack = "=cmd|' /C calc'!A0"
    path = write(tmp_path, "formula.csv", csv_bytes([row(count_number=attack)]))
    with pytest.raises(ImportRejected) as error:
        import_caseload(actor=supervisor, path=path, profile_name="ontrack")
    report = tmp_path / "errors.csv"
    write_problems(error.value.problems, report)
    cells = list(csv.reader(report.open(encoding="utf-8")))
    assert cells[1] == ["1", "count_number", "'" + attack, "not a whole number"]
    assert not any(cell.startswith(("=", "+", "-", "@")) for line in cells for cell in line)


def test_excel_and_parquet_files_import_like_csv(tmp_path: Path, supervisor: Any) -> None:
    frame = pl.read_csv(io.BytesIO(csv_bytes([row(), row(count_number="2")])), infer_schema=False)
    frame.write_excel(tmp_path / "caseload.xlsx")
    result = import_caseload(
        actor=supervisor, path=tmp_path / "caseload.xlsx", profile_name="ontrack"
    )
    assert result.counts["charge"]["created"] == 2
    # Parquet with real types (a Date, an integer) reads as the same records.
    typed = frame.with_columns(
        pl.col("date_of_birth").str.to_date(), pl.col("count_number").cast(pl.Int64)
    )
    typed.write_parquet(tmp_path / "caseload.parquet")
    again = import_caseload(
        actor=supervisor, path=tmp_path / "caseload.parquet", profile_name="ontrack"
    )
    assert again.status == "unchanged"
    assert again.counts["charge"] == {"created": 0, "updated": 0, "unchanged": 2}


@pytest.mark.parametrize("name", ["broken.parquet", "broken.xlsx"])
def test_corrupt_binary_files(tmp_path: Path, supervisor: Any, name: str) -> None:
    frame = pl.DataFrame({"a": ["1"]})
    good = tmp_path / f"good{Path(name).suffix}"
    frame.write_parquet(good) if name.endswith("parquet") else frame.write_excel(good)
    data = good.read_bytes()
    broken = write(tmp_path, name, data[: len(data) // 2])
    problems = rejected(broken, supervisor)
    assert len(problems) == 1
    assert problems[0][2].startswith(
        "cannot be read as Parquet"
        if name.endswith("parquet")
        else "is not an Excel .xlsx workbook"
    )


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=2000))
def test_fuzz_arbitrary_bytes_never_crash(tmp_path: Path, supervisor: Any, data: bytes) -> None:
    path = write(tmp_path, "fuzz.csv", data)
    try:
        import_caseload(actor=supervisor, path=path, profile_name="ontrack")
    except ImportRejected as error:  # the only acceptable failure: a clear rejection
        assert error.problems  # noqa: PT017 - fuzzing: success is allowed too
        assert Person.objects.count() == 0


CELL = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=30)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    cells=st.lists(
        st.lists(CELL, min_size=len(HEADER), max_size=len(HEADER)), min_size=1, max_size=5
    )
)
def test_fuzz_well_formed_csv_with_arbitrary_cells(
    tmp_path: Path, supervisor: Any, cells: list[list[str]]
) -> None:
    path = write(tmp_path, "cells.csv", csv_bytes(cells))
    try:
        import_caseload(actor=supervisor, path=path, profile_name="ontrack")
    except ImportRejected as error:  # the only acceptable failure: a clear rejection
        assert all(p.reason for p in error.problems)  # noqa: PT017 - success is allowed too
        assert Person.objects.count() == 0
