"""The queues' one write: assigning the cases a supervisor selected on a list, all or none."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from ontrack.audit.services import record_event
from ontrack.cases.models import Case
from ontrack.cases.selectors import visible_cases
from ontrack.cases.services import assign_case
from ontrack.common.errors import NotFound
from ontrack.common.services import ensure_permission
from ontrack.programs.models import Program


@transaction.atomic
def assign_selected(
    *,
    actor: Any,
    versions: Mapping[int, int],
    program: Program | None,
    case_manager: Any | None,
) -> list[Case]:
    """Place every selected case (id → the version the list showed) in ``program`` with
    ``case_manager``, one ``cases.services.assign_case`` per case (its rules, its audit row,
    its optimistic lock) in one transaction: a case the actor may not see (``NotFound``), a
    stale one (``ConcurrentEdit``) or a refused assignment (``ValidationFailed``) leaves every
    case as it was. The batch itself is one more audit row."""
    ensure_permission(actor, "cases.assign_case")
    cases = list(visible_cases(actor=actor).filter(pk__in=list(versions)).order_by("pk"))
    if len(cases) != len(versions):
        raise NotFound  # one of them is missing or hidden: which, the actor may not learn
    done = [
        assign_case(
            actor=actor,
            case=case,
            expected_version=versions[case.pk],
            program=program,
            case_manager=case_manager,
        )
        for case in cases
    ]
    record_event(
        actor=actor,
        action="cases.assigned_in_bulk",
        object_type="cases.case",
        object_id="selected",  # the cases are in details; each has its own case.assigned row
        details={
            "cases": [c.pk for c in done],
            "program": program.pk if program else None,
            "case_manager": case_manager.pk if case_manager else None,
        },
    )
    return done
