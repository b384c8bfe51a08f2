"""Graduation, dismissal and sealing (PC 1000.3, PC 1000.4, PC 851.90; ADR 0079).

Graduating moves the enrollment active → graduated through the one engine (the plans app's
guard, the plan complete with a job or school, is registered there and applies here too),
records the dismissal of the charges and opens a sealing request under a statute from
``sealing_statutes.yaml``. A supervisor orders or denies it; an order seals the case
(``cases.services.set_restriction``), which hides the case, its arrests and screenings and
the enrollment from everyone without a stated purpose (``cases/visibility.py``).
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from importlib import resources
from typing import Any

from django.db import transaction
from django.utils import timezone

from ontrack.audit.services import record_event
from ontrack.cases.models import Restriction
from ontrack.cases.services import set_restriction
from ontrack.common.errors import NotFound, ValidationFailed
from ontrack.common.services import ensure_permission
from ontrack.common.text import reason_problem
from ontrack.common.yamlfiles import load_yaml
from ontrack.enrollments.lifecycle import State
from ontrack.enrollments.models import Dismissal, SealingRequest, SealingStatus
from ontrack.enrollments.selectors import enrollment_for_update, visible_enrollments
from ontrack.enrollments.services import move_enrollment
from ontrack.enrollments.timeline import add_entry


@cache
def sealing_statutes() -> dict[str, str]:
    """code → label of the statutes a sealing may be requested under (read once)."""
    raw = resources.files("ontrack.enrollments").joinpath("sealing_statutes.yaml").read_bytes()
    return {str(s["code"]): str(s["label"]) for s in load_yaml(raw)["statutes"]}


@transaction.atomic
def graduate(
    *,
    actor: Any,
    enrollment_id: int,
    on: dt.date,
    dismissal_court: str,
    dismissal_order_date: dt.date,
    sealing_statute: str,
    reason: str = "Completed the program",
) -> SealingRequest:
    """active → graduated, the dismissal recorded, a sealing request opened (requested on
    ``on``). One audit row: the move's, whose details name the dismissal and the request."""
    ensure_permission(actor, "enrollments.move_enrollment")
    enrollment = enrollment_for_update(actor=actor, enrollment_id=enrollment_id)
    problems: dict[str, str] = {}
    court = " ".join(dismissal_court.split())
    if not court:
        problems["dismissal_court"] = "say which court dismissed the charges"
    elif len(court) > 200:
        problems["dismissal_court"] = "the court's name is at most 200 characters"
    if dismissal_order_date > timezone.localdate():
        problems["dismissal_order_date"] = "the dismissal order cannot be dated in the future"
    if sealing_statute not in sealing_statutes():
        problems["sealing_statute"] = f"choose one of: {', '.join(sealing_statutes())}"
    if enrollment.state != State.ACTIVE:
        problems["to_state"] = "only an active participant graduates"
    if problems:
        raise ValidationFailed(problems)
    dismissal = Dismissal.objects.create(
        enrollment=enrollment, court=court, order_date=dismissal_order_date,
        recorded_at=timezone.now(), by=actor,
    )  # fmt: skip
    sealing = SealingRequest.objects.create(
        enrollment=enrollment, statute=sealing_statute, requested_on=on
    )
    move_enrollment(
        actor=actor, enrollment_id=enrollment.pk, to_state=State.GRADUATED, reason=reason, on=on,
        details={
            "dismissal": dismissal.pk, "dismissal_court": court,
            "dismissal_order_date": dismissal_order_date,
            "sealing_request": sealing.pk, "sealing_statute": sealing_statute,
        },
    )  # fmt: skip
    return sealing


def _sealing_for_update(actor: Any, sealing_id: int) -> SealingRequest:
    found = (
        SealingRequest.objects.select_for_update(of=("self",))
        .select_related("enrollment", "enrollment__case")
        .filter(pk=sealing_id, enrollment__in=visible_enrollments(actor=actor))
        .first()
    )
    if found is None:
        raise NotFound
    return found


def _decide(
    actor: Any, sealing_id: int, order_date: dt.date, reason: str, status: SealingStatus
) -> SealingRequest:
    ensure_permission(actor, "enrollments.decide_sealing")
    sealing = _sealing_for_update(actor, sealing_id)
    problems: dict[str, str] = {}
    if sealing.status != SealingStatus.REQUESTED:
        problems["status"] = f"this request was already {sealing.get_status_display().lower()}"
    if order_date > timezone.localdate():
        problems["order_date"] = "the order cannot be dated in the future"
    elif order_date < sealing.requested_on:
        problems["order_date"] = "the order cannot be dated before the request"
    reason = reason.strip()
    if problem := reason_problem(reason, what="a reason", limit=2000, missing="say why"):
        problems["reason"] = problem
    if problems:
        raise ValidationFailed(problems)
    sealing.status, sealing.order_date, sealing.decision_reason = status, order_date, reason
    sealing.row_version += 1
    sealing.save(update_fields=["status", "order_date", "decision_reason", "row_version"])
    add_entry(
        enrollment=sealing.enrollment, kind=f"sealing_{status.value}", actor=actor,
        occurred_on=order_date, parameters={"statute": sealing.statute, "reason": reason},
        ref=sealing,
    )  # fmt: skip
    record_event(
        actor=actor,
        action=f"sealing.{status.value}",
        target=sealing,
        changes={"status": [SealingStatus.REQUESTED.value, status.value]},
        details={"statute": sealing.statute, "order_date": order_date, "reason": reason},
    )
    return sealing


@transaction.atomic
def order_sealing(
    *, actor: Any, sealing_id: int, order_date: dt.date, reason: str = "Sealing ordered"
) -> SealingRequest:
    """The court ordered the sealing: the request is ordered and the case sealed. The
    case's own audit row records the restriction (cases.services.set_restriction)."""
    sealing = _decide(actor, sealing_id, order_date, reason, SealingStatus.ORDERED)
    case = sealing.enrollment.case
    set_restriction(
        actor=actor, case=case, expected_version=case.row_version,
        restriction=Restriction.SEALED, reason=f"{sealing.statute}: {reason}",
    )  # fmt: skip
    return sealing


@transaction.atomic
def deny_sealing(
    *, actor: Any, sealing_id: int, order_date: dt.date, reason: str
) -> SealingRequest:
    """The court denied the sealing: recorded, the case stays as it is."""
    return _decide(actor, sealing_id, order_date, reason, SealingStatus.DENIED)
