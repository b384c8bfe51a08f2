"""Facts refused at screening: each problem names row, column, value and reason."""

from __future__ import annotations

from ontrack.common.errors import ServiceError
from ontrack.ingest.problems import InputRejected


class FactsRejected(InputRejected, ServiceError):
    """The facts were refused; nothing was screened (and nothing was stored).

    The ingest layer's refusal (one report format for every input) and a ``ServiceError``,
    so that a page screening one case shows the reason; the commands turn it into exit 2
    with ``report()``.
    """

    outcome = "nothing was screened"

    @property
    def source(self) -> str:
        return self.name
