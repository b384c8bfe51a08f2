"""Reading the catalog's two kinds of data: the built DOJ rows and the category overlays.

The rows (``data/doj-offense-codes.csv``, written by ``ontrack build_catalog``) say which
codes exist, their level and when each row is in force. The overlays (``data/catalog/*.yaml``
and ``$ONTRACK_SITE_DIR/catalog/*.yaml``) add categories with the clause that puts a code
there. Validation names the file, entry and field of every problem (``CatalogError``).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from ontrack.common.site import data_dirs
from ontrack.common.yamlfiles import load_yaml
from ontrack.offenses.categories import OffenseCategory
from ontrack.offenses.codes import BUILT_TABLE, StatuteCodeError, parse

OVERLAY_DIR = Path(__file__).resolve().parent / "data" / "catalog"
KINDS = ("offense", "enhancement")
_SECTION_KEYS = {"code", "description", "kind", "degree_of", "categories"}
_FINDING_KEYS = {"category", "basis", "certain", "degree", "note"}
_CATEGORIES = frozenset(OffenseCategory.values)
_RULE_KEYS = {"category", "basis", "of", "targets", "except_bases", "uncertain_bases"} | {
    "certain",
    "note",
}


class CatalogError(ValueError):
    """A catalog file is invalid; the message lists every problem found."""


class Row(NamedTuple):  # a tuple: 5,062 are built in every screening process
    doj_offense_code: int
    code: str  # normalised; "" for the few DOJ rows that are not statute sections
    literal: str
    level: str | None  # felony / misdemeanor / infraction; None for DOJ "X" (other)
    enacted: dt.date
    repealed: dt.date | None  # last day in force; None while in force


@dataclass(frozen=True)
class Finding:
    category: str
    basis: str
    certain: bool = True
    degree: str | None = None  # applies only in this degree (PC 459: "1")
    note: str = ""


@dataclass(frozen=True)
class Section:
    code: str
    description: str | None
    kind: str
    degree_of: tuple[str, str] | None  # (code, degree): PC 460(a) is PC 459 degree "1"
    findings: tuple[Finding, ...]


@dataclass(frozen=True)
class Rule:
    """How an attempt or a conspiracy takes a category from its target offense."""

    category: str
    basis: str
    of: str | None  # the target's category this rule reads ("serious")
    targets: frozenset[str]  # or: the target codes it names ("PC 187")
    except_bases: frozenset[str]
    uncertain_bases: frozenset[str]
    certain: bool
    note: str


@dataclass(frozen=True)
class ModifierRules:
    rules: tuple[Rule, ...]
    carry: frozenset[str]  # target categories an attempt/conspiracy keeps as they are


@dataclass(frozen=True)
class CatalogData:
    rows: tuple[Row, ...]
    sections: dict[str, Section]
    attempts: ModifierRules
    conspiracies: ModifierRules
    version: str
    sources: tuple[tuple[str, str], ...]  # (file name, sha256) of everything loaded


def load(table: Path = BUILT_TABLE, overlay_dir: Path = OVERLAY_DIR) -> CatalogData:
    raw_table = table.read_bytes()
    rows = read_rows(raw_table, table.name)
    sources = [(table.name, hashlib.sha256(raw_table).hexdigest())]
    sections: dict[str, Section] = {}
    attempts: list[ModifierRules] = []
    conspiracies: list[ModifierRules] = []
    problems: list[str] = []
    for index, folder in enumerate(data_dirs("catalog", overlay_dir)):
        where = "catalog" if index == 0 else "site catalog"  # the package's, then the site's
        for path in sorted(folder.glob("*.yaml")):
            raw = path.read_bytes()
            sources.append((f"{where}/{path.name}", hashlib.sha256(raw).hexdigest()))
            _read_overlay(path, raw, sections, attempts, conspiracies, problems)
    if problems:
        raise CatalogError("\n".join(problems))
    digest = hashlib.sha256("\n".join(f"{n} {h}" for n, h in sources).encode()).hexdigest()
    return CatalogData(
        rows=rows,
        sections=sections,
        attempts=_merge(attempts),
        conspiracies=_merge(conspiracies),
        version=digest[:16],
        sources=tuple(sources),
    )


def read_rows(raw: bytes, name: str) -> tuple[Row, ...]:
    text = raw.decode("utf-8")
    lines = (line for line in io.StringIO(text, newline="") if not line.startswith("#"))
    # csv.reader and the header's positions: DictReader builds a dict per row, the larger part
    # of loading 5,000 rows, and the catalog loads in every screening process.
    records = csv.reader(lines)
    header = next(records, [])
    try:
        at = [header.index(f) for f in _ROW_FIELDS]
    except ValueError as exc:
        raise CatalogError(f"{name}: header: {exc}; rebuild it") from exc
    code_at, enacted_at, repealed_at, level_at, literal_at, number_at = at
    rows: list[Row] = []
    for number, record in enumerate(records, start=1):
        try:
            repealed = record[repealed_at]
            rows.append(
                Row(
                    doj_offense_code=int(record[number_at]),
                    code=record[code_at],
                    literal=record[literal_at],
                    level=record[level_at] or None,
                    enacted=dt.date.fromisoformat(record[enacted_at]),
                    repealed=dt.date.fromisoformat(repealed) if repealed else None,
                )
            )
        except (IndexError, ValueError) as exc:
            raise CatalogError(f"{name}: data row {number}: {exc}; rebuild it") from exc
    return tuple(rows)


_ROW_FIELDS = ("code", "enacted", "repealed", "level", "literal", "doj_offense_code")


def _merge(parts: list[ModifierRules]) -> ModifierRules:
    return ModifierRules(
        rules=tuple(r for p in parts for r in p.rules),
        carry=frozenset(c for p in parts for c in p.carry),
    )


def _read_overlay(
    path: Path,
    raw: bytes,
    sections: dict[str, Section],
    attempts: list[ModifierRules],
    conspiracies: list[ModifierRules],
    problems: list[str],
) -> None:
    try:
        document = load_yaml(raw)
    except yaml.YAMLError as exc:
        problems.append(f"{path}: not valid YAML: {exc}")
        return
    if not isinstance(document, dict):
        problems.append(f"{path}: expected a mapping with 'sections'")
        return
    for key in ("attempts", "conspiracies"):
        if key in document:
            target = attempts if key == "attempts" else conspiracies
            target.append(_modifier(document[key], f"{path.name}: {key}", problems))
    for index, item in enumerate(document.get("sections") or [], start=1):
        where = f"{path.name}: section #{index}"
        section = _section(item, where, problems)
        if section is None:
            continue
        have = sections.get(section.code)
        if have is not None:  # a site overlay adds categories; it never replaces the package's
            section = Section(
                code=have.code,
                description=have.description or section.description,
                kind=have.kind if have.kind != "offense" else section.kind,
                degree_of=have.degree_of or section.degree_of,
                findings=have.findings + section.findings,
            )
        sections[section.code] = section


def _section(item: Any, where: str, problems: list[str]) -> Section | None:
    if not isinstance(item, dict):
        problems.append(f"{where}: expected a mapping")
        return None
    where = f"{where} ({item.get('code', 'no code')})"
    for key in sorted(set(item) - _SECTION_KEYS):
        problems.append(f"{where}: {key}: unknown field")
    code = _code(item.get("code"), f"{where}: code", problems)
    kind = item.get("kind", "offense")
    if kind not in KINDS:
        problems.append(f"{where}: kind: {kind!r} is not one of {list(KINDS)}")
    degree_of = None
    if "degree_of" in item:
        spec = item["degree_of"]
        target = _code(spec.get("code") if isinstance(spec, dict) else None, where, problems)
        degree = spec.get("degree") if isinstance(spec, dict) else None
        if target is None or not isinstance(degree, str):
            problems.append(f"{where}: degree_of: needs a code and a degree (a string)")
        else:
            degree_of = (target, degree)
    findings = [
        f
        for n, c in enumerate(item.get("categories") or [], start=1)
        if (f := _finding(c, f"{where}: categories #{n}", problems)) is not None
    ]
    description = item.get("description")
    if code is None:
        return None
    return Section(
        code=code,
        description=str(description).strip() if description else None,
        kind=str(kind),
        degree_of=degree_of,
        findings=tuple(findings),
    )


def _finding(item: Any, where: str, problems: list[str]) -> Finding | None:
    if not isinstance(item, dict):
        problems.append(f"{where}: expected a mapping")
        return None
    for key in sorted(set(item) - _FINDING_KEYS):
        problems.append(f"{where}: {key}: unknown field")
    category, basis = item.get("category"), str(item.get("basis") or "").strip()
    if category not in _CATEGORIES or category == OffenseCategory.OTHER:
        problems.append(f"{where}: category: {category!r} is not a catalog category")
        return None
    if not basis:
        problems.append(f"{where}: basis: required (the clause that puts the code there)")
    certain = item.get("certain", True)
    if not isinstance(certain, bool):
        problems.append(f"{where}: certain: must be true or false")
    degree = item.get("degree")
    if degree is not None and not isinstance(degree, str):
        problems.append(f'{where}: degree: write it as a string ("1")')
    return Finding(
        category=str(category),
        basis=basis,
        certain=bool(certain),
        degree=degree,
        note=str(item.get("note") or ""),
    )


def _modifier(block: Any, where: str, problems: list[str]) -> ModifierRules:
    if not isinstance(block, dict):
        problems.append(f"{where}: expected a mapping with 'rules' and 'carry'")
        return ModifierRules((), frozenset())
    rules: list[Rule] = []
    for index, item in enumerate(block.get("rules") or [], start=1):
        at = f"{where}: rule #{index}"
        if not isinstance(item, dict):
            problems.append(f"{at}: expected a mapping")
            continue
        for key in sorted(set(item) - _RULE_KEYS):
            problems.append(f"{at}: {key}: unknown field")
        category, of = item.get("category"), item.get("of")
        if category not in _CATEGORIES:
            problems.append(f"{at}: category: {category!r} is not a catalog category")
        if (of is None) == (not item.get("targets")):
            problems.append(f"{at}: give exactly one of 'of' (a category) or 'targets' (codes)")
        targets = frozenset(
            c
            for c in (_code(t, f"{at}: targets", problems) for t in item.get("targets") or [])
            if c
        )
        rules.append(
            Rule(
                category=str(category),
                basis=str(item.get("basis") or ""),
                of=of,
                targets=targets,
                except_bases=frozenset(item.get("except_bases") or []),
                uncertain_bases=frozenset(item.get("uncertain_bases") or []),
                certain=bool(item.get("certain", True)),
                note=str(item.get("note") or ""),
            )
        )
    carry = block.get("carry") or []
    for category in carry:
        if category not in _CATEGORIES:
            problems.append(f"{where}: carry: {category!r} is not a catalog category")
    return ModifierRules(tuple(rules), frozenset(carry))


def _code(value: Any, where: str, problems: list[str]) -> str | None:
    try:
        code = parse(str(value)).text if value else None
    except StatuteCodeError as exc:
        problems.append(f"{where}: {exc}")
        return None
    if code is None:
        problems.append(f"{where}: required")
    elif code != value:
        problems.append(f"{where}: write it normalised as {code!r}")
    return code
