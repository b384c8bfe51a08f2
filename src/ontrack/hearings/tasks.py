"""Background work (Django's tasks framework, the ``django-tasks`` backport; ADR 0087)."""

from __future__ import annotations

from django_tasks import task


@task()
def send_due_reminders_task() -> dict[str, int]:
    """Send the reminders due now, as the system account (``ontrack worker`` enqueues it)."""
    from ontrack.accounts.services import system_actor
    from ontrack.audit.context import origin
    from ontrack.hearings.reminders import send_due_reminders

    with origin("system"):
        return send_due_reminders(actor=system_actor())
