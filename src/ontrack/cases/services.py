"""Writes for cases, arrests, charges and prior records: keyword-only, atomic, audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from ontrack.audit.services import diff, jsonable, record_event, snapshot
from ontrack.cases.models import (
    Arrest,
    Case,
    CaseStatus,
    Charge,
    Disposition,
    Restriction,
)
from ontrack.cases.purpose import MAX_PURPOSE, StatedPurpose, purpose_lifetime
from ontrack.cases.visibility import case_for_update, ensure_visible_person, sees_every_program
from ontrack.common.errors import NotFound, ValidationFailed
from ontrack.common.models import Level
from ontrack.common.services import bump_version, ensure_permission
from ontrack.common.text import reason_problem
from ontrack.offenses.codes import StatuteCodeError, normalise
from ontrack.people.models import Person
from ontrack.people.services import NewPerson, create_person
from ontrack.programs.models import Program, ProgramMembership

MAX_RESTRICTION_REASON = 2000


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
    if new.level and new.level not in Level.values:  # blank: not known
        problems[f"charges[{count}].level"] = f"{new.level!r} is not one of {Level.values}"
    if new.disposition and new.disposition not in Disposition.values:  # blank: not known
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
    defendant: Person | NewPerson,
    docket_number: str,
    court: str,
    filing_date: dt.date | None,
    status: str = CaseStatus.OPEN,
    charges: Iterable[NewCharge] = (),
    arrest: NewArrest | None = None,
    program: Program | None = None,
) -> Case:
    """A case with its charges (and arrest). ``defendant``: a person the actor sees, or a
    ``NewPerson`` created here, in the same transaction. ``program``: where the case is
    placed (its intake, unassigned): one of the actor's own programs unless they see every
    program (ADR 0059: otherwise the case a case manager takes in would vanish from them)."""
    ensure_permission(actor, "cases.add_case")
    problems: dict[str, str] = {}
    if program is not None and not (
        sees_every_program(actor)
        or ProgramMembership.objects.filter(program=program, user_id=actor.pk).exists()
    ):
        problems["program"] = f"you are not a member of {program}"
    if isinstance(defendant, NewPerson):
        # Nobody can see a person who does not exist yet; the case placed below makes them
        # visible to the actor (cases/visibility.py), so there is nothing to check first.
        defendant = create_person(
            actor=actor,
            given_name=defendant.given_name,
            family_name=defendant.family_name,
            identifiers=defendant.identifiers,
            **defendant.fields,
        )
    else:
        ensure_visible_person(actor, defendant)  # CJIS AC-3: no writing to a person one cannot see
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
        program=program,
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
    case = case_for_update(actor, case)  # CJIS AC-3: NotFound when the actor may not see it
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
            f"count {count}": [
                None,
                {k: jsonable(v) for k, v in asdict(charge).items() if v not in (None, "")},
            ]
        },
        details={"version": case.row_version},
    )
    return created


# What a charge form may change (the count number is the charge's place in the case).
CHARGE_FIELDS = (
    "statute_code",
    "description",
    "level",
    "offense_date",
    "weapon_alleged",
    "gang_alleged",
    "near_school_alleged",
    "disposition",
)


def _charge_of(case: Case, charge_id: int) -> Charge:
    found = case.charges.filter(pk=charge_id).first()
    if found is None:
        raise NotFound  # another case's charge looks like a missing one
    return found


@transaction.atomic
def update_charge(
    *, actor: Any, case: Case, charge_id: int, expected_version: int, **changes: Any
) -> Charge:
    """Change one charge. Charges are part of the case: ``expected_version`` is the CASE's
    version the form read (ADR 0047), so two edits of one case never pass each other."""
    ensure_permission(actor, "cases.change_case")
    unknown = set(changes) - set(CHARGE_FIELDS)
    if unknown:
        raise ValidationFailed(dict.fromkeys(sorted(unknown), "not a charge field"))
    case = case_for_update(actor, case)  # CJIS AC-3: NotFound when the actor may not see it
    charge = _charge_of(case, charge_id)
    before = snapshot(charge, CHARGE_FIELDS)
    problems: dict[str, str] = {}
    for name, value in changes.items():
        if name == "statute_code":
            value = _statute_code(value, "statute_code", problems)
        setattr(charge, name, value.strip() if isinstance(value, str) else value)
    if not charge.statute_code and not charge.description:
        problems["statute_code"] = "a statute code or a description is required"
    if charge.level and charge.level not in Level.values:
        problems["level"] = f"{charge.level!r} is not one of {Level.values}"
    if charge.disposition and charge.disposition not in Disposition.values:
        problems["disposition"] = f"{charge.disposition!r} is not a disposition"
    if charge.offense_date is not None and charge.offense_date > timezone.localdate():
        problems["offense_date"] = "is in the future"
    if problems:
        raise ValidationFailed(problems)
    changed = diff(before, snapshot(charge, CHARGE_FIELDS))
    if not changed:
        return charge
    bump_version(case, expected_version)
    charge.save(update_fields=list(changed))
    case.save(update_fields=["updated_at"])
    record_event(
        actor=actor,
        action="case.charge_updated",
        target=case,
        changes={f"count {charge.count_number} {k}": v for k, v in changed.items()},
        details={"version": case.row_version, "charge": charge.pk},
    )
    return charge


@transaction.atomic
def remove_charge(*, actor: Any, case: Case, charge_id: int, expected_version: int) -> None:
    """Remove a charge entered in error (locked with the case's version, as ``update_charge``).
    The other counts keep their numbers: a count number is how the court file names it."""
    ensure_permission(actor, "cases.change_case")
    case = case_for_update(actor, case)
    charge = _charge_of(case, charge_id)
    before = {k: v for k, v in snapshot(charge, CHARGE_FIELDS).items() if v not in ("", None)}
    count = charge.count_number
    bump_version(case, expected_version)
    charge.delete()
    case.save(update_fields=["updated_at"])
    record_event(
        actor=actor,
        action="case.charge_removed",
        target=case,
        changes={f"count {count}": [before, None]},
        details={"version": case.row_version},
    )


# What staff may change on a case through ``update_case``. Placement (program, case manager)
# and restriction have services of their own with their own permissions (CJIS AC-3/AC-6).
CASE_FIELDS = ("docket_number", "external_case_number", "court", "filing_date", "status")


def _case_problems(case: Case) -> dict[str, str]:
    problems: dict[str, str] = {}
    if not (case.docket_number or "").strip():
        problems["docket_number"] = "required"
    elif Case.objects.filter(docket_number=case.docket_number).exclude(pk=case.pk).exists():
        problems["docket_number"] = f"{case.docket_number} already exists"
    if not case.court.strip():
        problems["court"] = "required"
    if case.status not in CaseStatus.values:
        problems["status"] = f"{case.status!r} is not a case status"
    if case.filing_date is not None and case.filing_date > timezone.localdate():
        problems["filing_date"] = "is in the future"
    return problems


@transaction.atomic
def update_case(*, actor: Any, case: Case, expected_version: int, **changes: Any) -> Case:
    """Change a case's own facts; refused if someone else changed the case since
    ``expected_version`` (a stale form never overwrites), and nothing is written."""
    ensure_permission(actor, "cases.change_case")
    unknown = set(changes) - set(CASE_FIELDS)
    if unknown:
        raise ValidationFailed(dict.fromkeys(sorted(unknown), "not a case field"))
    case = case_for_update(actor, case)  # CJIS AC-3: NotFound when the actor may not see it
    before = snapshot(case, CASE_FIELDS)
    for name, value in changes.items():
        setattr(case, name, value.strip() if isinstance(value, str) else value)
    problems = _case_problems(case)
    if problems:
        raise ValidationFailed(problems)
    changed = diff(before, snapshot(case, CASE_FIELDS))
    if not changed:
        return case
    bump_version(case, expected_version)
    case.save(update_fields=[*changed, "updated_at"])
    record_event(
        actor=actor,
        action="case.updated",
        target=case,
        changes=changed,
        details={"version": case.row_version},
    )
    return case


@transaction.atomic
def change_case_status(*, actor: Any, case: Case, expected_version: int, status: str) -> Case:
    ensure_permission(actor, "cases.change_case")
    if status not in CaseStatus.values:
        raise ValidationFailed({"status": f"{status!r} is not a case status"})
    case = case_for_update(actor, case)  # CJIS AC-3
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


def _pk(instance: Any) -> Any:
    return instance.pk if instance is not None else None


@transaction.atomic
def assign_case(
    *,
    actor: Any,
    case: Case,
    expected_version: int,
    program: Program | None,
    case_manager: Any | None,
) -> Case:
    """Place ``case`` in ``program`` (None: not in a program) and assign ``case_manager``
    (None: unassigned, the program's intake). Both are the new state, so moving a case to
    another program says who, if anyone, has it there.

    The case manager must be an active member of the program who may see cases: an
    assignment the rule (``cases/visibility.py``) would not let them see is refused, not
    stored. Who cannot see the case cannot assign it (``NotFound``).
    """
    ensure_permission(actor, "cases.assign_case")
    case = case_for_update(actor, case)
    problems: dict[str, str] = {}
    if case_manager is not None:
        name = case_manager.get_username()
        if program is None:
            problems["case_manager"] = "a case manager is assigned within a program: name it"
        elif not (
            case_manager.is_active
            and ProgramMembership.objects.filter(program=program, user=case_manager).exists()
        ):
            problems["case_manager"] = f"{name} is not an active member of {program}"
        elif not case_manager.has_perm("cases.view_case"):
            problems["case_manager"] = f"{name} may not see cases (cases.view_case)"
    if problems:
        raise ValidationFailed(problems)
    before = {"program": case.program_id, "case_manager": case.case_manager_id}
    after = {"program": _pk(program), "case_manager": _pk(case_manager)}
    if before == after:
        return case
    bump_version(case, expected_version)
    case.program = program
    case.case_manager = case_manager
    case.save(update_fields=["program", "case_manager", "updated_at"])
    record_event(
        actor=actor,
        action="case.assigned",
        target=case,
        changes={k: [before[k], after[k]] for k in before if before[k] != after[k]},
        details={
            "version": case.row_version,
            "program": program.slug if program else None,
            "case_manager": case_manager.get_username() if case_manager else None,
        },
    )
    return case


@transaction.atomic
def set_restriction(
    *, actor: Any, case: Case, expected_version: int, restriction: str, reason: str
) -> Case:
    """Set (``sealed``) or lift ("") a case's restriction, with the reason (recorded).

    Lifting a seal needs the sealed case to be visible to the actor, so a stated purpose too.
    """
    ensure_permission(actor, "cases.restrict_case")
    case = case_for_update(actor, case)
    problems: dict[str, str] = {}
    if restriction not in Restriction.values:
        problems["restriction"] = f"{restriction!r} is not one of {Restriction.values}"
    reason = reason.strip()
    if problem := reason_problem(
        reason, what="a reason", limit=MAX_RESTRICTION_REASON,
        missing="a restriction is set or lifted for a reason: give it",
    ):  # fmt: skip
        problems["reason"] = problem
    if problems:
        raise ValidationFailed(problems)
    if case.restriction == restriction:
        return case
    old = case.restriction
    bump_version(case, expected_version)
    case.restriction = restriction
    case.save(update_fields=["restriction", "updated_at"])
    record_event(
        actor=actor,
        action="case.restriction_set",
        target=case,
        changes={"restriction": [old, restriction]},
        details={"reason": reason, "version": case.row_version},
    )
    return case


@transaction.atomic
def state_purpose(*, actor: Any, purpose: str) -> StatedPurpose:
    """The actor states why they need restricted records; audited, and valid for
    ``ONTRACK_RESTRICTED_PURPOSE_SECONDS``. The caller then acts under it
    (``purpose.carry``; the web view keeps it in the session), once this has committed."""
    ensure_permission(actor, "cases.view_restricted")
    text = " ".join(purpose.split())
    if problem := reason_problem(
        text, what="a purpose", limit=MAX_PURPOSE, missing="say why you need restricted records"
    ):
        raise ValidationFailed({"purpose": problem})
    now = timezone.now()
    stated = StatedPurpose(text=text, stated_at=now, expires_at=now + purpose_lifetime())
    record_event(
        actor=actor,
        action="restricted.purpose_stated",
        target=actor,
        details={"purpose": text, "expires_at": stated.expires_at},
    )
    return stated


# Prior records and criminal-history checks belong to the person (locked with the person's
# version); they live in their own module and are called through this one.
from ontrack.cases.history_services import (  # noqa: E402
    record_history_check as record_history_check,
)
from ontrack.cases.history_services import (  # noqa: E402
    record_prior_record as record_prior_record,
)
from ontrack.cases.history_services import (  # noqa: E402
    remove_prior_record as remove_prior_record,
)
from ontrack.cases.history_services import (  # noqa: E402
    update_prior_record as update_prior_record,
)


@transaction.atomic
def set_sentencing_date(
    *,
    actor: Any,
    case: Case,
    expected_version: int,
    sentencing_date: dt.date | None,
    status: str | None = None,
    reason: str = "",
) -> Case:
    """Set (or clear) the day set for sentencing, and, when given, the case's status in the
    same write: a terminated participant's case goes back to the regular calendar
    (PC 1000.3) with its sentencing date, one audited change of the case."""
    ensure_permission(actor, "cases.change_case")
    if status is not None and status not in CaseStatus.values:
        raise ValidationFailed({"status": f"{status!r} is not a case status"})
    case = case_for_update(actor, case)  # CJIS AC-3
    changes: dict[str, list[Any]] = {}
    if case.sentencing_date != sentencing_date:
        changes["sentencing_date"] = [jsonable(case.sentencing_date), jsonable(sentencing_date)]
    if status is not None and case.status != status:
        changes["status"] = [case.status, status]
    if not changes:
        return case
    bump_version(case, expected_version)
    case.sentencing_date = sentencing_date
    if status is not None:
        case.status = status
    case.save(update_fields=["sentencing_date", "status", "updated_at"])
    record_event(
        actor=actor,
        action="case.sentencing_date_set",
        target=case,
        changes=changes,
        details={"reason": reason.strip(), "version": case.row_version},
    )
    return case
