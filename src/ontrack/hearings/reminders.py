"""Hearing reminders: when they are due, what they say, and sending the due ones.

Reminders reduce failures to appear (All Rise Standard III; BJA FS 000316 makes attendance
at status hearings a condition of the program). They are planned as rows when a hearing is
scheduled or moved (``plan_reminders``) and sent by ``send_due_reminders``, which the worker
runs (ADR 0087). Each reminder is re-checked when it is sent: a cancelled or held hearing,
or one moved since the reminder was planned, is skipped and the reason is recorded.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from importlib import resources
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from ontrack.audit.services import record_event
from ontrack.common.services import ensure_permission
from ontrack.common.yamlfiles import load_yaml
from ontrack.hearings.models import (
    Channel,
    ContactPreference,
    Hearing,
    HearingStatus,
    Reminder,
    ReminderKind,
    ReminderStatus,
)
from ontrack.hearings.sms import get_backend

# Before the hearing: a week and a day (issue 10); the first goes out when it is scheduled.
OFFSETS: dict[ReminderKind, dt.timedelta] = {
    ReminderKind.WEEK_BEFORE: dt.timedelta(days=7),
    ReminderKind.DAY_BEFORE: dt.timedelta(days=1),
}
FALLBACK = "en"
MAX_ATTEMPTS = 3


@cache
def templates() -> dict[str, dict[str, str]]:
    raw = resources.files("ontrack.hearings").joinpath("reminders.yaml").read_text()
    loaded: dict[str, dict[str, str]] = load_yaml(raw)
    return loaded


LANGUAGES: frozenset[str] = frozenset(templates())


def plan_reminders(hearing: Hearing, *, now: dt.datetime) -> list[Reminder]:
    """The reminders of the hearing at its current time, on every channel (one that cannot be
    used is skipped when due, saying why). Called inside the scheduling service."""
    due = {ReminderKind.AT_SCHEDULING: now}
    for kind, before in OFFSETS.items():
        if hearing.starts_at - before > now:  # a week-before reminder of a hearing in 3 days
            due[kind] = hearing.starts_at - before
    return Reminder.objects.bulk_create(
        Reminder(hearing=hearing, kind=kind, channel=channel, due_at=at,
                 for_starts_at=hearing.starts_at)
        for kind, at in due.items()
        for channel in Channel
    )  # fmt: skip


def render(hearing: Hearing, first_name: str, language: str) -> tuple[dict[str, str], str, bool]:
    """(subject, body, sms) in the language, the language used, and whether it fell back."""
    chosen = language if language in templates() else FALLBACK
    local = timezone.localtime(hearing.starts_at)
    where = f"{hearing.court}, {hearing.department}" if hearing.department else hearing.court
    values = {"name": first_name, "date": local.strftime("%Y-%m-%d"),
              "time": local.strftime("%H:%M"), "where": where}  # fmt: skip
    texts = {key: text.format(**values) for key, text in templates()[chosen].items()}
    return texts, chosen, bool(language) and chosen != language


def _stale(reminder: Reminder) -> str:
    hearing = reminder.hearing
    if hearing.status == HearingStatus.CANCELLED:
        return "the hearing was cancelled"
    if hearing.status == HearingStatus.HELD:
        return "the hearing was held"
    if hearing.starts_at != reminder.for_starts_at:
        return "the hearing was moved; the new time has its own reminders"
    if hearing.starts_at <= timezone.now():
        return "the hearing has started"
    return ""


def _unusable(reminder: Reminder, person: Any, preference: ContactPreference | None) -> str:
    if reminder.channel == Channel.EMAIL:
        if not person.email:
            return "no email address on record"
        if preference is not None and preference.email_opt_out:
            return "the participant opted out of email"
    else:
        if not person.phone:
            return "no phone number on record"
        if preference is not None and preference.sms_opt_out:
            return "the participant opted out of text messages"
    return ""


def _deliver(reminder: Reminder, person: Any, language: str) -> None:
    texts, used, fell_back = render(reminder.hearing, person.given_name, language)
    reminder.language, reminder.fell_back = used, fell_back
    if reminder.channel == Channel.EMAIL:
        send_mail(texts["subject"], texts["body"], settings.DEFAULT_FROM_EMAIL, [person.email])
    else:
        get_backend().send(to=person.phone, body=texts["sms"])


def _send_one(reminder: Reminder) -> None:
    person = reminder.hearing.enrollment.case.defendant
    preference = ContactPreference.objects.filter(person_id=person.pk).first()
    reason = _stale(reminder) or _unusable(reminder, person, preference)
    if reason:
        reminder.status, reminder.reason = ReminderStatus.SKIPPED, reason
        return
    reminder.attempts += 1
    try:
        _deliver(reminder, person, preference.language if preference else "")
    except Exception as exc:  # any provider failure is recorded on the reminder, not raised
        reminder.error = f"{type(exc).__name__}: {exc}"[:500]
        if reminder.attempts >= MAX_ATTEMPTS:
            reminder.status = ReminderStatus.FAILED
        return
    reminder.status, reminder.sent_at, reminder.error = ReminderStatus.SENT, timezone.now(), ""


@transaction.atomic
def send_due_reminders(*, actor: Any, now: dt.datetime | None = None) -> dict[str, int]:
    """Send every pending reminder due by ``now``; returns how many ended in each status (a
    failed attempt stays pending until ``MAX_ATTEMPTS``). Machine work: it reads no record for
    a person, so it goes through no visibility filter; the system account runs it."""
    ensure_permission(actor, "hearings.send_reminders")
    now = now or timezone.now()
    due = list(
        Reminder.objects.select_for_update(of=("self",), skip_locked=True)
        .select_related("hearing__enrollment__case__defendant")
        .filter(status=ReminderStatus.PENDING, due_at__lte=now)
        .order_by("due_at", "pk")
    )
    counts: dict[str, int] = {}
    for reminder in due:
        _send_one(reminder)
        counts[reminder.status] = counts.get(reminder.status, 0) + 1
    Reminder.objects.bulk_update(
        due, ["status", "reason", "error", "language", "fell_back", "sent_at", "attempts"]
    )
    if due:
        record_event(actor=actor, action="hearing.reminders_sent", object_type="hearings.reminder",
                     object_id=due[0].pk,
                     details={"reminders": [r.pk for r in due], "counts": counts})  # fmt: skip
    return counts
