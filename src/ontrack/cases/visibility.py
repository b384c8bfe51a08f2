"""The one visibility rule: which cases, and through them which people, screenings, recorded
facts and priors, an actor may see (CJIS AC-3 access enforcement, AC-6 least privilege).

Every selector, page, command and export asks this module; nothing else decides. ADR 0028
and docs/security.md ("Visibility") give the reasons. The rule, for an active actor:

1. Without ``cases.view_case`` and ``people.view_person``: nothing.
2. With ``cases.view_all_cases`` (supervisors, auditors): the cases of every program and the
   cases not yet placed in one.
3. Otherwise, only cases of programs the actor is a member of (``programs.ProgramMembership``)
   and, among those, the cases assigned to the actor, the program's unassigned intake, and
   colleagues' cases when the program's ``colleagues_see_caseloads`` says so. A case without a
   program is seen only under 2. Leaving a program ends access to its cases, assigned or not.
4. A restricted case (``restriction`` not blank, e.g. ``sealed``) is seen only by a holder of
   ``cases.view_restricted`` acting under a stated, unexpired purpose (``cases/purpose.py``),
   and only if 2 or 3 also lets them see it.

A person is visible when at least one of their cases is, or, with ``cases.view_all_cases``,
when they have no case at all. Missing and forbidden look the same: what the rule hides is
absent from lists, not counted, and a 404 — exactly as a record that does not exist.

Each condition is a subquery in the same SQL statement, so asking costs no extra query.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from ontrack.cases.models import Case, Restriction
from ontrack.cases.purpose import current_purpose
from ontrack.common.errors import NotFound
from ontrack.people.models import Person
from ontrack.people.selectors import visible_people
from ontrack.programs.models import ProgramMembership


def may_see_caseload(actor: Any) -> bool:
    """Rule 1: whether the actor may see any case at all."""
    return bool(
        getattr(actor, "is_active", False)
        and actor.has_perm("cases.view_case")
        and actor.has_perm("people.view_person")
    )


def sees_every_program(actor: Any) -> bool:
    return may_see_caseload(actor) and actor.has_perm("cases.view_all_cases")


def may_see_restricted(actor: Any) -> bool:
    """Rule 4: the permission *and* a purpose stated within its lifetime."""
    return actor.has_perm("cases.view_restricted") and current_purpose(actor) is not None


def case_condition(actor: Any) -> Q | None:
    """The cases ``actor`` may see, as a condition on ``Case``; None for none at all."""
    if not may_see_caseload(actor):
        return None
    if actor.has_perm("cases.view_all_cases"):
        where = Q()
    else:
        memberships = ProgramMembership.objects.filter(user_id=actor.pk)
        sharing = memberships.filter(program__colleagues_see_caseloads=True)
        where = Q(program_id__in=memberships.values("program_id")) & (
            Q(case_manager_id=actor.pk)
            | Q(case_manager__isnull=True)
            | Q(program_id__in=sharing.values("program_id"))
        )
    if not may_see_restricted(actor):
        where &= Q(restriction=Restriction.NONE)
    return where


def visible_cases(actor: Any) -> QuerySet[Case]:
    where = case_condition(actor)
    if where is None:
        return Case.objects.none()
    return Case.objects.filter(where)


def person_condition(actor: Any) -> Q | None:
    """The people ``actor`` may see, as a condition on ``Person``; None for none at all.

    Registered with ``people.selectors`` (``cases/apps.py``): people sits below cases in the
    layers, so it asks through the registry rather than importing this module.
    """
    where = case_condition(actor)
    if where is None:
        return None
    has_visible_case = Q(Exists(Case.objects.filter(where, defendant_id=OuterRef("pk"))))
    if actor.has_perm("cases.view_all_cases"):
        return has_visible_case | ~Q(Exists(Case.objects.filter(defendant_id=OuterRef("pk"))))
    return has_visible_case


def case_for_update(actor: Any, case: Case) -> Case:
    """``case`` locked for a write, or ``NotFound`` when the actor may not see it: who cannot
    see a record cannot change it either, and the refusal looks like a missing record."""
    locked = visible_cases(actor).select_for_update().filter(pk=case.pk).first()
    if locked is None:
        raise NotFound
    return locked


def ensure_visible_case(actor: Any, case: Case) -> None:
    """``NotFound`` unless ``actor`` may see ``case`` (the check before writing about it)."""
    if not visible_cases(actor).filter(pk=case.pk).exists():
        raise NotFound


def ensure_visible_person(actor: Any, person: Person) -> None:
    """``NotFound`` unless ``actor`` may see ``person`` (the check before writing to them)."""
    if not visible_people(actor=actor).filter(pk=person.pk).exists():
        raise NotFound
