"""Facts refused at screening: each problem names row, column, value and reason."""

from __future__ import annotations

from collections.abc import Iterable

from ontrack.common.errors import ServiceError
from ontrack.imports.problems import REPORT_LIMIT, Problem


class FactsRejected(ServiceError):
    """The facts were refused; nothing was screened (and nothing was stored).

    A ``ServiceError``, so that a page screening one case shows the reason; the commands
    turn it into exit 2 with ``report()``.
    """

    def __init__(self, source: str, problems: Iterable[Problem]) -> None:
        self.source = source
        self.problems = sorted(problems, key=lambda p: (p.row or 0, p.column, p.reason))
        super().__init__(self.report())

    def report(self, limit: int = REPORT_LIMIT) -> str:
        count = len(self.problems)
        lines = [f"{self.source}: {count} problem{'s' if count != 1 else ''}; nothing was screened"]
        lines += [f"  {p}" for p in self.problems[:limit]]
        if count > limit:
            lines.append(f"  … and {count - limit} more")
        return "\n".join(lines)
