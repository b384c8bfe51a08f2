"""Taking a referral: the referral, its person (new or on file) and its case with charges,
placed in a program, in one audited transaction. Any refusal changes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from django.db import transaction
from django.utils import timezone

from ontrack.audit.services import record_event, snapshot
from ontrack.cases.services import NewCharge, create_case
from ontrack.cases.visibility import ensure_visible_person
from ontrack.common.errors import ValidationFailed
from ontrack.common.models import Level
from ontrack.common.services import ensure_permission
from ontrack.offenses.codes import StatuteCodeError, normalise
from ontrack.offenses.selectors import code_info
from ontrack.people.models import Person
from ontrack.people.services import NewPerson
from ontrack.programs.models import Program
from ontrack.referrals.models import Referral, ReferralSource
from ontrack.referrals.selectors import intake_programs

# Lengths of what staff type (ADR 0024, input limits); the model's columns for the rest.
MAX_NOTES = 4000
MAX_TEXT = 200  # the referrer's name, agency and contact (``Referral`` columns)


def completed_charge(charge: NewCharge) -> NewCharge:
    """The charge with what the statute catalog knows filled in where nothing was typed: its
    description, and its level when the code has exactly one on the offense date. A wobbler
    (PC 17(b)) or an unknown code keeps a blank level, which ``create_case`` refuses."""
    try:
        code = normalise(charge.statute_code) if charge.statute_code.strip() else ""
    except StatuteCodeError:
        return charge  # create_case names the field
    info = code_info(code, charge.offense_date)
    if info is None:
        return charge
    level = charge.level
    if not level and info.level in Level.values:
        level = info.level
    description = charge.description.strip() or info.description or ""
    return replace(charge, level=level, description=description)


def _placement(actor: Any, program: Program | None, problems: dict[str, str]) -> Program | None:
    """The program the case goes to: chosen from ``intake_programs``; required when there is
    more than one, the only one when there is one (ADR 0059)."""
    choices = intake_programs(actor=actor)
    if program is not None:
        if program.pk not in {p.pk for p in choices}:
            problems["program"] = f"you cannot take referrals into {program}"
        return program
    if len(choices) == 1:
        return choices[0]
    if choices:
        problems["program"] = "choose the program the referral is for"
    else:
        problems["program"] = "you are not a member of any program: ask an administrator"
    return None


@transaction.atomic
def take_referral(
    *,
    actor: Any,
    source: str,
    referral_date: dt.date | None,
    person: Person | None,
    new_person: NewPerson | None,
    docket_number: str,
    court: str,
    filing_date: dt.date | None,
    charges: Sequence[NewCharge],
    program: Program | None = None,
    referrer_name: str = "",
    referrer_agency: str = "",
    referrer_contact: str = "",
    notes: str = "",
) -> Referral:
    """Take a referral: link ``person`` (one the actor sees; ``NotFound`` otherwise, nothing
    written) or create ``new_person``, and open the case with its charges in ``program``,
    unassigned (the program's intake queue, ADR 0059)."""
    ensure_permission(actor, "cases.add_case")
    if person is not None:
        ensure_visible_person(actor, person)  # CJIS AC-3: a posted id is never trusted
    problems: dict[str, str] = {}
    defendant = person if person is not None else new_person
    if defendant is None or (person is not None and new_person is not None):
        problems["person"] = "choose a person on file or confirm a new person"
    if source not in ReferralSource.values:
        problems["source"] = "choose who referred the person"
    if referral_date is None:
        problems["referral_date"] = "required"
    elif referral_date > timezone.localdate():
        problems["referral_date"] = "is in the future"
    texts = {"referrer_name": referrer_name, "referrer_agency": referrer_agency}
    texts["referrer_contact"] = referrer_contact
    for name, value in texts.items():
        if len(value.strip()) > MAX_TEXT:
            problems[name] = f"at most {MAX_TEXT} characters"
    if len(notes.strip()) > MAX_NOTES:
        problems["notes"] = f"at most {MAX_NOTES} characters"
    if not charges:
        problems["charges"] = "a case taken in at referral needs at least one charge"
    completed = [completed_charge(c) for c in charges]
    for count, charge in enumerate(completed, start=1):
        if not charge.level:  # unknown is not a level: staff say which was charged
            problems[f"charges[{count}].level"] = (
                "the catalog does not give one level for this code on that date: choose it"
            )
    placed = _placement(actor, program, problems)
    if problems or defendant is None or referral_date is None:
        raise ValidationFailed(problems)
    case = create_case(
        actor=actor,
        defendant=defendant,
        docket_number=docket_number,
        court=court,
        filing_date=filing_date,
        charges=completed,
        program=placed,
    )
    referral = Referral.objects.create(
        source=source,
        referral_date=referral_date,
        referrer_name=referrer_name.strip(),
        referrer_agency=referrer_agency.strip(),
        referrer_contact=referrer_contact.strip(),
        notes=notes.strip(),
        person=case.defendant,
        case=case,
        linked_existing_person=person is not None,
        taken_by=actor,
    )
    record_event(
        actor=actor,
        action="referral.taken",
        target=referral,
        changes={
            k: [None, v]
            for k, v in snapshot(referral).items()
            if k not in {"taken_at"} and v not in ("", None)
        },
        details={
            "person": "linked to a person on file" if person is not None else "new person",
            "program": placed.slug if placed is not None else None,
        },
    )
    return referral
