"""Enrollments: one person's path through one program, its transitions and its timeline.

The case is the court case the enrollment diverts (``cases.Case``); who may see an
enrollment is who may see its case (``enrollments.selectors``, through
``cases/visibility.py``), so a sealed case takes its enrollment with it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from ontrack.cases.models import Case
from ontrack.common.models import VersionedModel
from ontrack.enrollments.lifecycle import FINAL, State
from ontrack.programs.models import Program


class Enrollment(VersionedModel):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="enrollments")
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="enrollments")
    # A new enrollment starts referred: that is where the path begins, not an unknown fact.
    state = models.CharField(max_length=20, choices=State.choices, default=State.REFERRED)
    state_since = models.DateTimeField()
    # The phase while active (1, 2, ...); NULL before the plea and after leaving.
    phase = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-state_since", "-pk"]
        permissions = [
            ("move_enrollment", "Can move an enrollment along its lifecycle"),
        ]
        constraints = [
            # One open enrollment per case: a second referral of the same case waits for
            # the first to end (graduated, declined, ineligible, terminated, withdrawn).
            models.UniqueConstraint(
                fields=["case"],
                condition=~models.Q(state__in=sorted(s.value for s in FINAL)),
                name="one_open_enrollment_per_case",
            ),
            models.CheckConstraint(
                condition=models.Q(phase__isnull=True) | models.Q(phase__gte=1),
                name="phase_from_one",
            ),
        ]

    def __str__(self) -> str:
        return f"enrollment {self.pk} ({self.state})"


class Transition(models.Model):
    """One move along the lifecycle: who, when, why (append-only; the audit has it too)."""

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(max_length=20, choices=State.choices)
    to_state = models.CharField(max_length=20, choices=State.choices)
    from_phase = models.PositiveSmallIntegerField(null=True, blank=True)
    to_phase = models.PositiveSmallIntegerField(null=True, blank=True)
    # The day the move takes effect (a plea entered yesterday is recorded today).
    effective_on = models.DateField()
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_state} → {self.to_state}"


class TimelineEntry(models.Model):
    """The participant's timeline, like Saleor's ``OrderEvent``: every app that does something
    to an enrollment adds an entry through ``enrollments/timeline.py`` in the same
    transaction, so the page reads one table in date order.

    ``kind`` names what happened (``timeline.KINDS``); ``parameters`` holds what the page
    shows about it, in plain values; ``ref_type``/``ref_id`` point at the record itself
    (a transition, an event, a hearing, a note...).
    """

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="timeline")
    # When it happened (the event's own date, as a day) and when it was recorded.
    occurred_on = models.DateField()
    at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    kind = models.CharField(max_length=40)
    parameters = models.JSONField(default=dict, blank=True)
    ref_type = models.CharField(max_length=40, blank=True)
    ref_id = models.BigIntegerField(null=True, blank=True)
    # Sensitive entries (drug test results) are shown only with the result's own access
    # rule and audited on read (the drugtests app decides; the page asks it).
    sensitive = models.BooleanField(default=False)

    class Meta:
        ordering = ["-occurred_on", "-at", "-pk"]
        indexes = [models.Index(fields=["enrollment", "occurred_on"])]

    def __str__(self) -> str:
        return f"{self.kind} on {self.occurred_on}"


class SealingStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    ORDERED = "ordered", "Ordered"
    DENIED = "denied", "Denied"


class Dismissal(models.Model):
    """The charges dismissed on graduation (PC 1000.3: the court dismisses the charges once
    the participant completes the program), written only by ``sealing.graduate``."""

    enrollment = models.OneToOneField(
        Enrollment, on_delete=models.PROTECT, related_name="dismissal"
    )
    court = models.CharField(max_length=200)
    order_date = models.DateField()
    recorded_at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"dismissal of enrollment {self.enrollment_id} on {self.order_date}"


class SealingRequest(models.Model):
    """The request to seal the arrest once the charges are dismissed (PC 851.90, PC 1000.4),
    opened by graduation; ordered or denied by a supervisor (``sealing.py``)."""

    enrollment = models.ForeignKey(Enrollment, on_delete=models.PROTECT, related_name="sealings")
    statute = models.CharField(max_length=40)  # a code from sealing_statutes.yaml
    status = models.CharField(
        max_length=20, choices=SealingStatus.choices, default=SealingStatus.REQUESTED
    )
    requested_on = models.DateField()
    order_date = models.DateField(null=True, blank=True)  # ordered or denied on
    decision_reason = models.TextField(blank=True)
    row_version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["requested_on", "pk"]
        permissions = [("decide_sealing", "Can order or deny the sealing of an arrest")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="requested", order_date__isnull=True)
                | (~models.Q(status="requested") & models.Q(order_date__isnull=False)),
                name="sealing_decided_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"sealing {self.statute} ({self.status})"
