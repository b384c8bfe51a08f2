"""Writes for cases, arrests, charges and prior records: keyword-only, atomic, audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from django.db import IntegrityError, transaction

from ontrack.audit.services import record_event, snapshot
from ontrack.cases.models import (
    Arrest,
    Case,
    CaseStatus,
    Charge,
    Disposition,
    PriorRecord,
    PriorRecordType,
)
from ontrack.common.errors import ValidationFailed
from ontrack.common.models import Level
from ontrack.common.services import bump_version, ensure_permission
from ontrack.offenses.codes import StatuteCodeError, normalise
from ontrack.offenses.models import OffenseCategory
from ontrack.people.models import Person


@dataclass(frozen=True)
class NewCharge:
    statute_code: str
    level: str
    description: str = ""
    offense_date: dt.date | None = None
    weapon_alleged: bool | None = None
    gang_alleged: bool | None = None
    near_school_alleged: bool | None = None
    disposition: str = Disposition.PENDING


@dataclass(frozen=True)
class NewArrest:
    arrest_date: dt.date
    agency: str
    booking_number: str


def _statute_code(raw: str, field: str, problems: dict[str, str]) -> str:
    if not raw.strip():
        return ""
    try:
        return normalise(raw)
    except StatuteCodeError as exc:
        problems[field] = str(exc)
        return raw


def _charge(case: Case, count: int, new: NewCharge) -> Charge:
    problems: dict[str, str] = {}
    code = _statute_code(new.statute_code, f"charges[{count}].statute_code", problems)
    if not code and not new.description.strip():
        problems[f"charges[{count}]"] = "a statute code or a description is required"
    if new.level not in Level.values:
        problems[f"charges[{count}].level"] = f"{new.level!r} is not one of {Level.values}"
    if new.disposition not in Disposition.values:
        problems[f"charges[{count}].disposition"] = f"{new.disposition!r} is not a disposition"
    if problems:
        raise ValidationFailed(problems)
    return Charge.objects.create(
        case=case,
        count_number=count,
        statute_code=code,
        description=new.description.strip(),
        level=new.level,
        offense_date=new.offense_date,
        weapon_alleged=new.weapon_alleged,
        gang_alleged=new.gang_alleged,
        near_school_alleged=new.near_school_alleged,
        disposition=new.disposition,
    )


@transaction.atomic
def create_case(
    *,
    actor: Any,
    defendant: Person,
    docket_number: str,
    court: str,
    filing_date: dt.date | None,
    status: str = CaseStatus.OPEN,
    charges: Iterable[NewCharge] = (),
    arrest: NewArrest | None = None,
) -> Case:
    ensure_permission(actor, "cases.add_case")
    problems: dict[str, str] = {}
    docket = docket_number.strip()
    if not docket:
        problems["docket_number"] = "required"
    elif Case.objects.filter(docket_number=docket).exists():
        problems["docket_number"] = f"{docket} already exists"
    if not court.strip():
        problems["court"] = "required"
    if status not in CaseStatus.values:
        problems["status"] = f"{status!r} is not a case status"
    if problems:
        raise ValidationFailed(problems)
    case = Case.objects.create(
        defendant=defendant,
        docket_number=docket,
        court=court.strip(),
        filing_date=filing_date,
        status=status,
    )
    created_charges = [_charge(case, n, c) for n, c in enumerate(charges, start=1)]
    booking = None
    if arrest is not None:
        booking = _arrest(defendant, case, arrest)
    record_event(
        actor=actor,
        action="case.created",
        target=case,
        changes={
            k: [None, v] for k, v in snapshot(case).items() if k not in {"created_at", "updated_at"}
        },
        details={
            "charges": [
                f"{c.count_number}: {c.statute_code or c.description}" for c in created_charges
            ],
            "arrest": f"{booking.agency} {booking.booking_number}" if booking else None,
        },
    )
    return case


def _arrest(person: Person, case: Case | None, new: NewArrest) -> Arrest:
    if not new.agency.strip() or not new.booking_number.strip():
        raise ValidationFailed({"arrest": "agency and booking number are required"})
    try:
        with transaction.atomic():
            return Arrest.objects.create(
                person=person,
                case=case,
                arrest_date=new.arrest_date,
                agency=new.agency.strip(),
                booking_number=new.booking_number.strip(),
            )
    except IntegrityError as exc:
        message = f"{new.agency} booking {new.booking_number} is already recorded"
        raise ValidationFailed({"arrest.booking_number": message}) from exc


@transaction.atomic
def add_charge(*, actor: Any, case: Case, expected_version: int, charge: NewCharge) -> Charge:
    ensure_permission(actor, "cases.change_case")
    case = Case.objects.select_for_update().get(pk=case.pk)
    bump_version(case, expected_version)
    count = (
        case.charges.order_by("-count_number").values_list("count_number", flat=True).first() or 0
    ) + 1
    created = _charge(case, count, charge)
    case.save(update_fields=["updated_at"])
    record_event(
        actor=actor,
        action="case.charge_added",
        target=case,
        changes={
            f"count {count}": [None, {k: v for k, v in asdict(charge).items() if v is not None}]
        },
    )
    return created


@transaction.atomic
def change_case_status(*, actor: Any, case: Case, expected_version: int, status: str) -> Case:
    ensure_permission(actor, "cases.change_case")
    if status not in CaseStatus.values:
        raise ValidationFailed({"status": f"{status!r} is not a case status"})
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status == status:
        return case
    old = case.status
    bump_version(case, expected_version)
    case.status = status
    case.save(update_fields=["status", "updated_at"])
    record_event(
        actor=actor, action="case.status_changed", target=case, changes={"status": [old, status]}
    )
    return case


@transaction.atomic
def record_prior_record(
    *,
    actor: Any,
    person: Person,
    record_type: str,
    event_date: dt.date | None,
    level: str,
    statute_code: str,
    jurisdiction: str,
    source: str,
    description: str = "",
    category: str = "",
) -> PriorRecord:
    """Record an earlier arrest or conviction. Blank level, code or category mean unknown."""
    ensure_permission(actor, "people.change_person")
    problems: dict[str, str] = {}
    code = _statute_code(statute_code, "statute_code", problems)
    if record_type not in PriorRecordType.values:
        problems["record_type"] = f"{record_type!r} is not arrest or conviction"
    if level and level not in Level.values:
        problems["level"] = f"{level!r} is not one of {Level.values}"
    if category and category not in OffenseCategory.values:
        problems["category"] = f"{category!r} is not an offense category"
    if not jurisdiction.strip() or not source.strip():
        problems["source"] = "jurisdiction and source are required"
    if problems:
        raise ValidationFailed(problems)
    prior = PriorRecord.objects.create(
        person=person,
        record_type=record_type,
        event_date=event_date,
        level=level,
        statute_code=code,
        description=description,
        category=category,
        jurisdiction=jurisdiction.strip(),
        source=source.strip(),
    )
    record_event(
        actor=actor,
        action="person.prior_recorded",
        target=person,
        changes={
            "prior_record": [
                None,
                snapshot(
                    prior,
                    [
                        "id",
                        "record_type",
                        "event_date",
                        "level",
                        "statute_code",
                        "category",
                        "jurisdiction",
                    ],
                ),
            ]
        },
    )
    return prior
