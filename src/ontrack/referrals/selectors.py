"""Reads for referral intake, filtered to what the actor may see."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from ontrack.cases.selectors import visible_cases
from ontrack.cases.visibility import sees_every_program
from ontrack.offenses.catalog import level_in_words
from ontrack.offenses.selectors import catalog_listing
from ontrack.programs.models import Program
from ontrack.referrals.models import Referral

SUGGESTIONS = 20  # codes offered at once while typing; more typing narrows them


def visible_referrals(*, actor: Any) -> QuerySet[Referral]:
    """Referrals whose case the actor may see (the one rule, ``cases/visibility.py``)."""
    return Referral.objects.filter(case__in=visible_cases(actor=actor))


def intake_programs(*, actor: Any) -> list[Program]:
    """The programs ``actor`` may place a referral's case in: every program for those who
    see every program, otherwise the programs they are a member of (one query)."""
    if sees_every_program(actor):
        return list(Program.objects.order_by("name"))
    if not getattr(actor, "is_active", False):
        return []
    return list(Program.objects.filter(memberships__user_id=actor.pk).order_by("name"))


@dataclass(frozen=True)
class CodeSuggestion:
    code: str  # "HS 11350", as the catalog writes it
    description: str  # "" when the catalog has none
    level: str  # in words: "felony", "wobbler", "enhancement"; "" when the catalog has none


def code_suggestions(*, actor: Any, query: str) -> list[CodeSuggestion]:
    """Catalog codes matching what was typed, for charge entry (no query: none)."""
    if not query.strip():
        return []
    found = catalog_listing(actor=actor, query=query)[:SUGGESTIONS]
    return [CodeSuggestion(i.code.text, i.description or "", level_in_words(i)) for i in found]
