"""Reading and validating the charge-pattern file (``data/charge_patterns.yaml``).

The file holds the description rules as data; this module turns it into compiled rules or
raises ``ChargePatternError`` naming the rule and field of every problem it finds. What the
rules mean is documented in the file itself.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ontrack.common.yamlfiles import load_yaml
from ontrack.offenses.categories import OffenseCategory

DEFAULT_PATTERNS = Path(__file__).resolve().parent / "data" / "charge_patterns.yaml"

_RULE_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_TERM_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_TERM_REFERENCE = re.compile(r"\{([a-z][a-z0-9_]*)\}")
_RULE_KEYS = {"id", "category", "description", "patterns", "requires", "unless"}
_TOP_KEYS = {"version", "terms", "precedence", "residual", "rules"}


class ChargePatternError(ValueError):
    """The charge-pattern file is invalid; the message lists every problem found."""


@dataclass(frozen=True)
class Rule:
    id: str
    category: str
    description: str
    patterns: tuple[re.Pattern[str], ...]
    requires: tuple[re.Pattern[str], ...]
    unless: tuple[re.Pattern[str], ...]

    def match(self, text: str) -> str | None:
        """The text that made this rule fire on ``text`` (already normalised), or ``None``."""
        hit = next((m for p in self.patterns if (m := p.search(text))), None)
        if hit is None:
            return None
        if not all(p.search(text) for p in self.requires):
            return None
        if any(p.search(text) for p in self.unless):
            return None
        return hit.group(0).strip() or text


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...]
    # Each chain lists categories most specific first; only the first present survives.
    precedence: tuple[tuple[str, ...], ...]
    # Given only when no other category applies ("" when the file names none) ...
    residual: str
    # ... apart from these circumstance categories, which may stand alongside it.
    alongside: frozenset[str] = frozenset()

    def resolve(self, present: set[str]) -> set[str]:
        """The categories that survive precedence and the residual rule."""
        keep = set(present)
        for chain in self.precedence:
            keep.difference_update([c for c in chain if c in present][1:])
        if self.residual in keep and keep - self.alongside - {self.residual}:
            keep.discard(self.residual)
        return keep


def normalise_text(text: str) -> str:
    """The form rules are matched against: NFKC, lower case, ``&`` → "and", single spaces."""
    text = unicodedata.normalize("NFKC", text).lower().replace("&", " and ")
    return " ".join(text.split())


def read_rules(path: Path = DEFAULT_PATTERNS) -> RuleSet:
    try:
        document = load_yaml(path.read_bytes())
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ChargePatternError(f"{path}: cannot read: {exc}") from exc
    return parse_rules(document, source=path.name)


def parse_rules(document: Any, *, source: str = "charge patterns") -> RuleSet:
    """Validate a loaded document whole; ``ChargePatternError`` lists every problem."""
    if not isinstance(document, dict) or not isinstance(document.get("rules"), list):
        raise ChargePatternError(f"{source}: expected a mapping with a 'rules' list")
    problems: list[str] = []
    categories = set(OffenseCategory.values)
    for key in sorted(set(document) - _TOP_KEYS, key=str):
        problems.append(f"{source}: {key}: unknown key (expected one of {sorted(_TOP_KEYS)})")
    if document.get("version") != 1:
        problems.append(f"{source}: version: must be 1, got {document.get('version')!r}")

    terms = _read_terms(document.get("terms"), source, problems)
    precedence = _read_precedence(document.get("precedence"), source, categories, problems)
    residual, alongside = _read_residual(document.get("residual"), source, categories, problems)

    rules: list[Rule] = []
    seen: set[str] = set()
    for index, item in enumerate(document["rules"], start=1):
        where = f"{source}: rule #{index}"
        if not isinstance(item, dict):
            problems.append(f"{where}: expected a mapping")
            continue
        rule_id = item.get("id")
        if not isinstance(rule_id, str) or not _RULE_ID.match(rule_id):
            problems.append(f"{where}: id: {rule_id!r} must be lower-case letters, digits, '-'")
        else:
            where = f"{source}: rule {rule_id}"
            if rule_id in seen:
                problems.append(f"{where}: id: listed twice")
            seen.add(rule_id)
        for key in sorted(set(item) - _RULE_KEYS, key=str):
            problems.append(f"{where}: {key}: unknown field (expected {sorted(_RULE_KEYS)})")
        category = item.get("category")
        if category not in categories:
            problems.append(f"{where}: category: {category!r} is not one of {sorted(categories)}")
        description = item.get("description")
        if not isinstance(description, str) or not description.strip():
            problems.append(f"{where}: description: required (say why the rule holds)")
        patterns = _compile_list(item, "patterns", where, terms, problems, required=True)
        requires = _compile_list(item, "requires", where, terms, problems, required=False)
        unless = _compile_list(item, "unless", where, terms, problems, required=False)
        rules.append(
            Rule(
                id=str(rule_id),
                category=str(category),
                description=str(description or "").strip(),
                patterns=patterns,
                requires=requires,
                unless=unless,
            )
        )
    if problems:
        raise ChargePatternError("\n".join(problems))
    return RuleSet(
        rules=tuple(rules), precedence=precedence, residual=residual, alongside=alongside
    )


def _read_terms(raw: Any, source: str, problems: list[str]) -> dict[str, str]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        problems.append(f"{source}: terms: expected a mapping of name → regex or list of regexes")
        return {}
    terms: dict[str, str] = {}
    for name, value in raw.items():
        where = f"{source}: terms: {name}"
        if not isinstance(name, str) or not _TERM_NAME.match(name):
            problems.append(f"{where}: name must be lower-case letters, digits, '_'")
            continue
        parts = value if isinstance(value, list) else [value]
        if not parts or not all(isinstance(p, str) and p for p in parts):
            problems.append(f"{where}: expected a regex or a non-empty list of regexes")
            continue
        if any(_TERM_REFERENCE.search(p) for p in parts):
            problems.append(f"{where}: a term may not refer to another term")
            continue
        text = "(?:" + "|".join(parts) + ")"
        try:
            re.compile(text)
        except re.error as exc:
            problems.append(f"{where}: invalid regex: {exc}")
            continue
        terms[name] = text
    return terms


def _read_precedence(
    raw: Any, source: str, categories: set[str], problems: list[str]
) -> tuple[tuple[str, ...], ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        problems.append(f"{source}: precedence: expected a list of category chains")
        return ()
    chains: list[tuple[str, ...]] = []
    for index, chain in enumerate(raw, start=1):
        where = f"{source}: precedence: chain #{index}"
        if not isinstance(chain, list) or len(chain) < 2:
            problems.append(f"{where}: expected a list of at least two categories")
            continue
        unknown = [c for c in chain if c not in categories]
        if unknown:
            problems.append(f"{where}: {unknown!r} not known categories")
            continue
        if len(set(chain)) != len(chain):
            problems.append(f"{where}: a category is listed twice")
            continue
        chains.append(tuple(str(c) for c in chain))
    return tuple(chains)


def _read_residual(
    raw: Any, source: str, categories: set[str], problems: list[str]
) -> tuple[str, frozenset[str]]:
    if raw is None:
        return "", frozenset()
    if not isinstance(raw, dict) or set(raw) - {"category", "alongside"}:
        problems.append(f"{source}: residual: expected a mapping with category and alongside")
        return "", frozenset()
    category = raw.get("category")
    if category not in categories:
        problems.append(f"{source}: residual: category: {category!r} is not a known category")
        return "", frozenset()
    alongside = raw.get("alongside") or []
    if not isinstance(alongside, list) or any(c not in categories for c in alongside):
        problems.append(f"{source}: residual: alongside: {alongside!r} must list known categories")
        return "", frozenset()
    return str(category), frozenset(str(c) for c in alongside)


def _compile_list(
    item: dict[str, Any],
    field: str,
    where: str,
    terms: dict[str, str],
    problems: list[str],
    *,
    required: bool,
) -> tuple[re.Pattern[str], ...]:
    raw = item.get(field)
    if raw is None and not required:
        return ()
    if not isinstance(raw, list) or not raw:
        problems.append(f"{where}: {field}: expected a non-empty list of regexes")
        return ()
    compiled: list[re.Pattern[str]] = []
    for number, pattern in enumerate(raw, start=1):
        label = f"{where}: {field} #{number}"
        if not isinstance(pattern, str) or not pattern.strip():
            problems.append(f"{label}: expected a non-empty string, got {pattern!r}")
            continue
        missing = [n for n in _TERM_REFERENCE.findall(pattern) if n not in terms]
        if missing:
            problems.append(f"{label}: unknown term {{{missing[0]}}}")
            continue
        expanded = _TERM_REFERENCE.sub(lambda m: terms[m[1]], pattern)
        try:
            regex = re.compile(expanded, re.IGNORECASE)
        except re.error as exc:
            problems.append(f"{label}: invalid regex {pattern!r}: {exc}")
            continue
        if regex.search(""):
            problems.append(f"{label}: {pattern!r} matches empty text")
            continue
        compiled.append(regex)
    return tuple(compiled)
