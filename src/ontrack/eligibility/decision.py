"""The decision in force for a case: the one place for the rule (issue 9, ADR 0040).

A case has one decision in force. It is the latest screening's computed result, unless a
supervisor's override is in force. The override in force is the newest override of any of
the case's screenings, unless it was withdrawn: an override outlives re-screens (before
this rule a re-screen made a new screening with no overrides, and the pages, which read the
override of each screening, silently dropped it). A newer override replaces an older one;
withdrawing the newest brings back the latest screening's result, never an older override.

A re-screen whose computed result differs from an override in force made on an earlier
screening is a *conflict*: the override still decides, and the case is on the supervisor's
review queue until the override is withdrawn or a later screening agrees with it.

Pure functions over screenings whose overrides are prefetched: no query here, so every page
and selector that uses them keeps a constant number of queries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils import timezone

from ontrack.eligibility.forms import RESULT_LABELS
from ontrack.eligibility.models import Screening, ScreeningOverride
from ontrack.eligibility.policy import policy_name


def _newest_first(item: Screening | ScreeningOverride) -> tuple[dt.datetime, int]:
    return (item.created_at, item.pk)


@dataclass(frozen=True)
class Decision:
    """The decision in force for one case, and how it was reached."""

    current: Screening  # the latest screening of the case
    override: ScreeningOverride | None  # the override in force, if any

    @property
    def result(self) -> str:
        return self.override.result if self.override else self.current.result

    @property
    def result_label(self) -> str:
        return RESULT_LABELS.get(self.result, self.result)

    @property
    def computed_label(self) -> str:
        """The latest screening's own result, whatever decides the case."""
        return RESULT_LABELS.get(self.current.result, self.current.result)

    @property
    def conflict(self) -> bool:
        """A re-screen computed something other than the override in force: for review."""
        return (
            self.override is not None
            and self.override.screening_id != self.current.pk
            and self.current.result != self.override.result
        )

    @property
    def how(self) -> str:
        """How the decision was reached, in words (the headline after the result)."""
        if self.override is not None:
            return (
                f"supervisor override by {self.override.actor.get_username()} on "
                f"{_day(self.override.created_at)}: {self.override.reason}"
            )
        version = self.current.policy_version
        return (
            f"screening of {_day(self.current.created_at)} under {policy_name(version.policy)} "
            f"{version.label}"
        )

    @property
    def headline(self) -> str:
        return f"{self.result_label} — {self.how}"


def _day(moment: dt.datetime) -> str:
    """The office's date of a moment, in the pages' one date format (YYYY-MM-DD)."""
    return timezone.localdate(moment).isoformat()


def decision_in_force(screenings: Sequence[Screening]) -> Decision | None:
    """The decision in force among one case's ``screenings`` (overrides prefetched); ``None``
    when the case has never been screened (unknown is not a decision)."""
    if not screenings:
        return None
    current = max(screenings, key=_newest_first)
    overrides = [o for s in screenings for o in s.overrides.all()]
    newest = max(overrides, key=_newest_first) if overrides else None
    in_force = newest if newest is not None and newest.withdrawn_at is None else None
    return Decision(current=current, override=in_force)
