from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

# The office's "now" in these tests: Monday 2 March 2026, 09:00 UTC (never the wall clock).
NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Set ``timezone.now``; ``clock.at = ...`` moves it."""

    class Clock:
        at = NOW

    clock = Clock()
    monkeypatch.setattr(timezone, "now", lambda: clock.at)
    return clock


@pytest.fixture
def enrollment(case_manager: Any) -> Any:
    from ontrack.cases.tests.factories import CaseFactory
    from ontrack.enrollments.tests.factories import EnrollmentFactory

    return EnrollmentFactory(case=CaseFactory(case_manager=case_manager,
                                              defendant__given_name="Ana",
                                              defendant__email="ana@example.org",
                                              defendant__phone="415-555-0100"))  # fmt: skip
