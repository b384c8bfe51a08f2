"""Reading the offense catalog file (``data/california.yaml``) into validated entries.

The file is the source of truth: reviewed in pull requests, loaded by
``ontrack load_offense_catalog``. Validation names the entry and field of every problem.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ontrack.offenses.codes import StatuteCodeError, normalise
from ontrack.offenses.models import OffenseCategory, StatuteLevel

DEFAULT_CATALOG = Path(__file__).resolve().parent / "data" / "california.yaml"


@dataclass(frozen=True)
class CategoryEntry:
    category: str
    basis: str


@dataclass(frozen=True)
class StatuteEntry:
    code: str
    description: str
    level: str
    includes_subdivisions: bool
    categories: tuple[CategoryEntry, ...]


@dataclass(frozen=True)
class CatalogFile:
    jurisdiction: str
    sha256: str
    statutes: tuple[StatuteEntry, ...]


class CatalogError(ValueError):
    """The catalog file is invalid; the message lists every problem found."""


def read_catalog(path: Path = DEFAULT_CATALOG) -> CatalogFile:
    raw = path.read_bytes()
    try:
        document = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        raise CatalogError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(document, dict) or not isinstance(document.get("statutes"), list):
        raise CatalogError(f"{path}: expected a mapping with a 'statutes' list")
    problems: list[str] = []
    entries: list[StatuteEntry] = []
    seen: set[str] = set()
    categories = set(OffenseCategory.values)
    levels = set(StatuteLevel.values)
    for index, item in enumerate(document["statutes"], start=1):
        where = f"{path.name}: statute #{index}"
        if not isinstance(item, dict):
            problems.append(f"{where}: expected a mapping")
            continue
        code_text = str(item.get("code", ""))
        where = f"{where} ({code_text or 'no code'})"
        try:
            code = normalise(code_text)
        except StatuteCodeError as exc:
            problems.append(f"{where}: code: {exc}")
            continue
        if code != code_text:
            problems.append(f"{where}: code: write it normalised as {code!r}")
        if code in seen:
            problems.append(f"{where}: code: listed twice")
        seen.add(code)
        description = str(item.get("description") or "").strip()
        if not description:
            problems.append(f"{where}: description: required")
        level = item.get("level")
        if level not in levels:
            problems.append(f"{where}: level: {level!r} is not one of {sorted(levels)}")
        subdivisions = item.get("includes_subdivisions", True)
        if not isinstance(subdivisions, bool):
            problems.append(f"{where}: includes_subdivisions: must be true or false")
        cats: list[CategoryEntry] = []
        for cat in item.get("categories") or []:
            if not isinstance(cat, dict) or cat.get("category") not in categories:
                problems.append(f"{where}: categories: {cat!r} is not a known category")
                continue
            basis = str(cat.get("basis") or "").strip()
            if not basis:
                problems.append(f"{where}: categories: {cat['category']} needs a basis")
            cats.append(CategoryEntry(category=str(cat["category"]), basis=basis))
        if not cats:
            problems.append(f"{where}: categories: at least one category is required")
        entries.append(
            StatuteEntry(
                code=code,
                description=description,
                level=str(level),
                includes_subdivisions=bool(subdivisions),
                categories=tuple(cats),
            )
        )
    if problems:
        raise CatalogError("\n".join(problems))
    return CatalogFile(
        jurisdiction=str(document.get("jurisdiction", "")),
        sha256=hashlib.sha256(raw).hexdigest(),
        statutes=tuple(entries),
    )


def as_rows(catalog: CatalogFile) -> list[dict[str, Any]]:
    """One dict per statute, for columnar use (synthetic data, bulk screening)."""
    return [
        {
            "code": s.code,
            "description": s.description,
            "level": s.level,
            "categories": [c.category for c in s.categories],
        }
        for s in catalog.statutes
    ]
