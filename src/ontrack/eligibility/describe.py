"""Policy versions in words: a criterion's operator in plain language, and the changes
between two versions (criteria added, removed or changed; value sets)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ontrack.common.words import in_words
from ontrack.eligibility.policy import Criterion, PolicyVersion
from ontrack.eligibility.vocabulary import fact
from ontrack.offenses.categories import category_label


def _plain(value: Any) -> str:
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_plain(v) for v in value) + "]"
    return str(value)


def operator_call(criterion: Criterion) -> str:
    """The operator with its arguments as written in the file: ``age_between(min=18, max=30)``."""
    args = ", ".join(f"{k}={_plain(v)}" for k, v in criterion.args.items())
    return f"{criterion.operator}({args})"


def _fact(name: str) -> str:
    """A fact by its meaning ("Number of prior felony convictions"), never its name."""
    try:
        return fact(name).meaning
    except KeyError:
        return in_words(name)


def _categories(names: list[str]) -> str:
    return "; ".join(category_label(c) for c in names)


def describe(criterion: Criterion) -> str:
    """The rule in words, for people who do not read the operator names."""
    a = criterion.args
    try:
        match criterion.operator:
            case "age_between":
                return f"age at the offense is {a['min']} to {a['max']} (completed years)"
            case "charge_in_set":
                return (
                    f"a {a['level']} charge whose statute code (or the section it subdivides) "
                    f"is in the list “{in_words(a['set'])}”"
                )
            case "none_of_categories":
                return f"no current charge is in the categories: {_categories(a['categories'])}"
            case "any_of_categories":
                return f"some current charge is in the categories: {_categories(a['categories'])}"
            case "is_zero":
                return f"{_fact(a['fact'])}: 0"
            case "at_most":
                return f"{_fact(a['fact'])}: at most {a['max']}"
            case "is_false":
                return f"{_fact(a['fact'])}: no"
            case "equals":
                return f"{_fact(a['fact'])}: {in_words(a['value'])}"
    except (KeyError, TypeError):
        pass
    return operator_call(criterion)


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str


@dataclass(frozen=True)
class CriterionChange:
    id: str
    label: str
    changes: list[Change]


@dataclass(frozen=True)
class ValueSetChange:
    name: str
    kind: str  # added, removed, changed
    added: list[str]
    removed: list[str]


@dataclass(frozen=True)
class PolicyDiff:
    older: PolicyVersion
    newer: PolicyVersion
    added: list[Criterion] = field(default_factory=list)
    removed: list[Criterion] = field(default_factory=list)
    changed: list[CriterionChange] = field(default_factory=list)
    value_sets: list[ValueSetChange] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.value_sets)


def diff_versions(older: PolicyVersion, newer: PolicyVersion) -> PolicyDiff:
    """Criteria added, removed and changed (matched by id), and value-set changes."""
    before = {c.id: c for c in older.criteria}
    after = {c.id: c for c in newer.criteria}
    changed = []
    for c in newer.criteria:
        old = before.get(c.id)
        if old is None:
            continue
        changes = [
            Change(name, was, now)
            for name, was, now in (
                ("label", old.label, c.label),
                ("citation", old.citation, c.citation),
                ("operator", old.operator, c.operator),
                ("arguments", operator_call(old), operator_call(c)),
            )
            if was != now
        ]
        if changes:
            changed.append(CriterionChange(c.id, c.label, changes))
    sets = []
    for name in sorted(set(older.value_sets) | set(newer.value_sets)):
        was = older.value_sets.get(name)
        now = newer.value_sets.get(name)
        if was is None and now is not None:
            sets.append(ValueSetChange(name, "added", list(now), []))
        elif now is None and was is not None:
            sets.append(ValueSetChange(name, "removed", [], list(was)))
        elif was is not None and now is not None and set(was) != set(now):
            sets.append(
                ValueSetChange(
                    name,
                    "changed",
                    [v for v in now if v not in was],
                    [v for v in was if v not in now],
                )
            )
    return PolicyDiff(
        older,
        newer,
        added=[c for c in newer.criteria if c.id not in before],
        removed=[c for c in older.criteria if c.id not in after],
        changed=changed,
        value_sets=sets,
    )
