"""Policy versions as data: YAML files, validated whole on load, hashed, never edited once
approved. A version has an effective range [from, to), a status, named value sets and an
ordered list of criteria, each with an id, label, citation, operator and arguments.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ontrack.eligibility.operators import OPERATORS
from ontrack.offenses.codes import StatuteCodeError, normalise

POLICY_DIR = Path(__file__).resolve().parent / "policies"
STATUSES = {"draft", "approved", "retired"}


class PolicyError(ValueError):
    """A policy file is invalid; the message lists every problem."""


@dataclass(frozen=True)
class Criterion:
    id: str
    label: str
    citation: str
    operator: str
    args: dict[str, Any]

    @property
    def reads(self) -> tuple[str, ...]:
        return OPERATORS[self.operator].reads(self.args)


@dataclass(frozen=True)
class PolicyVersion:
    policy: str
    title: str
    label: str
    effective_from: dt.date
    effective_to: dt.date | None
    status: str
    value_sets: dict[str, tuple[str, ...]]
    criteria: tuple[Criterion, ...]
    sha256: str
    source: str = field(default="", compare=False)
    document: dict[str, Any] = field(default_factory=dict, compare=False)

    def in_force(self, day: dt.date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day < self.effective_to)

    @property
    def criterion_ids(self) -> list[str]:
        return [c.id for c in self.criteria]


def _date(value: Any, where: str, problems: list[str]) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        problems.append(f"{where}: {value!r} is not a date (YYYY-MM-DD)")
        return None


def parse_version(raw: bytes, source: str) -> PolicyVersion:
    try:
        doc = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        raise PolicyError(f"{source}: not valid YAML: {exc}") from exc
    if not isinstance(doc, dict):
        raise PolicyError(f"{source}: expected a mapping")
    problems: list[str] = []
    for key in ("policy", "label", "title", "effective_from", "status", "criteria"):
        if key not in doc:
            problems.append(f"{source}: {key}: required")
    if problems:
        raise PolicyError("\n".join(problems))
    start = _date(doc["effective_from"], f"{source}: effective_from", problems)
    end = _date(doc.get("effective_to"), f"{source}: effective_to", problems)
    if start and end and end <= start:
        problems.append(f"{source}: effective_to must be after effective_from")
    if doc["status"] not in STATUSES:
        problems.append(f"{source}: status: {doc['status']!r} is not one of {sorted(STATUSES)}")
    value_sets: dict[str, tuple[str, ...]] = {}
    for name, values in (doc.get("value_sets") or {}).items():
        codes = []
        for value in values or []:
            try:
                codes.append(normalise(str(value)) if name.endswith("codes") else str(value))
            except StatuteCodeError as exc:
                problems.append(f"{source}: value_sets.{name}: {exc}")
        value_sets[str(name)] = tuple(codes)
    criteria: list[Criterion] = []
    seen: set[str] = set()
    for i, item in enumerate(doc["criteria"] or [], start=1):
        where = (
            f"{source}: criteria #{i} ({item.get('id', '?') if isinstance(item, dict) else '?'})"
        )
        if not isinstance(item, dict):
            problems.append(f"{where}: expected a mapping")
            continue
        for key in ("id", "label", "citation", "operator"):
            if not item.get(key):
                problems.append(f"{where}: {key}: required")
        if item.get("id") in seen:
            problems.append(f"{where}: id: used twice")
        seen.add(str(item.get("id")))
        operator = OPERATORS.get(str(item.get("operator")))
        args = dict(item.get("args") or {})
        if operator is None:
            problems.append(
                f"{where}: operator: {item.get('operator')!r} is not one of {sorted(OPERATORS)}"
            )
        else:
            problems.extend(f"{where}: args: {p}" for p in operator.check(args, value_sets))
        criteria.append(
            Criterion(
                str(item.get("id")),
                str(item.get("label")),
                str(item.get("citation")),
                str(item.get("operator")),
                args,
            )
        )
    if problems:
        raise PolicyError("\n".join(problems))
    assert start is not None
    return PolicyVersion(
        policy=str(doc["policy"]),
        title=str(doc["title"]),
        label=str(doc["label"]),
        effective_from=start,
        effective_to=end,
        status=str(doc["status"]),
        value_sets=value_sets,
        criteria=tuple(criteria),
        sha256=hashlib.sha256(raw).hexdigest(),
        source=source,
        document=doc,
    )


def policy_slugs() -> list[str]:
    return sorted(p.name for p in POLICY_DIR.iterdir() if p.is_dir())


def load_policy(slug: str) -> list[PolicyVersion]:
    """Every version of a policy, ordered by start date; overlapping ranges are an error."""
    folder = POLICY_DIR / slug
    if "/" in slug or not folder.is_dir():
        raise PolicyError(f"no policy {slug!r}; available: {', '.join(policy_slugs())}")
    versions = [
        parse_version(p.read_bytes(), f"{slug}/{p.name}") for p in sorted(folder.glob("*.yaml"))
    ]
    versions.sort(key=lambda v: v.effective_from)
    problems = [
        f"{slug}/{v.label}.yaml: policy is {v.policy!r}, expected {slug!r}"
        for v in versions
        if v.policy != slug
    ]
    for earlier, later in itertools.pairwise(versions):
        if earlier.effective_to is None or earlier.effective_to > later.effective_from:
            problems.append(f"{slug}: versions {earlier.label} and {later.label} overlap")
    if problems:
        raise PolicyError("\n".join(problems))
    return versions


def version_by_label(versions: list[PolicyVersion], label: str) -> PolicyVersion:
    for v in versions:
        if v.label == label:
            return v
    raise PolicyError(f"no version {label!r}; available: {', '.join(v.label for v in versions)}")
