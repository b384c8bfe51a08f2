from collections.abc import Collection

from django.apps import AppConfig


class EnrollmentsConfig(AppConfig):
    name = "ontrack.enrollments"
    label = "enrollments"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from ontrack.audit import disclosure
        from ontrack.enrollments.panels import Panel, register

        # What happened to a participant and why (a termination's reason, a plea's details)
        # is case information: shown in the audit only to who may see the enrollment
        # (ADR 0033); the action and the time stay visible to every audit reader.
        disclosure.register(
            "enrollments.enrollment", fields=disclosure.ALL, readable=readable_enrollments
        )

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
    from ontrack.enrollments.timeline import KINDS

    entries = [
        {"entry": entry, "label": KINDS.get(entry.kind, entry.kind)}
        for entry in timeline(actor=actor, enrollment_id=enrollment.pk)  # type: ignore[attr-defined]
    ]
    return {"entries": entries}


def readable_enrollments(actor: object, ids: Collection[str]) -> Collection[str]:
    from ontrack.audit.disclosure import int_ids
    from ontrack.enrollments.selectors import visible_enrollments

    found = visible_enrollments(actor=actor).filter(pk__in=int_ids(ids))
    return [str(pk) for pk in found.values_list("pk", flat=True)]
