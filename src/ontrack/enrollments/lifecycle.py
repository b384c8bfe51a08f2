"""The enrollment lifecycle as data: states, the transition table, and the guards.

The path a participant walks (BJA fact sheet FS 000316, 2009; PC 1000.8-1000.10): referred →
screened → offered → a community-service trial period → a guilty plea with sentencing
deferred → active in phases → graduated, after which the charges are dismissed and the arrest
sealed. Exits leave from the states where they make sense. ``waitlisted`` is the ordered
waitlist an offer waits on when the program is full.

``TRANSITIONS`` is the one table: services (``enrollments.services.transition``) refuse any
move not in it, and the guards registered here are checked before a move is made. Apps above
this one (``plans``: the plan complete before graduation) register their guards in
``ready()``, so this module never imports upward.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models


class State(models.TextChoices):
    REFERRED = "referred", "Referred"
    SCREENED = "screened", "Screened"
    WAITLISTED = "waitlisted", "On the waitlist"
    OFFERED = "offered", "Offered"
    TRIAL_PERIOD = "trial_period", "Trial period"
    PLEA_ENTERED = "plea_entered", "Plea entered"
    ACTIVE = "active", "Active"
    GRADUATED = "graduated", "Graduated"
    DECLINED = "declined", "Declined the offer"
    INELIGIBLE = "ineligible", "Ineligible"
    TERMINATED = "terminated", "Terminated"
    WITHDRAWN = "withdrawn", "Withdrawn"
    ABSCONDED = "absconded", "Absconded"


S = State

# from → the states it may move to. Exits: ``declined`` only answers an offer; ``ineligible``
# only before anyone is offered a place; ``terminated`` and ``absconded`` only once the
# participant is in the program (trial period onward); ``withdrawn`` (the participant or the
# office ends it by agreement) from any open state before graduation. An absconded participant
# who returns is reinstated (active) or terminated. ``active → active`` is a phase promotion.
TRANSITIONS: dict[State, frozenset[State]] = {
    S.REFERRED: frozenset({S.SCREENED, S.INELIGIBLE, S.WITHDRAWN}),
    S.SCREENED: frozenset({S.OFFERED, S.WAITLISTED, S.INELIGIBLE, S.WITHDRAWN}),
    S.WAITLISTED: frozenset({S.OFFERED, S.INELIGIBLE, S.WITHDRAWN}),
    S.OFFERED: frozenset({S.TRIAL_PERIOD, S.DECLINED, S.WITHDRAWN}),
    S.TRIAL_PERIOD: frozenset({S.PLEA_ENTERED, S.TERMINATED, S.WITHDRAWN, S.ABSCONDED}),
    S.PLEA_ENTERED: frozenset({S.ACTIVE, S.TERMINATED, S.WITHDRAWN, S.ABSCONDED}),
    S.ACTIVE: frozenset({S.ACTIVE, S.GRADUATED, S.TERMINATED, S.WITHDRAWN, S.ABSCONDED}),
    S.ABSCONDED: frozenset({S.ACTIVE, S.TERMINATED}),
    S.GRADUATED: frozenset(),
    S.DECLINED: frozenset(),
    S.INELIGIBLE: frozenset(),
    S.TERMINATED: frozenset(),
    S.WITHDRAWN: frozenset(),
}

FINAL: frozenset[State] = frozenset(state for state, nexts in TRANSITIONS.items() if not nexts)
# The states that hold one of the program's places (capacity): from the offer on.
HOLDS_A_PLACE: frozenset[State] = frozenset(
    {S.OFFERED, S.TRIAL_PERIOD, S.PLEA_ENTERED, S.ACTIVE, S.ABSCONDED}
)
# A participant: someone who has accepted the offer and not yet left.
PARTICIPATING: frozenset[State] = frozenset({S.TRIAL_PERIOD, S.PLEA_ENTERED, S.ACTIVE})


def allowed(from_state: str, to_state: str) -> bool:
    return State(to_state) in TRANSITIONS[State(from_state)]


@dataclass(frozen=True)
class Refusal:
    """Why a guard refuses a move: the field it concerns and a message a person understands;
    ``missing`` lists what must be supplied first (e.g. the facts a screening still needs)."""

    field: str
    message: str
    missing: tuple[str, ...] = ()


# A guard looks at the enrollment (locked, in the service's transaction) and the move's
# arguments and returns the refusals; an empty list lets the move go ahead.
Guard = Callable[[Any, "Move"], list[Refusal]]


@dataclass(frozen=True)
class Move:
    actor: Any
    to_state: State
    reason: str
    on: Any  # the date the move takes effect (datetime.date)
    details: dict[str, Any]
    to_phase: int | None = None  # active → active: the phase promoted to


_GUARDS: dict[State, list[Guard]] = {}


def register_guard(to_state: State, guard: Guard) -> None:
    """Called from an ``AppConfig.ready``; the same guard is registered once."""
    guards = _GUARDS.setdefault(to_state, [])
    if guard not in guards:
        guards.append(guard)


def guards_for(to_state: State) -> tuple[Guard, ...]:
    return tuple(_GUARDS.get(to_state, ()))


def refusals_for(enrollment: Any, move: Move) -> list[Refusal]:
    """Every guard's refusals for the move (empty: it may go ahead). Pages call this to show
    what is missing before anyone presses the button."""
    found: list[Refusal] = []
    for guard in guards_for(move.to_state):
        found.extend(guard(enrollment, move))
    return found


def refusal_problems(refusals: list[Refusal]) -> dict[str, str]:
    problems: dict[str, str] = {}
    for refusal in refusals:
        message = refusal.message
        if refusal.missing:
            message = f"{message}: {', '.join(refusal.missing)}"
        problems[refusal.field] = (
            f"{problems[refusal.field]}; {message}" if refusal.field in problems else message
        )
    return problems


# After a move is made (same transaction): what apps above do in consequence, e.g. ``plans``
# copies the program's plan template into the enrollment when the trial period begins.
# A hook that raises rolls the move back with it.
AfterMove = Callable[[Any, "Move"], None]
_AFTER: dict[State, list[AfterMove]] = {}


def register_after(to_state: State, hook: AfterMove) -> None:
    hooks = _AFTER.setdefault(to_state, [])
    if hook not in hooks:
        hooks.append(hook)


def after_hooks(to_state: State) -> tuple[AfterMove, ...]:
    return tuple(_AFTER.get(to_state, ()))
