"""The program's audit rows hide their values from audit readers who may not see the
participant (ADR 0033): an administrator reads that an event was recorded, not its result."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from ontrack.audit.disclosure import HIDDEN, disclosure_for
from ontrack.audit.models import AuditEvent
from ontrack.cases.tests.factories import CaseFactory
from ontrack.enrollments.services import move_enrollment
from ontrack.enrollments.tests.factories import EnrollmentFactory
from ontrack.plans.services import record_participant_event

pytestmark = pytest.mark.django_db
DAY = dt.date(2025, 7, 1)


def test_event_and_move_values_are_hidden_from_who_cannot_see_the_participant(
    case_manager: Any, administrator: Any
) -> None:
    enrollment = EnrollmentFactory(case=CaseFactory(case_manager=case_manager))
    record_participant_event(actor=case_manager, enrollment_id=enrollment.pk, kind="drug_test",
                             occurred_on=DAY, result="positive", substance="cocaine")  # fmt: skip
    move_enrollment(actor=case_manager, enrollment_id=enrollment.pk, to_state="terminated",
                    reason="New arrest for sale", on=DAY)  # fmt: skip
    rows = list(AuditEvent.objects.filter(action__in=["event.recorded", "enrollment.moved"])
                .order_by("pk"))  # fmt: skip
    keys = [(row.object_type, row.object_id) for row in rows]

    seen = disclosure_for(case_manager, keys)
    assert [seen.values(r.object_type, r.object_id, r.details)["kind" if n == 0 else "reason"]
            for n, r in enumerate(rows)] == ["drug_test", "New arrest for sale"]  # fmt: skip

    hidden = disclosure_for(administrator, keys)
    assert hidden.values(rows[0].object_type, rows[0].object_id, rows[0].details) == {
        "enrollment": HIDDEN, "kind": HIDDEN, "occurred_on": HIDDEN,
    }  # fmt: skip
    moved = hidden.values(rows[1].object_type, rows[1].object_id, rows[1].details)
    assert moved["reason"] == HIDDEN
    assert hidden.values(rows[1].object_type, rows[1].object_id, rows[1].changes) == {
        "state": [HIDDEN, HIDDEN], "phase": [HIDDEN, None],
    }  # fmt: skip
