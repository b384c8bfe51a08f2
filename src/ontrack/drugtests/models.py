"""Drug testing as the standards require (All Rise Adult Treatment Court Best Practice
Standards, Standard VII, Drug and Alcohol Testing): random, unpredictable days, weekends and
holidays included; notice recorded; results through the plans event door; disputed positive
screens confirmed by a laboratory.

The result itself lives in ``plans.Event`` (the one event door); a ``TestDay`` links to it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from ontrack.enrollments.models import Enrollment
from ontrack.plans.models import Event


class TestDay(models.Model):
    """A day drawn for a test. ``event`` is the result once recorded (NULL: not yet)."""

    __test__ = False  # not a pytest class

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="test_days")
    day = models.DateField()
    drawn_at = models.DateTimeField()
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    event = models.ForeignKey(
        Event, on_delete=models.PROTECT, null=True, blank=True, related_name="test_days"
    )

    class Meta:
        ordering = ["enrollment", "day"]
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "day"], name="one_test_day_per_day")
        ]
        indexes = [models.Index(fields=["day", "enrollment"])]
        permissions = [
            ("view_result", "Can read drug-test results"),
            ("record_result", "Can draw test days and record drug-test results"),
        ]

    def __str__(self) -> str:
        return f"test day {self.day}"


class NoticeHow(models.TextChoices):
    CALL_IN_LINE = "call_in_line", "Called the call-in line"
    PHONE = "phone", "Told by phone"
    TEXT = "text", "Told by text message"
    IN_PERSON = "in_person", "Told in person"


class Notice(models.Model):
    """The participant was told of (or called in for) a test day."""

    test_day = models.ForeignKey(TestDay, on_delete=models.CASCADE, related_name="notices")
    how = models.CharField(max_length=20, choices=NoticeHow.choices)
    at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["test_day", "at"]

    def __str__(self) -> str:
        return f"notice {self.how} at {self.at}"


class Method(models.TextChoices):
    GC_MS = "GC-MS", "Gas chromatography-mass spectrometry"
    LC_MS = "LC-MS", "Liquid chromatography-mass spectrometry"


class ConfirmationResult(models.TextChoices):
    POSITIVE = "positive", "Confirmed positive"
    NEGATIVE = "negative", "Confirmed negative"


class Confirmation(models.Model):
    """A laboratory confirmation of a positive screen the participant disputes (Standard
    VII: a disputed screen is confirmed by GC-MS or LC-MS before it is relied upon).

    ``result`` blank: requested, not yet reported. ``corrected_event``: the negative event
    recorded when a confirmed negative overturned the screen."""

    event = models.OneToOneField(Event, on_delete=models.PROTECT, related_name="confirmation")
    requested_at = models.DateTimeField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    lab = models.CharField(max_length=200, blank=True)
    method = models.CharField(max_length=10, choices=Method.choices, blank=True)
    result = models.CharField(max_length=10, choices=ConfirmationResult.choices, blank=True)
    reported_on = models.DateField(null=True, blank=True)
    corrected_event = models.OneToOneField(
        Event, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"confirmation of event {self.event_id}"
