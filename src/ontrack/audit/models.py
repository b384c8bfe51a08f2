"""The two append-only audit streams (CJIS AU-2, AU-3, AU-9; ADR 0032).

*Changes* (``AuditEvent``): who changed what, when, from where, before and after; written by
services inside their own transaction. *Access* (``AccessEvent``): sign-ins and their
failures, reads of people, cases and screenings, exports with their row counts, refusals;
written outside any business transaction, after the response (``audit/access.py``).
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone


class AppendOnlyError(Exception):
    """Audit events are never changed or deleted (the database refuses it too)."""


class AppendOnly(models.Model):
    """Rows are written once (the database's triggers refuse the rest too, ADR 0002)."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError(f"{self._meta.verbose_name_plural} cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError(f"{self._meta.verbose_name_plural} cannot be deleted")


class AuditEvent(AppendOnly):
    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)  # UTC (USE_TZ)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="audit_events"
    )
    # The username as it was, so the trail still reads right if the account is renamed.
    actor_username = models.CharField(max_length=150)
    action = models.CharField(max_length=100, db_index=True)
    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    # {"field": [before, after]} for changes; the full record for creations.
    changes = models.JSONField(default=dict, blank=True)
    # Anything else worth keeping (counts of a bulk load, a reason for an override).
    details = models.JSONField(default=dict, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    source = models.CharField(max_length=20)  # web, cli, test, system
    # The operating-system account that ran a command (CJIS AU-3); NULL on the web and for
    # rows older than this column. Nullable without a default: on SQLite, Django adds such a
    # column with ALTER TABLE instead of re-making the table (which would drop the triggers).
    os_user = models.CharField(max_length=150, null=True, blank=True)  # noqa: DJ001 NULL = unknown

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]
        constraints = [
            models.CheckConstraint(condition=~models.Q(action=""), name="audit_action_not_blank"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_username} {self.action}"


class Outcome(models.TextChoices):
    SUCCESS = "success"
    FAILURE = "failure"  # the request failed (5xx), a sign-in was refused, a code was wrong
    DENIED = "denied"  # a signed-in user was refused (403) or shown "not found" (404)


class AccessEvent(AppendOnly):
    """One access: a sign-in step, a read of a sensitive page, an export, a refusal."""

    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)  # UTC (USE_TZ)
    # NULL when the username given matches no account (a failed sign-in for a made-up name).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="access_events",
    )
    # The username as given (or the account's, as it was then).
    username = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=100, db_index=True)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    row_count = models.PositiveIntegerField(null=True, blank=True)  # exports only
    request_id = models.CharField(max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    source = models.CharField(max_length=20)  # web, cli, test, system
    os_user = models.CharField(max_length=150, null=True, blank=True)  # noqa: DJ001 as above
    method = models.CharField(max_length=10, blank=True)
    # The path without its query string: a search's query string carries people's names.
    path = models.CharField(max_length=500, blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]
        constraints = [
            models.CheckConstraint(condition=~models.Q(action=""), name="access_action_not_blank"),
            models.CheckConstraint(
                condition=models.Q(outcome__in=["success", "failure", "denied"]),
                name="access_outcome_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.outcome}"
