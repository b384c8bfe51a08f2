from django.apps import AppConfig


class NotesConfig(AppConfig):
    name = "ontrack.notes"
    label = "notes"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from ontrack.enrollments.panels import Panel, register
        from ontrack.enrollments.timeline import register_kind

        register_kind("note.added", "Note added")
        register_kind("note.edited", "Note edited")
        register_kind("document.added", "Document added")
        register(Panel(page="participant", order=700, slug="notes", title="Notes",
                       template="notes/_notes.html", context=notes_context))  # fmt: skip
        register(Panel(page="participant", order=710, slug="documents", title="Documents",
                       template="notes/_documents.html", context=documents_context))  # fmt: skip


def notes_context(actor: object, enrollment: object) -> dict[str, object]:
    from ontrack.notes.selectors import notes_of

    pk = enrollment.pk  # type: ignore[attr-defined]
    return {"notes": list(notes_of(actor=actor, enrollment_id=pk)), "enrollment": enrollment}


def documents_context(actor: object, enrollment: object) -> dict[str, object]:
    from ontrack.notes.selectors import documents_of

    pk = enrollment.pk  # type: ignore[attr-defined]
    return {"documents": list(documents_of(actor=actor, enrollment_id=pk)),
            "enrollment": enrollment}  # fmt: skip
