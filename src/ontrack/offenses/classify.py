"""Charge classifier: a statute code or a free-text charge description → offense categories.

Every category comes with the evidence that decided it: the catalog's finding and its legal
basis for a statute code (looked up through the one catalog API, ``lookup.catalog()``), or the
rule in ``data/charge_patterns.yaml`` and the text it matched for a
description. When neither decides, the result is *unclassified* (no categories): the
classifier abstains rather than guess, and callers must treat that as unknown.

    >>> classifier = Classifier.load()
    >>> sorted(classifier.classify(statute_code="pc 211").categories)
    ['serious', 'violent']
    >>> sorted(classifier.classify(description="Poss Cocaine/Intent To Del/Sel").categories)
    ['drug_possession_for_sale']
    >>> classifier.classify(description="arrest case no charge").unclassified
    True

One definition serves both paths: ``classify`` explains one charge, ``classify_many``
classifies a column of descriptions (each distinct value once) with the same rules.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from ontrack.offenses.classify_rules import (
    DEFAULT_PATTERNS,
    ChargePatternError,
    Rule,
    RuleSet,
    normalise_text,
    read_rules,
)
from ontrack.offenses.codes import StatuteCodeError, parse
from ontrack.offenses.lookup import Catalog, CodeInfo, catalog

__all__ = [
    "DEFAULT_PATTERNS",
    "ChargePatternError",
    "Classification",
    "Classifier",
    "Evidence",
    "normalise_text",
]

SOURCE_STATUTE_CODE = "statute_code"
SOURCE_DESCRIPTION = "description"
SOURCE_NONE = "none"


@dataclass(frozen=True)
class Evidence:
    rule: str  # rule id from charge_patterns.yaml, or "catalog" for a statute code
    category: str
    matched: str  # the text (normalised) or code that matched
    basis: str  # catalog: the legal basis ("PC 667.5(c)(9)"); text rules: the rule's description


@dataclass(frozen=True)
class Classification:
    categories: frozenset[str]  # empty means unclassified
    evidence: tuple[Evidence, ...]
    source: str  # "statute_code", "description" or "none"
    # Why a given input was not used: an unreadable or uncatalogued statute code.
    notes: tuple[str, ...] = ()

    @property
    def unclassified(self) -> bool:
        return not self.categories


class Classifier:
    """Compiled rules and catalog index; build once with ``load`` and reuse."""

    def __init__(self, rules: RuleSet, codes: Catalog) -> None:
        self._rules = rules
        self._catalog = codes

    @classmethod
    def load(cls, patterns: Path = DEFAULT_PATTERNS, codes: Catalog | None = None) -> Classifier:
        """Read and validate the pattern file (``ChargePatternError`` names every problem)."""
        return cls(read_rules(patterns), codes if codes is not None else catalog())

    @property
    def rules(self) -> tuple[Rule, ...]:
        return self._rules.rules

    # ------------------------------------------------------------------ one charge
    def classify(self, *, statute_code: str = "", description: str = "") -> Classification:
        notes: list[str] = []
        code_text = (statute_code or "").strip()
        if code_text:
            try:
                code = parse(code_text)
            except StatuteCodeError:
                notes.append(f"statute code {code_text!r} is not readable; not used")
            else:
                info = self._catalog.lookup(code)
                if info.known:
                    return _from_catalog(info)
                notes.append(f"statute code {code.text} is not in the catalog; not used")
        if (description or "").strip():
            found = self._from_description(description)
            if found.categories:
                if notes:
                    notes.append("classified from the description instead")
                return Classification(
                    categories=found.categories,
                    evidence=found.evidence,
                    source=SOURCE_DESCRIPTION,
                    notes=tuple(notes),
                )
            notes.append("no rule recognises the description")
        return Classification(
            categories=frozenset(), evidence=(), source=SOURCE_NONE, notes=tuple(notes)
        )

    def _from_description(self, description: str) -> Classification:
        text = normalise_text(description)
        fired: list[Evidence] = []
        for rule in self._rules.rules:
            matched = rule.match(text)
            if matched is not None:
                fired.append(
                    Evidence(
                        rule=rule.id,
                        category=rule.category,
                        matched=matched,
                        basis=rule.description,
                    )
                )
        keep = self._rules.resolve({e.category for e in fired})
        return Classification(
            categories=frozenset(keep),
            evidence=tuple(e for e in fired if e.category in keep),
            source=SOURCE_DESCRIPTION if keep else SOURCE_NONE,
        )

    # ------------------------------------------------------------------ a column
    def classify_many(self, descriptions: pl.Series) -> pl.DataFrame:
        """Classify a column of descriptions; each distinct value is classified once.

        One row per input row, in input order: ``description``, ``categories`` (sorted),
        ``rules`` (ids of the rules behind them), ``unclassified``. A null description is
        unclassified.
        """
        values = descriptions.cast(pl.String).rename("description")
        distinct = values.unique()
        results = [self.classify(description=v or "") for v in distinct.to_list()]
        lookup = pl.DataFrame(
            {
                "description": distinct,
                "categories": [sorted(r.categories) for r in results],
                "rules": [_rule_ids(r) for r in results],
                "unclassified": [r.unclassified for r in results],
            },
            schema={
                "description": pl.String,
                "categories": pl.List(pl.String),
                "rules": pl.List(pl.String),
                "unclassified": pl.Boolean,
            },
        )
        return values.to_frame().join(
            lookup, on="description", how="left", nulls_equal=True, maintain_order="left"
        )


def _from_catalog(info: CodeInfo) -> Classification:
    """The categories that certainly apply; those that only may are notes, not categories.

    A known code in none of the catalog's categories is the residual "other", as a
    description no named rule fits but a rule recognises.
    """
    code = info.code.text
    evidence = tuple(
        Evidence(rule="catalog", category=f.category, matched=code, basis=f.basis)
        for f in info.categories
        if f.certain
    )
    notes = tuple(
        f"may also be {f.category} ({f.basis}): {f.note or 'depends on facts the code omits'}"
        for f in info.categories
        if not f.certain and f.category not in info.definite
    )
    if not evidence and not notes:
        evidence = (Evidence("catalog", "other", code, "in none of the catalog's categories"),)
    return Classification(
        categories=frozenset(e.category for e in evidence),
        evidence=evidence,
        source=SOURCE_STATUTE_CODE,
        notes=notes,
    )


def _rule_ids(result: Classification) -> list[str]:
    return list(dict.fromkeys(e.rule for e in result.evidence))


@functools.cache
def default_classifier() -> Classifier:
    """The shipped rules over the one catalog, compiled once per process (pages, commands)."""
    return Classifier.load()
