"""Reading an input file as hostile: every failure is a clear problem, never a traceback.

Whatever the format (CSV, Excel .xlsx, Parquet), the result is the same: a Polars frame of
text columns, blanks as nulls, which validation then parses by the profile's types. Typed
Parquet columns are turned into their text form (dates ISO) so one set of rules applies.
"""

from __future__ import annotations

import csv
import zipfile
from collections.abc import Collection, Iterator
from pathlib import Path

import polars as pl

from ontrack.ingest.problems import InputRejected, Problem

_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
MAX_FIELD_CHARS = 10_000  # no legitimate caseload field is longer
FORMATS = {
    ".csv": "csv", ".txt": "csv", ".xlsx": "excel", ".parquet": "parquet", ".jsonl": "jsonl",
}  # fmt: skip


def _reject(path: Path, reason: str, row: int | None = None, column: str = "") -> InputRejected:
    return InputRejected(path.name, [Problem(row, column, "", reason)])


def _decode(path: Path, raw: bytes, encoding: str | None) -> str:
    if encoding:
        try:
            return raw.decode(encoding)
        except (LookupError, UnicodeDecodeError) as exc:
            raise _reject(path, f"cannot decode as {encoding}: {exc}") from exc
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with a byte-order mark (Excel)
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise _reject(path, f"starts like UTF-16 but is not: {exc}") from exc
    if b"\x00" in raw[:65536]:
        raise _reject(path, "contains NUL bytes: this is not a text (CSV) file")
    try:
        return raw.decode("utf-8-sig")  # strips a UTF-8 byte-order mark
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        byte = raw[exc.start : exc.start + 1].hex()
        raise _reject(
            path,
            f"not UTF-8: byte 0x{byte} at offset {exc.start} (line {line}); save the file as "
            "UTF-8, or name its encoding with --encoding (e.g. cp1252)",
        ) from exc


def _read_csv(path: Path, encoding: str | None, categorical: Collection[str]) -> pl.DataFrame:
    # Each copy of the file is dropped as soon as it is not needed: a large file is held at
    # most twice (bytes and text). A UTF-8 file with plain line endings is handed to Polars
    # as the bytes it was read as; only other files are re-encoded.
    raw = path.read_bytes()
    text = _decode(path, raw, encoding)
    as_read = encoding is None and not raw.startswith(_BOMS) and b"\r" not in raw
    if not as_read:
        del raw
    if not text.strip():
        raise _reject(path, "has no header row (the file is blank)")
    # One line ending, whatever mix the file came with (CRLF, LF, lone CR).
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    header_line = text.split("\n", 1)[0]
    header = next(csv.reader([header_line]))
    _check_header(path, header)
    # Polars pads a short row with nulls without a word; the csv module counts every row's
    # fields (streaming, nothing kept), so a ragged row is named instead of read as blanks.
    ragged = _locate_csv_problem(path, text, len(header))
    if ragged is not None:
        raise ragged
    data = raw if as_read else text.encode("utf-8")
    del text
    if as_read:
        del raw
    # Categorical text (each distinct value stored once) for readers that hold the whole
    # file through validation and mapping (imports); the values are the same text.
    dtypes = {n: pl.Categorical() if n.strip() in categorical else pl.String() for n in header}
    try:
        frame = pl.read_csv(
            data,
            infer_schema=False,
            schema_overrides=dtypes,
            has_header=True,
            quote_char='"',
            raise_if_empty=False,
        )
    except (pl.exceptions.PolarsError, OSError) as exc:
        text = data.decode("utf-8")
        raise _locate_csv_problem(path, text, len(header)) or _reject(
            path, f"cannot be read as CSV: {str(exc).splitlines()[0]}"
        ) from exc
    return frame


def _locate_csv_problem(path: Path, text: str, width: int) -> InputRejected | None:
    """Every row with the wrong number of fields, or the line where quoting breaks."""
    csv.field_size_limit(MAX_FIELD_CHARS * 4)
    problems: list[Problem] = []
    reader = csv.reader(_lines(text), strict=True)
    try:
        next(reader)
        for row_number, fields in enumerate(reader, start=1):
            if len(fields) != width and any(fields):
                problems.append(
                    Problem(row_number, "", "", f"has {len(fields)} fields; the header has {width}")
                )
            if len(problems) >= 1000:
                break
    except csv.Error as exc:
        problems.append(
            Problem(reader.line_num, "", "", f"malformed CSV near line {reader.line_num}: {exc}")
        )
    return InputRejected(path.name, problems) if problems else None


def _lines(text: str) -> Iterator[str]:
    """The text's lines, each with its newline, one at a time: ``io.StringIO`` would hold a
    four-byte-per-character copy of the whole file."""
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end + 1
        yield text[start:end]
        start = end


def _check_header(path: Path, header: list[str]) -> None:
    problems: list[Problem] = []
    seen: set[str] = set()
    for position, name in enumerate(header, start=1):
        clean = name.strip()
        if not clean:
            problems.append(Problem(None, f"#{position}", "", "header cell is blank"))
        elif clean in seen:
            problems.append(Problem(None, clean, "", "column appears twice in the header"))
        seen.add(clean)
    if problems:
        raise InputRejected(path.name, problems)


def _read_excel(path: Path) -> pl.DataFrame:
    if not zipfile.is_zipfile(path):
        raise _reject(path, "is not an Excel .xlsx workbook (not a zip container)")
    try:
        frame = pl.read_excel(path, engine="calamine", infer_schema_length=0)
    except Exception as exc:  # calamine raises its own error types for every kind of damage
        raise _reject(
            path, f"cannot be read as an Excel workbook: {str(exc).splitlines()[0]}"
        ) from exc
    _check_header(path, frame.columns)
    return frame


def _read_parquet(path: Path) -> pl.DataFrame:
    try:
        frame = pl.read_parquet(path)
    except Exception as exc:  # corrupt footers and pages raise several pyarrow/polars types
        raise _reject(path, f"cannot be read as Parquet: {str(exc).splitlines()[0]}") from exc
    return frame.with_columns(
        pl.nth(i).cast(pl.String) for i, dtype in enumerate(frame.dtypes) if dtype != pl.String
    )


def _read_jsonl(path: Path) -> pl.DataFrame:
    try:
        frame = pl.read_ndjson(path, infer_schema_length=None)
    except Exception as exc:  # malformed JSON lines raise several Polars error types
        raise _reject(path, f"cannot be read as JSON lines: {str(exc).splitlines()[0]}") from exc
    return frame.with_columns(
        pl.nth(i).cast(pl.String) for i, dtype in enumerate(frame.dtypes) if dtype != pl.String
    )


def read_table(
    path: Path, *, encoding: str | None = None, categorical: Collection[str] = ()
) -> pl.DataFrame:
    """The file as text columns with stripped values, blanks as null, or ``InputRejected``.

    ``categorical``: columns to read as ``pl.Categorical`` rather than ``pl.String`` (same
    values, each distinct one stored once: for callers that hold a large file a while and
    use these columns as text, not to parse)."""
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        raise _reject(
            path, f"unsupported file type {path.suffix!r}; use .csv, .jsonl, .xlsx or .parquet"
        )
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise _reject(path, f"cannot be opened: {exc.strerror}") from exc
    if size == 0:
        raise _reject(path, "is empty (0 bytes)")
    if kind == "csv":
        frame = _read_csv(path, encoding, categorical)
    elif kind == "excel":
        frame = _read_excel(path)
    elif kind == "jsonl":
        frame = _read_jsonl(path)
    else:
        frame = _read_parquet(path)
    frame = frame.rename({name: name.strip() for name in frame.columns})
    # Stripped, and blank as null, in one pass; only the columns that need it are rewritten
    # (each rewrite is one more copy of that column's text: most columns need none).
    untidy = [
        (_distinct(frame, i).str.contains(r"^\s|\s$") | (_distinct(frame, i) == ""))
        .any()
        .alias(str(i))
        for i in range(frame.width)
    ]
    flags = frame.select(untidy).row(0) if frame.height and frame.width else ()
    frame = frame.with_columns(
        _text(i).str.strip_chars().replace("", None).cast(frame.dtypes[i]).alias(frame.columns[i])
        for i, flag in enumerate(flags)
        if flag
    )
    frame = frame.with_columns(
        pl.nth(i).cast(pl.Categorical)
        for i, name in enumerate(frame.columns)
        if name in categorical and frame.dtypes[i] != pl.Categorical()
    )
    # Blank lines (all cells empty) carry nothing; row numbers count data rows only.
    if frame.width:
        frame = frame.filter(~pl.all_horizontal(pl.all().is_null()))
    _check_field_sizes(path, frame)
    return frame


def _text(position: int) -> pl.Expr:
    """A column by position (never by name: see ``_check_field_sizes``) as strings."""
    return pl.nth(position).cast(pl.String)


def _distinct(frame: pl.DataFrame, position: int) -> pl.Expr:
    """The column's text, once per distinct value when it is Categorical (a whole
    Categorical column as strings costs far more than its few distinct values)."""
    if frame.dtypes[position] == pl.Categorical():
        return pl.nth(position).unique().cast(pl.String)
    return pl.nth(position)


def _check_field_sizes(path: Path, frame: pl.DataFrame) -> None:
    problems: list[Problem] = []
    # Columns by position: a hostile header such as "*" or "^.*$" is a Polars wildcard or
    # regex when used as a name (found by the fuzz test).
    longest = frame.select(
        _distinct(frame, i).str.len_chars().max().alias(str(i)) for i in range(frame.width)
    )
    for i, name in enumerate(frame.columns):
        if frame.height == 0 or (longest[0, i] or 0) <= MAX_FIELD_CHARS:
            continue
        too_long = frame.with_row_index("__row__", offset=1).filter(
            _text(i + 1).str.len_chars() > MAX_FIELD_CHARS
        )
        for row, value in too_long.select(pl.nth(0), _text(i + 1)).head(100).iter_rows():
            problems.append(
                Problem(row, name, value[:40] + "…", f"longer than {MAX_FIELD_CHARS} characters")
            )
    if problems:
        raise InputRejected(path.name, problems)
