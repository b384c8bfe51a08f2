from django.apps import AppConfig


class EnrollmentsConfig(AppConfig):
    name = "ontrack.enrollments"
    label = "enrollments"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from ontrack.enrollments.panels import Panel, register

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
