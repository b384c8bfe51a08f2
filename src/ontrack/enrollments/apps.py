from collections.abc import Collection
from typing import Any

from django.apps import AppConfig


class EnrollmentsConfig(AppConfig):
    name = "ontrack.enrollments"
    label = "enrollments"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from ontrack.audit import disclosure
        from ontrack.enrollments import guards, lifecycle
        from ontrack.enrollments.panels import Panel, register
        from ontrack.enrollments.timeline import register_kind

        # What happened to a participant and why (a termination's reason, a plea's details)
        # is case information: shown in the audit only to who may see the enrollment
        # (ADR 0033); the action and the time stay visible to every audit reader.
        disclosure.register(
            "enrollments.enrollment", fields=disclosure.ALL, readable=readable_enrollments
        )

        # No offer without an eligible decision in force and a free place (guards.py).
        lifecycle.register_guard(lifecycle.State.OFFERED, guards.decision_guard)
        lifecycle.register_guard(lifecycle.State.OFFERED, guards.place_guard)
        register_kind("sealing_ordered", "Sealing ordered")
        register_kind("sealing_denied", "Sealing denied")

        register(
            Panel(
                page="participant", order=10, slug="status", title="Status",
                template="enrollments/_status.html", context=status_context,
            )
        )  # fmt: skip
        register(
            Panel(
                page="program", order=10, slug="census", title="Enrollments and places",
                template="enrollments/_program.html", context=program_context,
            )
        )  # fmt: skip
        register(
            Panel(
                page="participant",
                order=900,
                slug="timeline",
                title="Timeline",
                template="enrollments/_timeline.html",
                context=timeline_context,
            )
        )


def timeline_context(actor: object, enrollment: object) -> dict[str, object]:
    from ontrack.enrollments.selectors import timeline
    from ontrack.enrollments.timeline import HIDDEN_LABEL, KINDS, readable_sensitive

    found = list(timeline(actor=actor, enrollment_id=enrollment.pk))  # type: ignore[attr-defined]
    readable = readable_sensitive(actor, found)
    entries = []
    for entry in found:
        hidden = entry.sensitive and entry.pk not in readable
        entries.append(
            {
                "entry": entry,
                "label": HIDDEN_LABEL if hidden else KINDS.get(entry.kind, entry.kind),
                # A hidden entry shows no parameters at all (not even "how" a notice went).
                "details": [] if hidden else sorted(entry.parameters.items()),
                "hidden": hidden,
            }
        )
    return {"entries": entries}


def readable_enrollments(actor: object, ids: Collection[str]) -> Collection[str]:
    from ontrack.audit.disclosure import int_ids
    from ontrack.enrollments.selectors import visible_enrollments

    found = visible_enrollments(actor=actor).filter(pk__in=int_ids(ids))
    return [str(pk) for pk in found.values_list("pk", flat=True)]


def status_context(actor: Any, enrollment: Any) -> dict[str, object]:
    """State, phase, since, and a form per allowed move (no query: the data is static)."""
    from ontrack.enrollments.moves import allowed_moves
    from ontrack.enrollments.plea import required_advisements
    from ontrack.enrollments.sealing import sealing_statutes
    from ontrack.enrollments.steps import TerminationReason

    moves = [{"value": s.value, "label": s.label} for s in allowed_moves(enrollment.state)]
    return {
        "enrollment": enrollment,
        "moves": moves,
        "may_move": actor.has_perm("enrollments.move_enrollment"),
        "advisements": required_advisements(),
        "reason_codes": TerminationReason.choices,
        "statutes": sealing_statutes(),
    }


def program_context(actor: Any, program: Any) -> dict[str, object]:
    """Census by state and phase, capacity, places held, the waitlist in order."""
    from ontrack.enrollments.guards import places_held
    from ontrack.enrollments.selectors import census, program_waitlist

    held = places_held(program.pk)
    return {
        "program": program,
        "census": census(actor=actor, program_id=program.pk),
        "held": held,
        "waitlist": program_waitlist(actor=actor, program_id=program.pk),
        "place_free": program.capacity is not None and held < program.capacity,
    }
