"""The court calendar of progress hearings (BJA FS 000316: about three a month early on).

A hearing is scheduled for a participant; whether they came is an event
(``plans.Event`` kinds ``hearing_attended`` / ``hearing_missed``, pointing here), so
compliance and responses read it like every other event. Reminders are added by this app.
"""

from __future__ import annotations

from django.db import models

from ontrack.common.models import VersionedModel
from ontrack.enrollments.models import Enrollment


class HearingStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    CANCELLED = "cancelled", "Cancelled"
    HELD = "held", "Held"


class Hearing(VersionedModel):
    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="hearings")
    starts_at = models.DateTimeField()
    court = models.CharField(max_length=100)
    department = models.CharField(max_length=40, blank=True)  # "" not given
    status = models.CharField(
        max_length=20, choices=HearingStatus.choices, default=HearingStatus.SCHEDULED
    )

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["starts_at"])]
        permissions = [
            ("schedule_hearing", "Can schedule, move and cancel hearings"),
            ("send_reminders", "Can send due hearing reminders"),
        ]

    def __str__(self) -> str:
        return f"hearing {self.pk} at {self.starts_at:%Y-%m-%d %H:%M}"


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    SMS = "sms", "Text message"


class ReminderKind(models.TextChoices):
    # When a reminder goes out (issue 10): when the hearing is set, a week before, a day before.
    AT_SCHEDULING = "at_scheduling", "When scheduled"
    WEEK_BEFORE = "week_before", "7 days before"
    DAY_BEFORE = "day_before", "1 day before"


class ReminderStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SENT = "sent", "Sent"
    SKIPPED = "skipped", "Skipped"
    FAILED = "failed", "Failed"


class ContactPreference(VersionedModel):
    """How a participant wants to hear from the program: the language and, per channel,
    whether they opted out (an act the participant takes; TCPA consent for texts), recorded
    with ``services.record_contact_preference``. The phone and email are the person's own
    (``people.Person``), one place each; a channel with no address is skipped, saying why."""

    person = models.OneToOneField(
        "people.Person", on_delete=models.CASCADE, related_name="contact_preference"
    )
    language = models.CharField(max_length=10, blank=True)  # "" not known → English
    email_opt_out = models.BooleanField(default=False)
    sms_opt_out = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"contact preference of person {self.person_id}"


class Reminder(models.Model):
    """One reminder of one hearing on one channel, and what became of it."""

    hearing = models.ForeignKey(Hearing, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    # The hearing time this reminder announces: if the hearing moves, the reminder is stale.
    for_starts_at = models.DateTimeField()
    due_at = models.DateTimeField()
    status = models.CharField(
        max_length=10, choices=ReminderStatus.choices, default=ReminderStatus.PENDING
    )
    reason = models.CharField(max_length=200, blank=True)  # why skipped
    error = models.CharField(max_length=500, blank=True)  # why it failed
    language = models.CharField(max_length=10, blank=True)  # the template language used
    fell_back = models.BooleanField(null=True)  # English used for another language
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["due_at", "pk"]
        indexes = [models.Index(fields=["status", "due_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.channel} reminder of hearing {self.hearing_id}"
