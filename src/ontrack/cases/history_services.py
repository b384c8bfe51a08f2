"""Writes for a person's criminal history: prior records and criminal-history checks.

Both belong to the person, so every write names the PERSON's version it read (``expected_
version``; a stale form is refused, ADR 0047) and the audit row is on the person. Called as
``cases.services.record_prior_record`` and so on (re-exported there).

A criminal-history check (a ``PriorCountSummary``: a CA DOJ rap sheet, say) is what makes the
prior-history facts knowable (``eligibility/derive.py``): with no check on file they are
*unknown*; a check that found nothing is recorded with a total of 0 and makes them "none".
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from ontrack.audit.services import diff, record_event, snapshot
from ontrack.cases.models import PriorCountSummary, PriorRecord, PriorRecordType
from ontrack.common.errors import NotFound, ValidationFailed
from ontrack.common.models import Level
from ontrack.common.services import bump_version, ensure_permission
from ontrack.offenses.codes import StatuteCodeError, normalise
from ontrack.offenses.models import OffenseCategory
from ontrack.people.models import Person
from ontrack.people.selectors import visible_people

PRIOR_FIELDS = (
    "record_type",
    "event_date",
    "level",
    "statute_code",
    "description",
    "category",
    "jurisdiction",
    "source",
)
CHECK_FIELDS = ("source", "as_of", "total", "juvenile_felonies", "juvenile_misdemeanors")
MAX_COUNT = 500  # more prior offenses than this is a typing error, not a history


def _locked_person(actor: Any, person: Person) -> Person:
    """The person, locked, or ``NotFound`` when the actor may not see them (CJIS AC-3)."""
    found = visible_people(actor=actor).select_for_update().filter(pk=person.pk).first()
    if found is None:
        raise NotFound
    return found


def _bump(person: Person, expected_version: int | None) -> dict[str, Any]:
    if expected_version is None:  # an import or the CLI: no form version to compare
        return {}
    bump_version(person, expected_version)
    person.save(update_fields=["updated_at"])
    return {"version": person.row_version}


def _prior_problems(prior: PriorRecord) -> dict[str, str]:
    problems: dict[str, str] = {}
    if prior.statute_code.strip():
        try:
            prior.statute_code = normalise(prior.statute_code)
        except StatuteCodeError as exc:
            problems["statute_code"] = str(exc)
    if prior.record_type not in PriorRecordType.values:
        problems["record_type"] = f"{prior.record_type!r} is not arrest or conviction"
    if prior.level and prior.level not in Level.values:
        problems["level"] = f"{prior.level!r} is not one of {Level.values}"
    if prior.category and prior.category not in OffenseCategory.values:
        problems["category"] = f"{prior.category!r} is not an offense category"
    if not prior.jurisdiction.strip() or not prior.source.strip():
        problems["source"] = "jurisdiction and source are required"
    if prior.event_date is not None and prior.event_date > timezone.localdate():
        problems["event_date"] = "is in the future"
    return problems


def _prior_text(prior: PriorRecord) -> dict[str, Any]:
    return snapshot(prior, ["id", *PRIOR_FIELDS])


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
    expected_version: int | None = None,
) -> PriorRecord:
    """Record an earlier arrest or conviction. Blank level, code or category mean unknown.
    A form passes the person's ``expected_version``; imports and the CLI pass none."""
    ensure_permission(actor, "people.change_person")
    person = _locked_person(actor, person)  # CJIS AC-3
    prior = PriorRecord(
        person=person,
        record_type=record_type,
        event_date=event_date,
        level=level,
        statute_code=statute_code.strip(),
        description=description.strip(),
        category=category,
        jurisdiction=jurisdiction.strip(),
        source=source.strip(),
    )
    problems = _prior_problems(prior)
    if problems:
        raise ValidationFailed(problems)
    prior.save()
    details = _bump(person, expected_version)
    record_event(
        actor=actor,
        action="person.prior_recorded",
        target=person,
        changes={"prior_record": [None, _prior_text(prior)]},
        details=details,
    )
    return prior


def _prior_of(person: Person, prior_id: int) -> PriorRecord:
    found = PriorRecord.objects.filter(person=person, pk=prior_id).first()
    if found is None:
        raise NotFound  # another person's prior looks like a missing one
    return found


@transaction.atomic
def update_prior_record(
    *, actor: Any, person: Person, prior_id: int, expected_version: int, **changes: Any
) -> PriorRecord:
    ensure_permission(actor, "people.change_person")
    unknown = set(changes) - set(PRIOR_FIELDS)
    if unknown:
        raise ValidationFailed(dict.fromkeys(sorted(unknown), "not a prior-record field"))
    person = _locked_person(actor, person)
    prior = _prior_of(person, prior_id)
    before = snapshot(prior, PRIOR_FIELDS)
    for name, value in changes.items():
        setattr(prior, name, value.strip() if isinstance(value, str) else value)
    problems = _prior_problems(prior)
    if problems:
        raise ValidationFailed(problems)
    changed = diff(before, snapshot(prior, PRIOR_FIELDS))
    if not changed:
        return prior
    prior.save(update_fields=list(changed))
    details = {**_bump(person, expected_version), "prior_record": prior.pk}
    record_event(
        actor=actor,
        action="person.prior_updated",
        target=person,
        changes={f"prior record {prior.pk} {k}": v for k, v in changed.items()},
        details=details,
    )
    return prior


@transaction.atomic
def remove_prior_record(
    *, actor: Any, person: Person, prior_id: int, expected_version: int
) -> None:
    """Remove a prior record entered in error (a rap-sheet line of another person)."""
    ensure_permission(actor, "people.change_person")
    person = _locked_person(actor, person)
    prior = _prior_of(person, prior_id)
    text = _prior_text(prior)
    prior.delete()
    record_event(
        actor=actor,
        action="person.prior_removed",
        target=person,
        changes={"prior_record": [text, None]},
        details=_bump(person, expected_version),
    )


def _count(value: int | None, name: str, problems: dict[str, str]) -> None:
    if value is not None and not 0 <= value <= MAX_COUNT:
        problems[name] = f"must be between 0 and {MAX_COUNT}"


@transaction.atomic
def record_history_check(
    *,
    actor: Any,
    person: Person,
    expected_version: int,
    source: str,
    as_of: dt.date | None,
    total: int | None,
    juvenile_felonies: int | None = None,
    juvenile_misdemeanors: int | None = None,
) -> PriorCountSummary:
    """Record a criminal-history check and how many prior offenses it reported.

    ``total=0`` is a check that found nothing (the history facts become "none"); ``None`` is
    a check whose count is not known. Not checked at all is the absence of a row. One row per
    source: recording the same source again replaces its counts (audited, from → to).
    """
    ensure_permission(actor, "people.change_person")
    person = _locked_person(actor, person)
    problems: dict[str, str] = {}
    source = source.strip()
    if not source:
        problems["source"] = "say which check this was (e.g. CA DOJ rap sheet)"
    elif len(source) > PriorCountSummary._meta.get_field("source").max_length:  # type: ignore[operator]
        problems["source"] = "is too long"
    if as_of is not None and as_of > timezone.localdate():
        problems["as_of"] = "is in the future"
    _count(total, "total", problems)
    _count(juvenile_felonies, "juvenile_felonies", problems)
    _count(juvenile_misdemeanors, "juvenile_misdemeanors", problems)
    if problems:
        raise ValidationFailed(problems)
    check = PriorCountSummary.objects.filter(person=person, source=source).first()
    before = snapshot(check, CHECK_FIELDS) if check else dict.fromkeys(CHECK_FIELDS)
    if check is None:
        check = PriorCountSummary(person=person, source=source)
    check.as_of, check.total = as_of, total
    check.juvenile_felonies, check.juvenile_misdemeanors = juvenile_felonies, juvenile_misdemeanors
    changed = diff(before, snapshot(check, CHECK_FIELDS))
    if not changed:
        return check
    check.save()
    record_event(
        actor=actor,
        action="person.history_checked",
        target=person,
        changes={f"check {source} {k}": v for k, v in changed.items()},
        details=_bump(person, expected_version),
    )
    return check
