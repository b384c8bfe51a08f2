"""Sending due reminders: re-checked when due, in the participant's language, opt-outs
honoured, every outcome recorded."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command

from ontrack.audit.models import AuditEvent
from ontrack.hearings import services
from ontrack.hearings.models import Reminder
from ontrack.hearings.reminders import send_due_reminders
from ontrack.hearings.sms import FileSmsBackend

pytestmark = pytest.mark.django_db
STARTS = dt.datetime(2026, 3, 12, 17, 30, tzinfo=dt.UTC)


@pytest.fixture
def sms_dir(settings: Any, tmp_path: Path) -> Path:
    settings.ONTRACK_SMS_BACKEND = "ontrack.hearings.sms.FileSmsBackend"
    settings.ONTRACK_SMS_FILE_PATH = str(tmp_path / "sms")
    settings.TIME_ZONE = "America/Los_Angeles"
    return tmp_path / "sms"


def _texts(directory: Path) -> list[dict[str, str]]:
    return [json.loads(p.read_text()) for p in sorted(directory.glob("*.json"))]


def _schedule(actor: Any, enrollment: Any) -> Any:
    return services.schedule_hearing(actor=actor, enrollment_id=enrollment.pk, starts_at=STARTS,
                                     court="SF Superior Court", department="Dept. 17")  # fmt: skip


def _statuses() -> list[tuple[str, str, str, str]]:
    return list(
        Reminder.objects.order_by("due_at", "channel", "pk").values_list(
            "kind", "channel", "status", "reason"
        )
    )


def test_the_first_reminder_goes_out_at_once_in_english(
    clock: Any, case_manager: Any, system: Any, enrollment: Any, sms_dir: Path
) -> None:
    _schedule(case_manager, enrollment)
    assert send_due_reminders(actor=system) == {"sent": 2}
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["ana@example.org"], "Court date reminder: 2026-03-12")
    ]
    assert _texts(sms_dir) == [{
        "to": "415-555-0100",
        "body": "Back on Track: court date 2026-03-12 10:30, SF Superior Court, Dept. 17. "
                "Call your case manager if you cannot attend.",
    }]  # fmt: skip
    sent = Reminder.objects.filter(status="sent")
    assert list(sent.values_list("language", "fell_back", "attempts", "sent_at")) == [
        ("en", False, 1, clock.at), ("en", False, 1, clock.at),
    ]  # fmt: skip
    assert AuditEvent.objects.filter(action="hearing.reminders_sent").count() == 1
    assert send_due_reminders(actor=system) == {}  # nothing due twice


def test_spanish_and_an_opt_out(
    clock: Any, case_manager: Any, system: Any, enrollment: Any, sms_dir: Path
) -> None:
    services.record_contact_preference(
        actor=case_manager, enrollment_id=enrollment.pk, language="es",
        email_opt_out=False, sms_opt_out=True,
    )  # fmt: skip
    _schedule(case_manager, enrollment)
    assert send_due_reminders(actor=system) == {"sent": 1, "skipped": 1}
    assert [m.subject for m in mail.outbox] == ["Recordatorio de audiencia: 2026-03-12"]
    assert mail.outbox[0].body.startswith("Hola Ana, le recordamos")
    assert _texts(sms_dir) == []
    assert _statuses()[:2] == [
        ("at_scheduling", "email", "sent", ""),
        ("at_scheduling", "sms", "skipped", "the participant opted out of text messages"),
    ]


def test_a_language_without_wording_falls_back_to_english_and_says_so(
    clock: Any, case_manager: Any, system: Any, enrollment: Any, sms_dir: Path
) -> None:
    from ontrack.hearings.models import ContactPreference

    # A language recorded before its wording was removed from the data file.
    ContactPreference.objects.create(person=enrollment.case.defendant, language="tl")
    _schedule(case_manager, enrollment)
    send_due_reminders(actor=system)
    assert set(Reminder.objects.filter(status="sent").values_list("language", "fell_back")) == {
        ("en", True)
    }


def test_moved_and_cancelled_hearings_skip_their_stale_reminders(
    clock: Any, case_manager: Any, system: Any, enrollment: Any, sms_dir: Path
) -> None:
    hearing = _schedule(case_manager, enrollment)
    send_due_reminders(actor=system)
    later = dt.datetime(2026, 3, 19, 17, 30, tzinfo=dt.UTC)
    services.reschedule_hearing(actor=case_manager, hearing_id=hearing.pk, starts_at=later,
                                reason="court closed", expected_version=1)  # fmt: skip
    clock.at = dt.datetime(2026, 3, 5, 18, 0, tzinfo=dt.UTC)  # past the old week-before
    counts = send_due_reminders(actor=system)
    assert counts == {"sent": 2, "skipped": 2}  # the new at-scheduling pair, the old week pair
    assert Reminder.objects.filter(
        for_starts_at=STARTS, kind="week_before", status="skipped",
        reason="the hearing was moved; the new time has its own reminders",
    ).count() == 2  # fmt: skip
    services.cancel_hearing(actor=case_manager, hearing_id=hearing.pk, reason="dismissed",
                            expected_version=2)  # fmt: skip
    clock.at = dt.datetime(2026, 3, 18, 18, 0, tzinfo=dt.UTC)
    assert send_due_reminders(actor=system) == {"skipped": 6}
    assert set(Reminder.objects.filter(status="skipped", due_at__gt=dt.datetime(
        2026, 3, 6, tzinfo=dt.UTC)).values_list("reason", flat=True)) == {
        "the hearing was cancelled"
    }  # fmt: skip
    assert len(mail.outbox) == 2  # the first, the new time's first; nothing after cancelling


class Broken(FileSmsBackend):
    def send(self, *, to: str, body: str) -> None:
        raise ConnectionError("provider down")


def test_a_failing_provider_is_retried_then_marked_failed(
    clock: Any, case_manager: Any, system: Any, enrollment: Any, settings: Any
) -> None:
    settings.ONTRACK_SMS_BACKEND = f"{__name__}.Broken"
    _schedule(case_manager, enrollment)
    assert send_due_reminders(actor=system) == {"sent": 1, "pending": 1}
    assert send_due_reminders(actor=system) == {"pending": 1}
    assert send_due_reminders(actor=system) == {"failed": 1}
    failed = Reminder.objects.get(status="failed")
    assert (failed.channel, failed.attempts, failed.error) == (
        "sms", 3, "ConnectionError: provider down",
    )  # fmt: skip


def test_no_address_is_skipped_saying_so(
    clock: Any, case_manager: Any, system: Any, enrollment: Any, sms_dir: Path
) -> None:
    person = enrollment.case.defendant
    person.email, person.phone = "", ""
    person.save()
    _schedule(case_manager, enrollment)
    assert send_due_reminders(actor=system) == {"skipped": 2}
    assert {r[3] for r in _statuses()[:2]} == {"no email address on record",
                                               "no phone number on record"}  # fmt: skip


def test_a_case_manager_cannot_send_reminders(case_manager: Any) -> None:
    from ontrack.common.services import Forbidden

    with pytest.raises(Forbidden):
        send_due_reminders(actor=case_manager)


# The database worker closes its connection between tasks, as a long-running worker must;
# on PostgreSQL that ends a test's wrapping transaction, so this test commits for real.
@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_once_through_the_task_queue(
    clock: Any, case_manager: Any, enrollment: Any, sms_dir: Path, settings: Any
) -> None:
    _schedule(case_manager, enrollment)
    call_command("worker", "--once", verbosity=0)
    assert Reminder.objects.filter(status="sent").count() == 2
    assert AuditEvent.objects.get(action="hearing.reminders_sent").source == "system"
