"""A list as CSV or XLSX: the header in words, then one line per row. Every cell goes
through ``common.text.neutralise_formula`` (the one rule: a name such as ``=HYPERLINK(...)``
is prefixed with an apostrophe), and the workbook is written with XlsxWriter's
``strings_to_formulas`` off, so that no cell is ever stored as a formula (OWASP "CSV
injection"); numbers are written as text too, as the page shows them."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

import xlsxwriter

from ontrack.common.text import neutralise_formula

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _safe(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[list[str]]:
    return [[neutralise_formula(cell) for cell in line] for line in (header, *rows)]


def to_csv(header: Sequence[str], rows: Sequence[Sequence[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(_safe(header, rows))
    return out.getvalue().encode("utf-8")


def to_xlsx(header: Sequence[str], rows: Sequence[Sequence[str]], title: str) -> bytes:
    out = io.BytesIO()
    options = {
        "in_memory": True,
        "strings_to_formulas": False,
        "strings_to_numbers": False,
        "strings_to_urls": False,
    }
    with xlsxwriter.Workbook(out, options) as book:
        sheet = book.add_worksheet(title[:31])  # Excel's limit on a sheet's name
        for r, line in enumerate(_safe(header, rows)):
            for c, cell in enumerate(line):
                sheet.write_string(r, c, cell)
    return out.getvalue()


def render(kind: str, header: Sequence[str], rows: Sequence[Sequence[str]], title: str) -> bytes:
    return to_csv(header, rows) if kind == "csv" else to_xlsx(header, rows, title)
