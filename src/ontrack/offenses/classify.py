"""Charge classifier: a statute code or a free-text charge description → offense categories.

Every category comes with the evidence that decided it: the catalog entry and its legal basis
for a statute code, or the rule in ``data/charge_patterns.yaml`` and the text it matched for a
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

from ontrack.offenses.catalog import CatalogFile, StatuteEntry, read_catalog
from ontrack.offenses.classify_rules import (
    DEFAULT_PATTERNS,
    ChargePatternError,
    Rule,
    RuleSet,
    normalise_text,
    read_rules,
)
from ontrack.offenses.codes import StatuteCodeError, normalise, parents

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
    rule: str  # rule id from charge_patterns.yaml, or "catalog:HS 11351" for a statute code
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

    def __init__(self, rules: RuleSet, catalog: CatalogFile) -> None:
        self._rules = rules
        self._catalog = catalog
        self._by_code: dict[str, StatuteEntry] = {s.code: s for s in catalog.statutes}

    @classmethod
    def load(
        cls, patterns: Path = DEFAULT_PATTERNS, catalog: CatalogFile | None = None
    ) -> Classifier:
        """Read and validate the pattern file (``ChargePatternError`` names every problem)."""
        return cls(read_rules(patterns), catalog if catalog is not None else read_catalog())

    @property
    def rules(self) -> tuple[Rule, ...]:
        return self._rules.rules

    # ------------------------------------------------------------------ one charge
    def classify(self, *, statute_code: str = "", description: str = "") -> Classification:
        notes: list[str] = []
        code_text = (statute_code or "").strip()
        if code_text:
            try:
                code = normalise(code_text)
            except StatuteCodeError:
                notes.append(f"statute code {code_text!r} is not readable; not used")
            else:
                entry = self._catalog_entry(code)
                if entry is not None:
                    return self._from_catalog(code, entry)
                notes.append(f"statute code {code} is not in the catalog; not used")
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

    def _catalog_entry(self, code: str) -> StatuteEntry | None:
        """Exact entry, else the nearest broader entry covering its subdivisions.

        The same resolution as ``selectors.catalog_entries`` uses against the database.
        """
        entry = self._by_code.get(code)
        if entry is not None:
            return entry
        return next(
            (
                self._by_code[p]
                for p in parents(code)
                if p in self._by_code and self._by_code[p].includes_subdivisions
            ),
            None,
        )

    def _from_catalog(self, code: str, entry: StatuteEntry) -> Classification:
        evidence = tuple(
            Evidence(rule=f"catalog:{entry.code}", category=c.category, matched=code, basis=c.basis)
            for c in entry.categories
        )
        return Classification(
            categories=frozenset(c.category for c in entry.categories),
            evidence=evidence,
            source=SOURCE_STATUTE_CODE,
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


def _rule_ids(result: Classification) -> list[str]:
    return list(dict.fromkeys(e.rule for e in result.evidence))


@functools.cache
def default_classifier() -> Classifier:
    """The shipped rules and catalog, compiled once per process (pages, commands)."""
    return Classifier.load()
