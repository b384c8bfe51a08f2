from typing import Any

from django.apps import AppConfig


class HearingsConfig(AppConfig):
    name = "ontrack.hearings"
    label = "hearings"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from ontrack.enrollments.panels import Panel, register
        from ontrack.enrollments.timeline import register_kind

        register_kind("hearing.scheduled", "Hearing scheduled")
        register_kind("hearing.rescheduled", "Hearing moved")
        register_kind("hearing.cancelled", "Hearing cancelled")
        register_kind("hearing.held", "Hearing held")
        register_kind("hearing.contact_preference", "Contact preferences recorded")
        register(Panel(page="participant", order=300, slug="hearings", title="Hearings",
                       template="hearings/_hearings.html", context=hearings_context))  # fmt: skip
        register(Panel(page="day", order=100, slug="todays-hearings", title="Today's hearings",
                       template="hearings/_today.html", context=today_context))  # fmt: skip


def hearings_context(actor: Any, enrollment: Any) -> dict[str, Any]:
    from ontrack.hearings.selectors import hearings_of

    rows = [
        {"hearing": h, "sent": sum(1 for r in h.reminders.all() if r.status == "sent")}
        for h in hearings_of(actor=actor, enrollment_id=enrollment.pk)
    ]
    return {"hearings": rows, "enrollment_id": enrollment.pk,
            "can_change": actor.has_perm("hearings.schedule_hearing")}  # fmt: skip


def today_context(actor: Any, today: Any) -> dict[str, Any]:
    from ontrack.hearings.selectors import calendar

    return {"hearings": list(calendar(actor=actor, start=today, caseload_only=True))}
