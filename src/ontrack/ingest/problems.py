"""What is wrong with an input: each problem names row, column, value and reason.

``InputRejected`` is the generic refusal (read by any command that takes a file);
``ImportRejected`` is the import's own, whose report says nothing was imported.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ontrack.common.text import neutralise_formula

REPORT_LIMIT = 50  # problems printed on the terminal; the --errors file holds them all


@dataclass(frozen=True, order=True)
class Problem:
    row: int | None  # data row, 1-based (the header is not counted); None = the whole file
    column: str
    value: str
    reason: str

    def __str__(self) -> str:
        where = f"row {self.row}" if self.row is not None else "file"
        column = f", column {self.column!r}" if self.column else ""
        value = f", value {self.value[:80]!r}" if self.value else ""
        return f"{where}{column}{value}: {self.reason}"


class InputRejected(Exception):
    """An input (file or document) was refused whole, for the problems it lists.

    Generic: facts files, policies' test files and imports all report problems this way;
    each use says what the refusal means for it (``outcome``), so a facts file is never
    told it was "not imported".
    """

    outcome = "refused"
    more = ""  # how to see the problems past the limit, when the command offers a way

    def __init__(self, name: str, problems: Iterable[Problem]) -> None:
        self.name = name
        self.problems = sorted(problems, key=lambda p: (p.row or 0, p.column, p.reason))
        super().__init__(self.report())

    @property
    def file_name(self) -> str:
        return self.name

    def report(self, limit: int = REPORT_LIMIT) -> str:
        count = len(self.problems)
        lines = [f"{self.name}: {count} problem{'s' if count != 1 else ''}; {self.outcome}"]
        lines += [f"  {p}" for p in self.problems[:limit]]
        if count > limit:
            lines.append(f"  … and {count - limit} more{self.more}")
        return "\n".join(lines)


class ImportRejected(InputRejected):
    """An import file was refused; nothing was written (the import contract)."""

    outcome = "nothing was imported"
    more = " (use --errors FILE for the full list)"


def write_problems(problems: Iterable[Problem], path: Path) -> None:
    """The full report as CSV. Every cell is neutralised: input values are hostile."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["row", "column", "value", "problem"])
        for p in problems:
            writer.writerow(
                [
                    "" if p.row is None else p.row,
                    neutralise_formula(p.column),
                    neutralise_formula(p.value),
                    neutralise_formula(p.reason),
                ]
            )
