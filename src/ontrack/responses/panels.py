"""The responses panels: the participant's events awaiting a decision (with the matrix's
suggestions and the form that records one) and the program's fidelity figures."""

from __future__ import annotations

from typing import Any

from ontrack.common.site import office_today
from ontrack.responses import selectors
from ontrack.responses.fidelity import TARGET_RATIO
from ontrack.responses.models import ResponseKind


def participant_context(actor: Any, enrollment: Any) -> dict[str, Any]:
    return {
        "awaiting": selectors.awaiting_with_suggestions(actor=actor, enrollment=enrollment),
        "may_record": actor.has_perm("responses.record_response"),
        "kinds": ResponseKind.choices,
        "today": office_today(),
    }


def program_context(actor: Any, program: Any) -> dict[str, Any]:
    return {"figures": selectors.fidelity_of(actor=actor, program=program),
            "target": TARGET_RATIO}  # fmt: skip
