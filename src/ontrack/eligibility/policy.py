"""Policy versions as data: YAML files, validated whole on load, hashed, never edited once
approved. A version has an effective range [from, to), a status, named value sets and an
ordered list of criteria, each with an id, label, citation, operator and arguments.

Policies come from the package (``eligibility/policies/<slug>/``) and from the site
directory (``$ONTRACK_SITE_DIR/policies/<slug>/``, see ``ontrack.common.site``), so a county
adds its own policy without forking; a slug defined in both places is refused. A version
marked ``example: true`` is listed and testable but never screens a real case.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from ontrack.common.site import SiteConfigError, data_dirs, find_one
from ontrack.common.yamlfiles import load_yaml
from ontrack.eligibility.operators import OPERATORS
from ontrack.offenses.codes import StatuteCodeError, normalise

POLICY_DIR = Path(__file__).resolve().parent / "policies"  # the shipped policies only
STATUSES = {"draft", "approved", "retired"}
EXAMPLE_LABEL = "example — not for decisions"
POLICY_SETTINGS = "policy.yaml"  # settings of the whole policy, beside its version files
# ``example``: listed and tested, never screens a real case; ``name``: what pages call the
# policy (its slug is what commands, files and the API take).
SETTINGS = ("example", "name")


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
    # An example (``example: true``) is listed and testable, never used on a real case.
    example: bool = False
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
        doc = load_yaml(raw)
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
    if not isinstance(doc.get("example", False), bool):
        problems.append(f"{source}: example: {doc['example']!r} is not true or false")
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
        example=doc.get("example", False) is True,
        source=source,
        document=doc,
    )


def policy_dirs() -> list[Path]:
    """Where policies live: the package's folder, then the site's ``policies/`` if any."""
    try:
        return data_dirs("policies", POLICY_DIR)
    except SiteConfigError as exc:
        raise PolicyError(str(exc)) from exc


def policy_slugs() -> list[str]:
    """Every policy, shipped or the site's (a slug in both is listed once; loading it fails)."""
    return sorted({p.name for d in policy_dirs() for p in d.iterdir() if p.is_dir()})


def policy_folder(slug: str) -> Path:
    """The one folder of ``slug``; absent, or defined in the package and the site, is an error."""
    try:
        folder = find_one("policies", POLICY_DIR, slug)
    except SiteConfigError as exc:
        raise PolicyError(str(exc)) from exc
    if folder is None or not folder.is_dir():
        raise PolicyError(f"no policy {slug!r}; available: {', '.join(policy_slugs())}")
    return folder


def _policy_settings(path: Path, source: str) -> bool:
    """Whether ``policy.yaml`` marks the whole policy an example (its only setting so far).

    A marker beside the versions, not a key added to them: an approved version's file never
    changes (its hash is recorded), and calling a policy an example only narrows its use.
    """
    if not path.exists():
        return False
    try:
        doc = load_yaml(path.read_bytes())
    except yaml.YAMLError as exc:
        raise PolicyError(f"{source}: not valid YAML: {exc}") from exc
    if not isinstance(doc, dict):
        raise PolicyError(f"{source}: expected a mapping")
    problems = [
        f"{source}: {key}: not a policy setting (known: {', '.join(SETTINGS)})"
        for key in doc
        if key not in SETTINGS
    ]
    if not isinstance(doc.get("example", False), bool):
        problems.append(f"{source}: example: {doc['example']!r} is not true or false")
    if "name" in doc and not (isinstance(doc["name"], str) and doc["name"].strip()):
        problems.append(f"{source}: name: {doc['name']!r} is not a name")
    if problems:
        raise PolicyError("\n".join(problems))
    return doc.get("example", False) is True


def policy_name(slug: str) -> str:
    """What pages call a policy: ``name`` in its ``policy.yaml``, else its slug in words
    (``back-on-track`` → "Back on track"); pages never show the slug itself (issue 9, item 7).
    An invalid settings file is reported by ``load_policy``; here it falls back to words."""
    fallback = slug.replace("-", " ").replace("_", " ").capitalize()
    try:
        path = policy_folder(slug) / POLICY_SETTINGS
        doc = load_yaml(path.read_bytes()) if path.exists() else None
    except (PolicyError, yaml.YAMLError, OSError):
        return fallback
    name = doc.get("name") if isinstance(doc, dict) else None
    return name.strip() if isinstance(name, str) and name.strip() else fallback


def load_policy(slug: str) -> list[PolicyVersion]:
    """Every version of a policy, ordered by start date; overlapping ranges are an error."""
    folder = policy_folder(slug)
    # Shipped files are named as in the repository; a site's by full path, so the county's
    # administrator sees which of their files is wrong.
    shipped = folder.parent == POLICY_DIR

    def name(path: Path) -> str:
        return f"{slug}/{path.name}" if shipped else str(path)

    example = _policy_settings(folder / POLICY_SETTINGS, name(folder / POLICY_SETTINGS))
    versions = [
        parse_version(p.read_bytes(), name(p))
        for p in sorted(folder.glob("*.yaml"))
        if p.name != POLICY_SETTINGS
    ]
    if example:
        versions = [replace(v, example=True) for v in versions]
    versions.sort(key=lambda v: v.effective_from)
    problems = [
        f"{v.source}: policy is {v.policy!r}, expected {slug!r}"
        for v in versions
        if v.policy != slug
    ]
    for earlier, later in itertools.pairwise(versions):
        if earlier.effective_to is None or earlier.effective_to > later.effective_from:
            problems.append(f"{slug}: versions {earlier.label} and {later.label} overlap")
    if problems:
        raise PolicyError("\n".join(problems))
    return versions


def example_note(versions: list[PolicyVersion]) -> str:
    """What a command prints when it runs an example version ("" when none is one)."""
    labels = list(dict.fromkeys(v.label for v in versions if v.example))
    if not labels:
        return ""
    policy = versions[0].policy
    return f"{policy} {', '.join(labels)}: {EXAMPLE_LABEL} (an example policy never screens a case)"


def refusal_for_cases(version: PolicyVersion) -> str:
    """Why ``version`` may not screen a real case ("" when it may)."""
    if not version.example:
        return ""
    return (
        f"{version.policy} {version.label} is an example policy: it can be listed, tested and "
        "simulated, never used to screen a real case; choose a policy that is not an example"
    )


def case_policies() -> list[str]:
    """Policies offered for screening real cases: valid, with a version that is not an
    example (a broken file is reported on the policy pages, not here)."""
    found = []
    for slug in policy_slugs():
        try:
            versions = load_policy(slug)
        except PolicyError:
            continue
        if any(not v.example for v in versions):
            found.append(slug)
    return found


def version_by_label(versions: list[PolicyVersion], label: str) -> PolicyVersion:
    for v in versions:
        if v.label == label:
            return v
    raise PolicyError(f"no version {label!r}; available: {', '.join(v.label for v in versions)}")
