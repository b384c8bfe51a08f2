"""Reading text columns as Categorical (imports hold the file a while) gives the same values
as reading them as text: stripped, blanks as null, untidy values tidied, long fields named."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from ontrack.ingest.problems import InputRejected
from ontrack.ingest.reading import MAX_FIELD_CHARS, read_table

CSV = b"name,city,code\n  Ana ,SF,1\nBo,,2\n,SF , 3\n"


@pytest.mark.parametrize("newline", [b"\n", b"\r\n"])
def test_categorical_columns_hold_the_same_tidy_values(tmp_path: Path, newline: bytes) -> None:
    path = tmp_path / "people.csv"
    path.write_bytes(CSV.replace(b"\n", newline))
    frame = read_table(path, categorical={"name", "city"})
    assert frame.schema == {"name": pl.Categorical(), "city": pl.Categorical(), "code": pl.String()}
    assert frame.cast(pl.String).rows() == [
        ("Ana", "SF", "1"),
        ("Bo", None, "2"),
        (None, "SF", "3"),
    ]
    assert read_table(path).schema == dict.fromkeys(["name", "city", "code"], pl.String())


def test_a_long_categorical_field_is_named(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_text(f"name,city\nAna,SF\nBo,{'x' * (MAX_FIELD_CHARS + 1)}\n", encoding="utf-8")
    with pytest.raises(InputRejected) as error:
        read_table(path, categorical={"city"})
    assert [(p.row, p.column, p.reason) for p in error.value.problems] == [
        (2, "city", f"longer than {MAX_FIELD_CHARS} characters")
    ]
