"""A "How many?" question and its answer over the facts frame (pure Polars, no ORM).

A question is a screening status under a named policy (the latest screening's result, or
the decision in force) and any number of conditions on facts of the vocabulary
(``eligibility/vocabulary.py``): the fact is not known, is known, is a value, or is known
and not that value. Three-valued: "not known" is its own answer; a case whose fact is not
known never matches "is" or "is not" (unknown is not yes, and not no either).

The frame is ``eligibility.derive.facts_of_cases`` — the one derivation screening reads —
so a fact here means exactly what it means to the engine.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from ontrack.eligibility.engine import ELIGIBLE, INELIGIBLE, NEEDS_INFORMATION
from ontrack.eligibility.forms import RESULT_LABELS
from ontrack.eligibility.vocabulary import FACTS, Fact

NOT_SCREENED = "not_screened"
STATUSES = {
    ELIGIBLE: RESULT_LABELS[ELIGIBLE],
    NEEDS_INFORMATION: RESULT_LABELS[NEEDS_INFORMATION],
    INELIGIBLE: RESULT_LABELS[INELIGIBLE],
    NOT_SCREENED: "Not screened",
}
BASES = {
    "latest": "latest screening's result",
    "decision": "decision in force",
}
UNKNOWN, KNOWN, IS, IS_NOT = "unknown", "known", "is", "not"
# Facts a question can name: every fact of the vocabulary but the screening's own inputs.
ASKABLE: tuple[Fact, ...] = tuple(f for f in FACTS if f.name not in ("case_id", "referral_date"))


def value_label(value: str) -> str:
    """A vocabulary value in words: ``not_authorized`` → "Not authorized"."""
    return value.replace("_", " ").capitalize()


def values_of(fact: Fact) -> tuple[tuple[str, str], ...]:
    """The values a condition can name, with their labels: booleans and listed values."""
    if fact.type == "boolean":
        return (("true", "Yes"), ("false", "No"))
    return tuple((v, value_label(v)) for v in fact.allowed)


@dataclass(frozen=True)
class Condition:
    fact: Fact
    test: str  # UNKNOWN, KNOWN, IS, IS_NOT
    value: str = ""  # for IS and IS_NOT: one of values_of(fact)

    @property
    def words(self) -> str:
        label = self.fact.meaning  # as the vocabulary words it ("United States")
        if self.test == UNKNOWN:
            return f"{label}: not known"
        if self.test == KNOWN:
            return f"{label}: known"
        shown = dict(values_of(self.fact))[self.value].lower()
        return f"{label} {'is' if self.test == IS else 'is known and is not'} {shown}"

    def expr(self) -> pl.Expr:
        column = pl.col(self.fact.name)
        if self.test == UNKNOWN:
            return column.is_null()
        if self.test == KNOWN:
            return column.is_not_null()
        wanted: bool | str = self.value == "true" if self.fact.type == "boolean" else self.value
        # A null compares to null, which the filter drops: unknown matches neither.
        return column == wanted if self.test == IS else column != wanted


@dataclass(frozen=True)
class Question:
    policy: str  # a policy slug; "" with status "": no screening condition
    basis: str  # a key of BASES
    status: str  # a key of STATUSES, or "" for any
    conditions: tuple[Condition, ...] = ()

    def status_expr(self) -> pl.Expr:
        if not self.status:
            return pl.lit(True)
        if self.status == NOT_SCREENED:
            return pl.col("status").is_null()
        return pl.col("status") == self.status

    def matching(self, facts: pl.DataFrame, statuses: pl.DataFrame) -> pl.DataFrame:
        """The rows of ``facts`` that answer yes; ``statuses`` is ``case_id, status``."""
        joined = facts.join(statuses, on="case_id", how="left", maintain_order="left")
        return joined.filter(self.status_expr(), *[c.expr() for c in self.conditions])
