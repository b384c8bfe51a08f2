"""Fixtures of the eligibility page tests: a prepared case, and that case screened once."""

from __future__ import annotations

from typing import Any

import pytest

from ontrack.cases.models import Case
from ontrack.eligibility.models import Screening
from ontrack.eligibility.services import screen_case
from ontrack.eligibility.tests.helpers import POLICY, prepared_case


@pytest.fixture
def case(catalog: None, case_manager: Any) -> Case:
    """On the case manager's caseload (cases/visibility.py: they see only their programs')."""
    return prepared_case(case_manager=case_manager)


@pytest.fixture
def screened(case: Case, case_manager: Any) -> Screening:
    return screen_case(actor=case_manager, case=case, policy=POLICY)
