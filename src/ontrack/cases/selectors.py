"""Reads of cases, filtered to what the actor may see; a constant number of queries each."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from ontrack.audit.models import AuditEvent
from ontrack.cases import visibility
from ontrack.cases.models import Arrest, Case, Charge, PriorCountSummary, PriorRecord
from ontrack.common.errors import NotFound
from ontrack.common.words import in_words
from ontrack.offenses.categories import category_label
from ontrack.offenses.classify import Classification, default_classifier
from ontrack.offenses.lookup import CodeInfo
from ontrack.offenses.selectors import code_info
from ontrack.people.models import Person
from ontrack.people.selectors import name_filter, visible_people
from ontrack.programs.models import Program, ProgramMembership


def visible_cases(*, actor: Any) -> QuerySet[Case]:
    """The cases ``actor`` may see: the one rule, ``cases/visibility.py`` (CJIS AC-3/AC-6)."""
    return visibility.visible_cases(actor)


def get_case(*, actor: Any, case_id: int) -> Case:
    """One case the actor may see; ``NotFound`` when it is missing or not visible (alike)."""
    case = visible_cases(actor=actor).filter(pk=case_id).first()
    if case is None:
        raise NotFound
    return case


def search_caseload(*, actor: Any, query: str = "", limit: int = 50) -> list[Case]:
    """Cases matching a docket number, a defendant's name, alias or identifier.

    Two queries whatever the number of rows: the cases with their defendants, then all
    their charges.
    """
    cases = visible_cases(actor=actor).select_related("defendant")
    query = query.strip()
    if query:
        matching_people = Person.objects.filter(name_filter(query)).values("pk")
        cases = cases.filter(Q(docket_number__icontains=query) | Q(defendant__in=matching_people))
    cases = cases.order_by("-filing_date", "docket_number").prefetch_related(
        Prefetch("charges", queryset=Charge.objects.order_by("count_number"))
    )
    return list(cases[:limit])


def count_caseload(*, actor: Any) -> dict[str, int]:
    visible = visible_cases(actor=actor)
    totals = visible.aggregate(cases=Count("id"), people=Count("defendant", distinct=True))
    return {"cases": totals["cases"], "people": totals["people"]}


@dataclass(frozen=True)
class ChargeView:
    charge: Charge
    # The catalog's answer for the code on the offense date (``info.known`` False: the
    # catalog does not know it); None when the charge has no readable code.
    info: CodeInfo | None
    # For charges the catalog cannot place (free text, other states): the classifier's
    # categories with the rules that decided them; unclassified when it abstains.
    classification: Classification | None = None

    @property
    def text_categories(self) -> list[str]:
        """The classifier's categories, as their labels."""
        found = self.classification.categories if self.classification else ()
        return sorted(category_label(c) for c in found)

    @property
    def text_rules(self) -> list[str]:
        """The classifier rules that decided, in words."""
        rules = {e.rule for e in self.classification.evidence} if self.classification else set()
        return sorted(in_words(r) for r in rules)


@dataclass(frozen=True)
class CaseFile:
    case: Case
    charges: list[ChargeView]
    arrests: list[Arrest]
    priors: list[PriorRecord]
    prior_counts: list[PriorCountSummary]
    other_cases: list[Case]


def get_case_file(*, actor: Any, case_id: int) -> CaseFile:
    """Everything the case page shows, in a fixed number of queries."""
    case = (
        visible_cases(actor=actor)
        .select_related("defendant", "program", "case_manager")
        .prefetch_related(
            Prefetch("charges", queryset=Charge.objects.order_by("count_number")),
            Prefetch("arrests", queryset=Arrest.objects.order_by("-arrest_date")),
            "defendant__identifiers",
            "defendant__aliases",
        )
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        raise NotFound
    charges = list(case.charges.all())
    # The defendant is visible (through this case), so are their priors; their other cases
    # each pass the rule on their own: a sealed or another program's case is simply absent.
    priors = list(
        PriorRecord.objects.filter(person_id=case.defendant_id).order_by("-event_date", "id")
    )
    others = list(
        visible_cases(actor=actor)
        .filter(defendant_id=case.defendant_id)
        .exclude(pk=case.pk)
        .order_by("-filing_date")
    )
    views = []
    for c in charges:
        info = code_info(c.statute_code, c.offense_date)  # the catalog is data: no query
        classified = None
        if (info is None or not info.known) and c.description:
            classified = default_classifier().classify(description=c.description)
        views.append(ChargeView(c, info, classified))
    return CaseFile(
        case=case,
        charges=views,
        arrests=list(case.arrests.all()),
        priors=priors,
        prior_counts=list(PriorCountSummary.objects.filter(person_id=case.defendant_id)),
        other_cases=others,
    )


def cases_of_person(*, actor: Any, person: Person) -> list[Case]:
    return list(
        visible_cases(actor=actor)
        .filter(defendant=person)
        .prefetch_related(Prefetch("charges", queryset=Charge.objects.order_by("count_number")))
        .order_by("-filing_date")
    )


def priors_of_person(*, actor: Any, person: Person) -> list[PriorRecord]:
    return list(
        PriorRecord.objects.filter(person__in=visible_people(actor=actor), person=person).order_by(
            "-event_date", "id"
        )
    )


@dataclass(frozen=True)
class AssignmentChoices:
    programs: list[Program]
    members: list[ProgramMembership]  # active staff in each program, by program then name


def assignment_choices(*, actor: Any) -> AssignmentChoices:
    """Programs and their active members, for the supervisor's assignment form (two queries);
    nothing for an actor who may not assign. Names staff, never a case or a person."""
    if not actor.has_perm("cases.assign_case"):
        return AssignmentChoices([], [])
    members = (
        ProgramMembership.objects.filter(user__is_active=True)
        .select_related("user", "program")
        .order_by("program__name", "user__username")
    )
    return AssignmentChoices(list(Program.objects.order_by("name")), list(members))


def history_checks_of_person(*, actor: Any, person: Person) -> list[PriorCountSummary]:
    """The criminal-history checks on file for a person the actor may see (none: not checked)."""
    return list(
        PriorCountSummary.objects.filter(
            person__in=visible_people(actor=actor), person=person
        ).order_by("source")
    )


def edits_since(*, actor: Any, record: Case | Person, version: int) -> list[AuditEvent]:
    """The audited changes to ``record`` (a case with its charges, or a person with their
    names, identifiers and history) after ``version``, oldest first: what a stale form shows
    as the other user's change. Nothing for a record the actor may not see. One query each.

    Every versioned write records the version it made in its audit row's ``details``.
    """
    visible = (
        visible_cases(actor=actor) if isinstance(record, Case) else visible_people(actor=actor)
    )
    if not visible.filter(pk=record.pk).exists():
        return []
    return list(
        AuditEvent.objects.filter(
            object_type=record._meta.label_lower,
            object_id=str(record.pk),
            details__version__gt=version,
        ).order_by("occurred_at", "id")
    )
