"""The participant's plan and the events that record what happened.

Compliance is never typed in: it is derived from these events per requirement
(``plans/compliance.py``). An event is corrected by voiding it with a reason and recording
the right one, so what was believed when stays readable.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from ontrack.common.models import VersionedModel
from ontrack.enrollments.models import Enrollment
from ontrack.hearings.models import Hearing
from ontrack.programs.models import Program


class RequirementKind(models.TextChoices):
    """What a Personal Responsibility Plan asks (BJA FS 000316): work or school, community
    service, classes, child support, progress hearings, case-manager contacts, drug tests,
    and the phases with their promotion criteria."""

    EMPLOYMENT_OR_SCHOOL = "employment_or_school", "Employment or school"
    COMMUNITY_SERVICE = "community_service", "Community service"
    CLASS = "class", "Class"
    CHILD_SUPPORT = "child_support", "Child support"
    HEARINGS = "hearings", "Court progress hearings"
    CONTACTS = "contacts", "Contacts with the case manager"
    DRUG_TESTS = "drug_tests", "Drug tests"
    PHASES = "phases", "Phases"


class PlanTemplate(models.Model):
    """A program's plan, as data: versioned, never edited in place (each edit is a new
    version, with who, when and why), so what a participant was given stays readable.
    ``requirements`` is a list of ``{kind, label, parameters}`` checked by ``plans/kinds.py``."""

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="plan_templates")
    version = models.PositiveIntegerField()
    requirements = models.JSONField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    reason = models.TextField()

    class Meta:
        ordering = ["program", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["program", "version"], name="one_template_version")
        ]
        permissions = [("manage_template", "Can publish a program's plan template")]

    def __str__(self) -> str:
        return f"plan template {self.program_id} v{self.version}"


class Requirement(VersionedModel):
    """One requirement of one participant's plan, copied from the program's plan template
    and adjustable per participant with a reason (the plans services keep the history).

    ``parameters`` holds the kind's targets as plain values; the plans app validates them.
    For ``drug_tests``: ``{"per_week_by_phase": {"1": 2, "2": 1}, "missed_counts_as":
    "positive" | "missed", "dilute_counts_as": "positive" | "negative" | "dilute"}``
    (each program decides how missed and dilute tests count; ``plans/rules.py`` reads it).
    """

    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, related_name="requirements"
    )
    kind = models.CharField(max_length=30, choices=RequirementKind.choices)
    label = models.CharField(max_length=200)  # "Parenting class", "220 hours of community service"
    parameters = models.JSONField(default=dict, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    # The plan template version it was copied from; NULL when added by hand.
    template_version = models.PositiveIntegerField(null=True, blank=True)
    # The day it began to count (the trial period's first day; the day it was added by hand).
    starts_on = models.DateField(null=True, blank=True)
    # Removed with a reason (``RequirementChange``): kept for the history, no longer counts.
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["enrollment", "position", "pk"]
        permissions = [("adjust_requirement", "Can adjust a participant's plan")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.label}"


class RequirementChange(models.Model):
    """The history of one participant's requirement: added, adjusted or removed, with the
    before and after, who, when and why (a removed requirement is kept, ``removed_at`` set)."""

    requirement = models.ForeignKey(Requirement, on_delete=models.CASCADE, related_name="changes")
    action = models.CharField(max_length=20)  # "added" | "adjusted" | "removed"
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    reason = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.action} {self.requirement_id}"


class EventKind(models.TextChoices):
    WORK_HOURS = "work_hours", "Hours worked"
    SCHOOL_HOURS = "school_hours", "Hours at school"
    SERVICE_HOURS = "service_hours", "Community service hours"
    CONTACT = "contact", "Contact with the case manager"
    DRUG_TEST = "drug_test", "Drug test"
    HEARING_ATTENDED = "hearing_attended", "Hearing attended"
    HEARING_MISSED = "hearing_missed", "Hearing missed"
    CLASS_ATTENDED = "class_attended", "Class attended"
    CLASS_COMPLETED = "class_completed", "Class completed"
    CHILD_SUPPORT_PAID = "child_support_paid", "Child support paid"
    EMPLOYMENT_VERIFIED = "employment_verified", "Employment verified"
    SCHOOL_VERIFIED = "school_verified", "Full-time school verified"
    NEW_ARREST = "new_arrest", "New arrest"


class TestResult(models.TextChoices):
    NEGATIVE = "negative", "Negative"
    POSITIVE = "positive", "Positive"
    DILUTE = "dilute", "Dilute"
    MISSED = "missed", "Missed"


class Event(models.Model):
    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=30, choices=EventKind.choices)
    occurred_on = models.DateField()
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Hours (work, school, community service); NULL for kinds that have none.
    hours = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    # Who verified it (an employer, a school, the service site) and how; "" not verified.
    verified_by = models.CharField(max_length=200, blank=True)
    verification = models.CharField(max_length=200, blank=True)
    # Drug tests: the result and, when positive, the substance ("" unknown / not positive).
    result = models.CharField(max_length=20, choices=TestResult.choices, blank=True)
    substance = models.CharField(max_length=100, blank=True)
    hearing = models.ForeignKey(
        Hearing, on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    details = models.JSONField(default=dict, blank=True)
    note = models.TextField(blank=True)
    # Corrections: a voided event no longer counts; the void says who, when, why.
    voided_at = models.DateTimeField(null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    void_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        indexes = [models.Index(fields=["enrollment", "kind", "occurred_on"])]
        permissions = [("record_event", "Can record what a participant did")]

    def __str__(self) -> str:
        return f"{self.kind} on {self.occurred_on}"
