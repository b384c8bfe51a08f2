"""Whether the site holds synthetic data, for the footer (``base.html``).

The synthetic loader records ``synthetic_caseload.loaded`` in the change stream
(``synth/load.py``), and the audit trail is append-only (CJIS AU-9): once synthetic people
have been loaded the event cannot disappear, so the footer's claim cannot be lost by
accident. A site that never ran the loader makes no such claim. (A synthetic CSV imported
with ``ontrack import`` is an import like any other and is not marked.)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import DatabaseError
from django.http import HttpRequest

from ontrack.audit.models import AuditEvent

LOADED = "synthetic_caseload.loaded"


def holds_synthetic_data() -> bool:
    """One indexed lookup (``action`` is indexed). No actor: it reveals no record, only
    whether the demo loader ever ran, which the footer tells everyone, signed in or not."""
    try:
        return AuditEvent.objects.filter(action=LOADED).exists()
    except DatabaseError:
        # The page that says an access could not be recorded must still render; without an
        # answer, make no claim either way (unknown is not yes).
        return False


def synthetic_data(request: HttpRequest) -> dict[str, Callable[[], Any]]:
    """A callable, so the query runs only when a template asks (once: ``base.html``)."""
    return {"synthetic_data": holds_synthetic_data}
