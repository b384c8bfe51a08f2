"""The generic part of an import profile: what it is called, which importer reads it, and the
columns it expects (type and rules). What the rows become is the importer's own business
(its ``read_profile`` parses the rest of the document, e.g. ``records`` for a caseload).

Profiles are YAML files found in the importer's package folder and in the site directory
(``$ONTRACK_SITE_DIR/profiles/NAME.yaml``, see ``common/site.py``); a name in both is an
error. Every profile names its ``kind`` (the importer: ``caseload``), and its ``feed`` (the
source system: one import per feed runs at a time).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from ontrack.common.site import SiteConfigError, data_dirs, find_one
from ontrack.common.yamlfiles import load_yaml

if TYPE_CHECKING:
    from ontrack.ingest.registry import Importer

COLUMN_TYPES = {"text", "integer", "date", "boolean"}


class ProfileError(ValueError):
    """The profile file is invalid or cannot be found; the message lists every problem."""


@dataclass(frozen=True)
class ColumnSpec:
    name: str
    type: str
    required: bool = False
    unique: bool = False
    values: tuple[str, ...] | None = None  # allowed raw values (text columns)
    minimum: int | None = None
    maximum: int | None = None
    formats: tuple[str, ...] = ("%Y-%m-%d",)  # date formats, tried in order
    requires: tuple[str, ...] = ()  # columns that must be given whenever this one is
    true_values: tuple[str, ...] = ("true", "1", "yes", "y", "t")
    false_values: tuple[str, ...] = ("false", "0", "no", "n", "f")


@dataclass(frozen=True)
class Profile:
    """What every importer's profile has; importers subclass it with their own parts."""

    name: str
    kind: str
    feed: str
    description: str
    columns: dict[str, ColumnSpec]
    ignore: frozenset[str]


def parse_common(document: Any, where: str) -> tuple[dict[str, Any], list[str]]:
    """The generic fields of a profile document (keyword arguments for ``Profile``) and
    every problem with them (each prefixed with ``where``)."""
    if not isinstance(document, dict):
        return {}, [f"{where}: expected a mapping"]
    problems: list[str] = []
    columns: dict[str, ColumnSpec] = {}
    for name, spec in (document.get("columns") or {}).items():
        spec = spec or {}
        kind = spec.get("type", "text")
        if kind not in COLUMN_TYPES:
            problems.append(
                f"{where}: columns.{name}.type: {kind!r} is not one of {sorted(COLUMN_TYPES)}"
            )
            continue
        columns[str(name)] = ColumnSpec(
            name=str(name),
            type=kind,
            required=bool(spec.get("required", False)),
            unique=bool(spec.get("unique", False)),
            values=tuple(str(v) for v in spec["values"]) if "values" in spec else None,
            minimum=spec.get("min"),
            maximum=spec.get("max"),
            formats=tuple(spec.get("formats", ["%Y-%m-%d"])),
            requires=tuple(str(c) for c in spec.get("requires") or ()),
        )
    for spec in columns.values():
        for other in spec.requires:
            if other not in columns:
                problems.append(
                    f"{where}: columns.{spec.name}.requires: {other!r} is not a declared column"
                )
    for required in ("name", "kind", "feed"):
        if not document.get(required):
            problems.append(f"{where}: {required}: required")
    common = {
        "name": str(document.get("name", "")),
        "kind": str(document.get("kind", "")),
        "feed": str(document.get("feed", "")),
        "description": str(document.get("description", "")),
        "columns": columns,
        "ignore": frozenset(str(c) for c in document.get("ignore") or []),
    }
    return common, problems


def available_profiles(importer: Importer) -> list[str]:
    """Names of the profiles of this importer's kind, shipped and from the site directory."""
    names: set[str] = set()
    for folder in data_dirs("profiles", importer.profile_dir):
        for path in folder.glob("*.yaml"):
            try:
                document = load_yaml(path.read_bytes())
            except (OSError, yaml.YAMLError):
                continue  # reported when someone asks for it by name
            if isinstance(document, dict) and document.get("kind") == importer.kind:
                names.add(path.stem)
    return sorted(names)


def load_profile(importer: Importer, name: str) -> Profile:
    """The named profile of ``importer``'s kind, validated whole, or ``ProfileError``."""
    try:
        path = find_one("profiles", importer.profile_dir, f"{name}.yaml")
    except SiteConfigError as exc:
        raise ProfileError(str(exc)) from exc
    if path is None or not path.is_file():
        known = ", ".join(available_profiles(importer)) or "none"
        raise ProfileError(f"no {importer.kind} import profile {name!r}; available: {known}")
    return parse_profile(importer, _read(path), path.name)


def parse_profile(importer: Importer, document: Any, where: str) -> Profile:
    common, problems = parse_common(document, where)
    if not common:
        raise ProfileError("\n".join(problems))
    if common["kind"] and common["kind"] != importer.kind:
        raise ProfileError(
            f"{where}: kind: this is a {common['kind']!r} profile, not {importer.kind!r}"
        )
    profile, more = importer.read_profile(document, where, common)
    problems += more
    if problems:
        raise ProfileError("\n".join(problems))
    return profile


def _read(path: Path) -> Any:
    try:
        return load_yaml(path.read_bytes())
    except (OSError, yaml.YAMLError) as exc:
        raise ProfileError(f"{path.name}: cannot be read as YAML: {exc}") from exc
