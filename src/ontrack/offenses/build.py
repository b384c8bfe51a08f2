"""Building the shipped catalog rows from the California DOJ CJIS offense code table.

``ontrack build_catalog`` reads the DOJ table (``../shared/data/ca-doj-offense-codes/
offense-codes.csv``; a newer table is one command away) and writes ``data/doj-offense-codes.
csv``, the file the product reads at run time. The output is deterministic byte for byte: the
same input gives the same file, so a rebuild is reviewable as a diff.

Every DOJ row is kept. Where a field came from is written in the file's header comment: the
DOJ fields are copied as written; ``code``/``section`` are the DOJ statute read by
``codes.parse`` (blank for the few rows that are not statute sections, such as DOJ's ``ZZ``
administrative codes: kept, addressable by DOJ offense code only); ``level`` is the DOJ
charge type in words.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from ontrack.offenses.codes import StatuteCodeError, parse

BUILT = Path(__file__).resolve().parent / "data" / "doj-offense-codes.csv"
DEFAULT_SOURCE = Path("../shared/data/ca-doj-offense-codes/offense-codes.csv")

DOJ_COLUMNS = (
    "doj_offense_code",
    "statute",
    "code",
    "literal",
    "charge_type",
    "default_charge_type",
    "literal_identifier",
    "degree",
    "bcs_hierarchy",
    "validation",
    "enacted",
    "repealed",
)
# DOJ charge types. "X" (other: registrations, administrative codes) is not a charge level:
# such a row says the code exists, not whether it is a felony.
LEVELS = {"F": "felony", "M": "misdemeanor", "I": "infraction", "X": ""}
BUILT_COLUMNS = (
    "doj_offense_code",
    "code",
    "book",
    "section",
    "doj_statute",
    "literal",
    "level",
    "charge_type",
    "default_charge_type",
    "literal_identifier",
    "degree",
    "bcs_hierarchy",
    "validation",
    "enacted",
    "repealed",
)


class CatalogBuildError(ValueError):
    """The DOJ table is not what the build expects; the message names file, row, column."""


@dataclass(frozen=True)
class BuildResult:
    rows: int
    addressable: int  # rows whose statute reads as a code
    sha256: str  # of the source table
    output: Path


def build_text(source: Path) -> tuple[str, int, int, str]:
    """(file text, rows, rows with a code, source sha256); raises ``CatalogBuildError``."""
    raw = source.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CatalogBuildError(f"{source}: not UTF-8 text ({exc})") from exc
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = [c for c in DOJ_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise CatalogBuildError(f"{source}: missing columns {missing}")
    out_rows: list[dict[str, str]] = []
    seen: set[int] = set()
    for line, row in enumerate(reader, start=2):
        where = f"{source.name}: row {line}"
        try:
            number = int(row["doj_offense_code"])
        except ValueError as exc:
            value = row["doj_offense_code"]
            raise CatalogBuildError(
                f"{where}: doj_offense_code: {value!r} is not a number"
            ) from exc
        if number in seen:
            raise CatalogBuildError(f"{where}: doj_offense_code: {number} appears twice")
        seen.add(number)
        charge_type = row["charge_type"].strip()
        if charge_type not in LEVELS:
            raise CatalogBuildError(f"{where}: charge_type: {charge_type!r} is not F, M, I or X")
        for column in ("enacted", "repealed"):
            value = row[column].strip()
            if value and not _iso_date(value):
                raise CatalogBuildError(f"{where}: {column}: {value!r} is not a date (YYYY-MM-DD)")
        if not row["enacted"].strip():
            raise CatalogBuildError(f"{where}: enacted: required")
        book = row["code"].strip()
        try:
            parsed = parse(f"{book} {row['statute'].strip()}", lettered=frozenset())
        except StatuteCodeError:
            code = section = ""
        else:
            code, section = parsed.text, parsed.section
        out_rows.append(
            {
                "doj_offense_code": str(number),
                "code": code,
                "book": book,
                "section": section,
                "doj_statute": row["statute"].strip(),
                "literal": row["literal"].strip(),
                "level": LEVELS[charge_type],
                "charge_type": charge_type,
                "default_charge_type": row["default_charge_type"].strip(),
                "literal_identifier": row["literal_identifier"].strip(),
                "degree": row["degree"].strip(),
                "bcs_hierarchy": row["bcs_hierarchy"].strip(),
                "validation": row["validation"].strip(),
                "enacted": row["enacted"].strip(),
                "repealed": row["repealed"].strip(),
            }
        )
    out_rows.sort(key=lambda r: int(r["doj_offense_code"]))
    addressable = sum(1 for r in out_rows if r["code"])
    buffer = io.StringIO()
    buffer.write(_header(source.name, digest, len(out_rows), addressable))
    writer = csv.DictWriter(buffer, fieldnames=BUILT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(out_rows)
    return buffer.getvalue(), len(out_rows), addressable, digest


def build_catalog(source: Path, output: Path = BUILT) -> BuildResult:
    """Write the built rows; the file is replaced only when the whole table was read."""
    text, rows, addressable, digest = build_text(source)
    temporary = output.with_suffix(".tmp")
    temporary.write_text(text, encoding="utf-8", newline="")
    temporary.replace(output)
    return BuildResult(rows=rows, addressable=addressable, sha256=digest, output=output)


def _iso_date(value: str) -> bool:
    import datetime as dt

    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


def _header(name: str, digest: str, rows: int, addressable: int) -> str:
    return (
        "# OnTrack offense catalog rows. Built by `ontrack build_catalog`; do not edit by hand.\n"
        f"# source: {name} (California DOJ CJIS offense code table), sha256 {digest}\n"
        f"# rows: {rows} (every source row), of which {addressable} read as statute codes\n"
        "# fields copied from the DOJ row as written: doj_offense_code; doj_statute (DOJ\n"
        "#   'statute'); book (DOJ 'code'); literal; charge_type; default_charge_type;\n"
        "#   literal_identifier; degree; bcs_hierarchy; validation; enacted; repealed\n"
        "# fields derived: code and section = '<book> <doj_statute>' read by\n"
        "#   ontrack.offenses.codes.parse (blank: not a statute section, e.g. DOJ 'ZZ'\n"
        "#   administrative codes; the row is kept); level = charge_type in words\n"
        "#   (F felony, M misdemeanor, I infraction, X blank: not a charge level)\n"
        "# a row is in force from enacted to repealed, both days included (blank: still in force)\n"
    )
