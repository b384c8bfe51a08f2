from django.apps import AppConfig


class EnrollmentsConfig(AppConfig):
    name = "ontrack.enrollments"
    label = "enrollments"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from ontrack.enrollments import guards, lifecycle
        from ontrack.enrollments.panels import Panel, register
        from ontrack.enrollments.timeline import register_kind

        # No offer without an eligible decision in force and a free place (guards.py).
        lifecycle.register_guard(lifecycle.State.OFFERED, guards.decision_guard)
        lifecycle.register_guard(lifecycle.State.OFFERED, guards.place_guard)
        register_kind("sealing_ordered", "Sealing ordered")
        register_kind("sealing_denied", "Sealing denied")

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
