"""Policy versions as recorded, screening decisions, overrides, and facts staff record."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual

from ontrack.cases.models import Case


class PolicyVersionRecord(models.Model):
    """A policy version file as loaded: hashed; an approved version never changes."""

    policy = models.CharField(max_length=50)
    label = models.CharField(max_length=20)
    title = models.CharField(max_length=200)
    effective_from = models.DateField()
    effective_to = models.DateField(null=True, blank=True)  # exclusive; NULL = open
    status = models.CharField(max_length=10)  # draft, approved, retired
    sha256 = models.CharField(max_length=64)
    document = models.JSONField()
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["policy", "effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "label"], name="policy_version_once")
        ]
        permissions = [("override_screening", "Can override a screening result")]

    def __str__(self) -> str:
        return f"{self.policy} {self.label}"


class Screening(models.Model):
    """One decision: case, policy version and as-of date, replayable from what it stores."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="screenings")
    policy_version = models.ForeignKey(PolicyVersionRecord, on_delete=models.PROTECT)
    as_of = models.DateField()
    result = models.CharField(max_length=20)  # eligible, ineligible, needs_information
    # [{id, label, citation, status, facts_used: [[fact, value], ...], missing}]
    criteria = models.JSONField()
    missing = models.JSONField()  # sorted fact names
    facts = models.JSONField()  # the input facts exactly as judged
    # The statute catalog the codes were read with (``Catalog.version``), so that the
    # decision replays years later; "" only on screenings made before it was recorded.
    catalog_version = models.CharField(max_length=64, blank=True, default="")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.case} {self.policy_version}: {self.result}"


# Long enough for any real explanation; a bound keeps a pasted document (3 MB reached the
# debug page while probing, issue 8) out of the decision record and its audit row.
MAX_OVERRIDE_REASON = 2000


class ScreeningOverride(models.Model):
    """A supervisor's decision that differs from the computed result (reason mandatory).

    It stays in force across re-screens until a supervisor withdraws it or overrides again
    (``eligibility.decision``); a withdrawal is kept on the row, with who, when and why.
    """

    screening = models.ForeignKey(Screening, on_delete=models.PROTECT, related_name="overrides")
    result = models.CharField(max_length=20)
    reason = models.TextField(max_length=MAX_OVERRIDE_REASON)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    withdrawal_reason = models.TextField(max_length=MAX_OVERRIDE_REASON, blank=True, default="")
    row_version = models.PositiveIntegerField(default=1)  # optimistic locking (bump_version)

    class Meta:
        constraints = [
            # Withdrawn means all three (when, by whom, why); in force means none of them.
            models.CheckConstraint(
                condition=(
                    models.Q(
                        withdrawn_at__isnull=True, withdrawn_by__isnull=True, withdrawal_reason=""
                    )
                    | (
                        models.Q(withdrawn_at__isnull=False, withdrawn_by__isnull=False)
                        & ~models.Q(withdrawal_reason="")
                    )
                ),
                name="override_withdrawal_complete",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("withdrawal_reason"), MAX_OVERRIDE_REASON),
                name="override_withdrawal_reason_length",
            ),
            models.CheckConstraint(condition=~models.Q(reason=""), name="override_has_reason"),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("reason"), MAX_OVERRIDE_REASON),
                name="override_reason_length",
            ),
        ]

    def __str__(self) -> str:
        return f"override → {self.result}"


class CaseFact(models.Model):
    """A fact staff established for a case (e.g. work authorization verified), with how.

    History is kept: the latest row per (case, fact) is the one screening uses.
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="recorded_facts")
    fact = models.CharField(max_length=50)
    value = models.CharField(max_length=50)
    method = models.CharField(max_length=200)  # how it was established
    document = models.CharField(max_length=200, blank=True)  # which document, if any
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(method=""), name="fact_has_method")
        ]

    def __str__(self) -> str:
        return f"{self.fact} = {self.value}"
