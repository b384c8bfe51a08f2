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


@pytest.mark.parametrize(
    ("value", "kind"),
    [('["HS 11350", "PC 459"]', "a list"), ('{"code": "HS 11350"}', "an object")],
)
def test_a_json_list_or_object_in_a_field_is_named_not_a_traceback(
    tmp_path: Path, value: str, kind: str
) -> None:
    path = tmp_path / "facts.jsonl"
    path.write_text(
        f'{{"case_id": "a", "charge_codes": null}}\n{{"case_id": "b", "charge_codes": {value}}}\n'
    )
    with pytest.raises(InputRejected) as rejected:
        read_table(path)
    assert rejected.value.name == "facts.jsonl"
    assert [(p.row, p.column, p.reason) for p in rejected.value.problems] == [
        (
            2,
            "charge_codes",
            f"{kind} where one value belongs; give text (several codes joined by ';', as in a "
            "CSV file)",
        )
    ]


def test_a_parquet_list_column_is_named_not_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "facts.parquet"
    pl.DataFrame({"case_id": ["a", "b"], "charge_codes": [None, ["HS 11350"]]}).write_parquet(path)
    with pytest.raises(InputRejected) as rejected:
        read_table(path)
    assert [(p.row, p.column, p.reason) for p in rejected.value.problems] == [
        (
            2,
            "charge_codes",
            "a list where one value belongs; give text (several codes joined by ';', as in a "
            "CSV file)",
        )
    ]
