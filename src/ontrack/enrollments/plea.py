"""The plea: the trial period over, the participant pleads guilty with sentencing deferred
(PC 1000.8-1000.10; BJA fact sheet FS 000316) and then becomes active in phase 1.

The advisements the court must give before the plea are program data
(``advisements.yaml``, ADR 0078): the immigration-consequences advisement of PC 1016.5,
the Boykin/Tahl waivers (self-incrimination, confrontation, jury trial) and the program's
terms. A plea is refused while any of them is not recorded with who gave it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from django.db import transaction

from ontrack.common.errors import ValidationFailed
from ontrack.common.yamlfiles import load_yaml
from ontrack.enrollments.lifecycle import State
from ontrack.enrollments.models import Transition
from ontrack.enrollments.services import move_enrollment

MAX_TEXT = 200


@dataclass(frozen=True)
class Advisement:
    code: str
    label: str
    citation: str


@cache
def required_advisements() -> tuple[Advisement, ...]:
    """The required advisements, in the order the court gives them (read once)."""
    raw = resources.files("ontrack.enrollments").joinpath("advisements.yaml").read_bytes()
    doc = load_yaml(raw)
    return tuple(
        Advisement(code=str(a["code"]), label=str(a["label"]), citation=str(a["citation"]))
        for a in doc["advisements"]
    )


def _text(value: str | None, field: str, what: str, problems: dict[str, str]) -> str:
    text = " ".join((value or "").split())
    if not text:
        problems[field] = f"say {what}"
    elif len(text) > MAX_TEXT:
        problems[field] = f"{what} is at most {MAX_TEXT} characters"
    return text


@transaction.atomic
def record_plea(
    *,
    actor: Any,
    enrollment_id: int,
    on: dt.date,
    court: str,
    judge: str,
    defense_attorney: str,
    interpreter: str = "",
    language: str = "",
    advisements: dict[str, str],
    reason: str = "Guilty plea entered, sentencing deferred",
) -> Transition:
    """trial period → plea entered, with the court, the judge, defense counsel, the
    interpreter and language (both or neither) and who gave each required advisement."""
    problems: dict[str, str] = {}
    details: dict[str, Any] = {
        "court": _text(court, "court", "which court took the plea", problems),
        "judge": _text(judge, "judge", "which judge took the plea", problems),
        "defense_attorney": _text(
            defense_attorney, "defense_attorney", "who was defense counsel", problems
        ),
    }
    interpreter, language = " ".join(interpreter.split()), " ".join(language.split())
    if interpreter and not language:
        problems["language"] = "an interpreter interprets a language: say which"
    if language and not interpreter:
        problems["interpreter"] = "say who interpreted into that language"
    details["interpreter"], details["language"] = interpreter, language
    given = {code: " ".join(by.split()) for code, by in advisements.items()}
    required = [a.code for a in required_advisements()]
    unknown = sorted(set(given) - set(required))
    if unknown:
        problems["advisements"] = f"not an advisement of the program: {', '.join(unknown)}"
    missing = [a.label for a in required_advisements() if not given.get(a.code)]
    if missing:
        problems["advisements"] = "the plea needs these advisements first: " + "; ".join(missing)
    if problems:
        raise ValidationFailed(problems)
    details["advisements"] = {code: given[code] for code in required}
    return move_enrollment(
        actor=actor, enrollment_id=enrollment_id, to_state=State.PLEA_ENTERED, reason=reason,
        on=on, details=details,
    )  # fmt: skip


@transaction.atomic
def begin_phase_one(*, actor: Any, enrollment_id: int, on: dt.date, reason: str) -> Transition:
    """plea entered → active, phase 1 (the engine sets the phase)."""
    return move_enrollment(
        actor=actor, enrollment_id=enrollment_id, to_state=State.ACTIVE, reason=reason, on=on
    )
