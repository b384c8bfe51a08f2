"""Input limits found while probing (issue 8, item 8): each hostile file gets a clear problem
and nothing is written — no ImportBatch, no audit row, no record."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from ontrack.audit.models import AuditEvent
from ontrack.imports.services import import_caseload
from ontrack.imports.tests.test_hostile_input import HEADER, csv_bytes, row, write
from ontrack.ingest.models import ImportBatch
from ontrack.ingest.problems import ImportRejected, Problem
from ontrack.ingest.reading import MAX_COLUMNS, MAX_XLSX_BYTES, MAX_XLSX_RATIO
from ontrack.people.models import Person


def refused(path: Path, actor: Any) -> list[Problem]:
    events = AuditEvent.objects.count()
    with pytest.raises(ImportRejected) as error:
        import_caseload(actor=actor, path=path, profile_name="ontrack")
    assert (Person.objects.count(), ImportBatch.objects.count()) == (0, 0)
    assert AuditEvent.objects.count() == events
    return error.value.problems


def test_a_nul_byte_past_the_first_64_kb_is_named_by_row_and_column(
    tmp_path: Path, supervisor: Any
) -> None:
    # PostgreSQL text cannot hold NUL: this file used to reach the database and crash there.
    rows = [row(person_id=str(i), docket_number=f"CRI-{i}") for i in range(1, 2001)]
    rows[1499] = row(person_id="1500", docket_number="CRI-1500", family_name="Re\x00yes")
    data = csv_bytes(rows)
    assert data.index(b"\x00") > 65536
    path = write(tmp_path, "nul.csv", data)
    assert refused(path, supervisor) == [
        Problem(
            1500, "family_name", "Re\\x00yes", "contains a NUL byte (\\x00), which text cannot hold"
        )
    ]


def test_a_nul_in_a_parquet_cell_is_named(tmp_path: Path, supervisor: Any) -> None:
    frame = pl.DataFrame([dict(zip(HEADER, row(), strict=True))] * 2)
    frame = frame.with_columns(pl.Series("court", ["SF", "S\x00F"]))
    path = tmp_path / "nul.parquet"
    frame.write_parquet(path)
    assert refused(path, supervisor) == [
        Problem(2, "court", "S\\x00F", "contains a NUL byte (\\x00), which text cannot hold")
    ]


def test_a_nul_in_a_column_name_is_named(tmp_path: Path, supervisor: Any) -> None:
    path = write(tmp_path, "nul-name.jsonl", b'{"court\\u0000": "SF"}\n')
    assert refused(path, supervisor) == [
        Problem(None, "court\\x00", "", "column name contains a NUL byte (\\x00)")
    ]


def test_a_header_of_200000_columns_is_refused(tmp_path: Path, supervisor: Any) -> None:
    # Used never to finish: the per-column checks were quadratic in the width (docs/imports.md).
    header = [f"c{i}" for i in range(200_000)]
    path = write(
        tmp_path, "wide.csv", (",".join(header) + "\n" + ",".join("x" * 200_000) + "\n").encode()
    )
    assert refused(path, supervisor) == [
        Problem(None, "", "", f"has 200000 columns; at most {MAX_COLUMNS} are read")
    ]


def test_a_header_at_the_column_limit_is_read_and_checked(tmp_path: Path, supervisor: Any) -> None:
    extra = [f"extra_{i}" for i in range(MAX_COLUMNS - len(HEADER))]
    path = write(
        tmp_path, "wide.csv", csv_bytes([row() + [""] * len(extra)], header=HEADER + extra)
    )
    problems = refused(path, supervisor)
    assert len(problems) == len(extra)
    assert problems[0] == Problem(
        None, "extra_0", "", "unexpected column (not in profile 'ontrack')"
    )


def test_a_parquet_file_too_wide_is_refused_before_it_is_read(
    tmp_path: Path, supervisor: Any
) -> None:
    path = tmp_path / "wide.parquet"
    pl.DataFrame({f"c{i}": ["x"] for i in range(MAX_COLUMNS + 1)}).write_parquet(path)
    assert refused(path, supervisor) == [
        Problem(None, "", "", f"has {MAX_COLUMNS + 1} columns; at most {MAX_COLUMNS} are read")
    ]


def zip_bomb(path: Path, member_bytes: int) -> Path:
    """A workbook-shaped zip whose sheet inflates from a few hundred KB to ``member_bytes``."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            block = b" " * (1 << 20)
            for _ in range(member_bytes >> 20):
                sheet.write(block)
    return path


def test_an_xlsx_that_inflates_past_the_cap_is_refused_before_reading(
    tmp_path: Path, supervisor: Any
) -> None:
    path = zip_bomb(tmp_path / "bomb.xlsx", MAX_XLSX_BYTES + (1 << 20))
    assert path.stat().st_size < 1_000_000
    assert refused(path, supervisor) == [
        Problem(
            None,
            "",
            "",
            f"would decompress to {MAX_XLSX_BYTES + (1 << 20) + 8:,} bytes; at most "
            f"{MAX_XLSX_BYTES:,} are read (is it a zip bomb?)",
        )
    ]


def test_an_xlsx_member_compressed_beyond_belief_is_refused(
    tmp_path: Path, supervisor: Any
) -> None:
    path = zip_bomb(tmp_path / "dense.xlsx", 8 << 20)  # under the total cap, absurd ratio
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
        ratio = info.file_size // info.compress_size
    assert ratio > MAX_XLSX_RATIO
    assert refused(path, supervisor) == [
        Problem(
            None,
            "xl/worksheets/sheet1.xml",
            "",
            f"compressed {ratio}:1, more than {MAX_XLSX_RATIO}:1 (is it a zip bomb?)",
        )
    ]


def test_a_header_cell_too_long_for_the_csv_reader_is_refused(
    tmp_path: Path, supervisor: Any
) -> None:
    # Used to be a traceback (csv.Error) from the header line, before any check ran.
    header = [*HEADER[:-1], "h" * 200_000]
    path = write(tmp_path, "long-header.csv", csv_bytes([row()], header=header))
    [problem] = refused(path, supervisor)
    assert (problem.row, problem.column) == (None, "")
    # The limit in the message is the csv module's, process-wide (131072 or the reader's).
    assert problem.reason.startswith(
        "has a header row that cannot be read: field larger than field limit ("
    )
