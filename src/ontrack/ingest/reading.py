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
# Input limits (docs/imports.md, docs/security.md; issue 8). No feed has more than a few
# dozen columns; a workbook of 200 MB of XML is several million cells; spreadsheet XML
# compresses 5-30:1, so a member inflating past 250:1 is built to (a zip bomb).
MAX_COLUMNS = 1_000
MAX_XLSX_BYTES = 200 * 1024 * 1024
MAX_XLSX_RATIO = 250
_RATIO_FLOOR = 1 << 20  # small members (styles, themes) may compress beyond any ratio
NUL_REASON = "contains a NUL byte (\\x00), which text cannot hold"
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
    end = text.find("\n")
    try:  # one line, parsed once: linear in its length, however many columns it has
        header = next(csv.reader([text if end < 0 else text[:end]]), [])
    except csv.Error as exc:
        raise _reject(path, f"has a header row that cannot be read: {exc}") from exc
    _check_width(path, len(header))
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


def _check_width(path: Path, columns: int) -> None:
    """Refused before anything per column is done: a 200,000-column header was accepted
    into every per-column step (issue 8)."""
    if columns > MAX_COLUMNS:
        raise _reject(path, f"has {columns} columns; at most {MAX_COLUMNS} are read")


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
    _check_inflated_size(path)
    try:
        frame = pl.read_excel(path, engine="calamine", infer_schema_length=0)
    except Exception as exc:  # calamine raises its own error types for every kind of damage
        raise _reject(
            path, f"cannot be read as an Excel workbook: {str(exc).splitlines()[0]}"
        ) from exc
    _check_width(path, frame.width)
    _check_header(path, frame.columns)
    return frame


def _check_inflated_size(path: Path) -> None:
    """A workbook is a zip: its members' declared sizes are read from the central directory
    (nothing is inflated) and refused past a total or a ratio, before calamine inflates
    anything (a 560 KB file grew to 804 MB, issue 8)."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _reject(path, f"cannot be read as an Excel workbook: {exc}") from exc
    total = sum(member.file_size for member in members)
    if total > MAX_XLSX_BYTES:
        raise _reject(
            path,
            f"would decompress to {total:,} bytes; at most {MAX_XLSX_BYTES:,} are read "
            "(is it a zip bomb?)",
        )
    problems = [
        Problem(
            None,
            member.filename,
            "",
            f"compressed {member.file_size // max(member.compress_size, 1)}:1, more than "
            f"{MAX_XLSX_RATIO}:1 (is it a zip bomb?)",
        )
        for member in members
        if member.file_size > _RATIO_FLOOR
        and member.file_size > MAX_XLSX_RATIO * max(member.compress_size, 1)
    ]
    if problems:
        raise InputRejected(path.name, problems)


def _read_parquet(path: Path) -> pl.DataFrame:
    try:
        _check_width(path, len(pl.read_parquet_schema(path)))  # the footer only
        frame = pl.read_parquet(path)
    except InputRejected:
        raise
    except Exception as exc:  # corrupt footers and pages raise several pyarrow/polars types
        raise _reject(path, f"cannot be read as Parquet: {str(exc).splitlines()[0]}") from exc
    _refuse_nested(path, frame)
    return frame.with_columns(
        pl.nth(i).cast(pl.String) for i, dtype in enumerate(frame.dtypes) if dtype != pl.String
    )


def _refuse_nested(path: Path, frame: pl.DataFrame) -> None:
    """A list or object in a field (JSON lines, Parquet) has no single text value: named by
    record and field instead of a cast's traceback. Records count from 1."""
    for i, dtype in enumerate(frame.dtypes):
        if not dtype.is_nested():
            continue
        name = frame.columns[i]
        row = int(frame.select(pl.nth(i).is_not_null().arg_max()).item()) + 1
        kind = "a list" if isinstance(dtype, pl.List | pl.Array) else "an object"
        raise _reject(
            path,
            f"{kind} where one value belongs; give text (several codes joined by ';', as in a "
            "CSV file)",
            row=row,
            column=name,
        )


def _read_jsonl(path: Path) -> pl.DataFrame:
    try:
        frame = pl.read_ndjson(path, infer_schema_length=None)
    except Exception as exc:  # malformed JSON lines raise several Polars error types
        raise _reject(path, f"cannot be read as JSON lines: {str(exc).splitlines()[0]}") from exc
    _refuse_nested(path, frame)
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
    _check_width(path, frame.width)  # JSON lines, and every reader's backstop
    frame = frame.rename({name: name.strip() for name in frame.columns})
    # Stripped, and blank as null, in one pass; only the columns that need it are rewritten
    # (each rewrite is one more copy of that column's text: most columns need none).
    # ``frame.dtypes`` and ``frame.columns`` build a list of every column on each call: they
    # are taken once, so each step is linear in the width (calling them per column made a
    # 10,000-column header take 37 s to refuse and 200,000 never finish; issue 8).
    dtypes, names = frame.dtypes, frame.columns
    untidy = [
        (_distinct(dtypes[i], i).str.contains(r"^\s|\s$") | (_distinct(dtypes[i], i) == ""))
        .any()
        .alias(str(i))
        for i in range(frame.width)
    ]
    flags = frame.select(untidy).row(0) if frame.height and frame.width else ()
    frame = frame.with_columns(
        _text(i).str.strip_chars().replace("", None).cast(dtypes[i]).alias(names[i])
        for i, flag in enumerate(flags)
        if flag
    )
    frame = frame.with_columns(
        pl.nth(i).cast(pl.Categorical)
        for i, name in enumerate(names)
        if name in categorical and dtypes[i] != pl.Categorical()
    )
    # Blank lines (all cells empty) carry nothing; row numbers count data rows only.
    if frame.width:
        frame = frame.filter(~pl.all_horizontal(pl.all().is_null()))
    _check_cells(path, frame)
    return frame


def _text(position: int) -> pl.Expr:
    """A column by position (never by name: see ``_check_cells``) as strings."""
    return pl.nth(position).cast(pl.String)


def _distinct(dtype: pl.DataType, position: int) -> pl.Expr:
    """The column's text, once per distinct value when it is Categorical (a whole
    Categorical column as strings costs far more than its few distinct values)."""
    if dtype == pl.Categorical():
        return pl.nth(position).unique().cast(pl.String)
    return pl.nth(position)


def _check_cells(path: Path, frame: pl.DataFrame) -> None:
    """Fields over ``MAX_FIELD_CHARS`` and NUL bytes anywhere, named by row and column.

    PostgreSQL text cannot hold NUL: a NUL past the bytes ``_decode`` sniffs (or in Parquet
    and JSON lines, which carry it as text) crashed the import in the database (issue 8).
    One vectorised pass over every column (distinct values only, for Categorical ones), then
    rows are located only in the columns found guilty."""
    problems = [
        Problem(None, name.replace("\x00", "\\x00"), "", "column name contains a NUL byte (\\x00)")
        for name in frame.columns
        if "\x00" in name
    ]
    if frame.height and frame.width:
        dtypes = frame.dtypes
        # Columns by position: a hostile header such as "*" or "^.*$" is a Polars wildcard
        # or regex when used as a name (found by the fuzz test).
        stats = frame.select(
            *(
                _distinct(dtypes[i], i).str.len_chars().max().alias(f"l{i}")
                for i in range(frame.width)
            ),
            *(
                _distinct(dtypes[i], i).str.contains("\x00", literal=True).any().alias(f"n{i}")
                for i in range(frame.width)
            ),
        ).row(0)
        for i, name in enumerate(frame.columns):
            if (stats[i] or 0) > MAX_FIELD_CHARS:
                problems += _located(
                    frame, i, name, _text(i + 1).str.len_chars() > MAX_FIELD_CHARS,
                    f"longer than {MAX_FIELD_CHARS} characters", ellipsis=True,
                )  # fmt: skip
            if stats[frame.width + i]:
                problems += _located(
                    frame, i, name, _text(i + 1).str.contains("\x00", literal=True), NUL_REASON
                )
    if problems:
        raise InputRejected(path.name, problems)


def _located(
    frame: pl.DataFrame,
    position: int,
    name: str,
    guilty: pl.Expr,
    reason: str,
    *,
    ellipsis: bool = False,
) -> list[Problem]:
    """The first 100 rows of one column where ``guilty`` holds (evaluated on the frame with
    a leading ``__row__`` index, so the column sits at ``position + 1``)."""
    found = frame.with_row_index("__row__", offset=1).filter(guilty)
    return [
        Problem(row, name, value.replace("\x00", "\\x00")[:40] + ("…" if ellipsis else ""), reason)
        for row, value in found.select(pl.nth(0), _text(position + 1)).head(100).iter_rows()
    ]
