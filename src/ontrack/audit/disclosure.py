"""Which audit values an actor may see: sensitive values only with the record itself (ADR 0033).

A change row says ``{"family_name": ["Reyes", "Rivera"]}``; an administrator reads the audit
but not case files (``accounts/roles.py``), so he sees that ``family_name`` changed, not to
what. The audit app is the lowest domain app and knows no person or case: the apps that own
the records register, in their ``AppConfig.ready()``, per object type

- the sensitive keys (of ``changes`` and ``details``), possibly as a callable that loads them
  on first use (``ontrack screen`` must not load the fact vocabulary at set-up, ADR 0021);
- a resolver: ``readable(actor, ids) -> ids`` the actor may read, through the owning app's
  visibility selector. One query per object type on a page, whatever its length.

An object type nobody registered is shown in full (staff accounts, policy versions, import
batches: nothing personal). A registered type with no resolver hides its sensitive values
from everyone.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

Readable = Callable[[Any, Collection[str]], Collection[str]]
Fields = Iterable[str] | Callable[[], Iterable[str]]

HIDDEN = "(hidden)"
ALL = ("*",)  # every key of the type's rows is sensitive (criminal history, identity)


@dataclass
class _Entry:
    readable: Readable | None = None
    sources: list[Fields] = field(default_factory=list)
    _fields: frozenset[str] | None = None

    def fields(self) -> frozenset[str]:
        if self._fields is None:
            names: set[str] = set()
            for source in self.sources:
                names.update(source() if callable(source) else source)
            self._fields = frozenset(names)
        return self._fields


_REGISTRY: dict[str, _Entry] = {}


def register(object_type: str, *, fields: Fields = (), readable: Readable | None = None) -> None:
    """Declare sensitive keys of ``object_type`` and (once) who may read its records."""
    entry = _REGISTRY.setdefault(object_type, _Entry())
    if readable is not None:
        if entry.readable is not None and entry.readable is not readable:
            raise ValueError(f"{object_type}: a resolver is already registered")
        entry.readable = readable
    entry.sources.append(fields)
    entry._fields = None


def sensitive_fields(object_type: str) -> frozenset[str]:
    entry = _REGISTRY.get(object_type)
    return entry.fields() if entry else frozenset()


def int_ids(ids: Collection[str]) -> list[int]:
    """The ids that are integers (object ids are stored as text)."""
    return [int(i) for i in ids if i.isdigit()]


@dataclass(frozen=True)
class Disclosure:
    """What one actor may see of a set of audit rows (built once per page)."""

    readable: Mapping[str, frozenset[str]]  # object type → ids the actor may read

    def shows(self, object_type: str, object_id: str) -> bool:
        if object_type not in _REGISTRY:
            return True
        return object_id in self.readable.get(object_type, frozenset())

    def values(self, object_type: str, object_id: str, data: Mapping[str, Any]) -> dict[str, Any]:
        """``data`` (a row's changes or details) with sensitive values hidden if need be."""
        if self.shows(object_type, object_id):
            return dict(data)
        hidden = sensitive_fields(object_type)
        every = "*" in hidden
        return {k: (_hide(v) if every or k in hidden else v) for k, v in data.items()}


EMPTY: tuple[Any, ...] = (None, "", [], {})


def _hide(value: Any) -> Any:
    # A change keeps its shape ([before, after]) so the page still says it changed; an empty
    # value (nothing was there, none were given) says nothing about the person.
    if isinstance(value, list) and len(value) == 2:
        return [v if v in EMPTY else HIDDEN for v in value]
    return value if value in EMPTY else HIDDEN


def disclosure_for(actor: Any, rows: Iterable[tuple[str, str]]) -> Disclosure:
    """Ask each registered type's resolver once about the ``(object_type, object_id)`` rows."""
    wanted: dict[str, set[str]] = {}
    for object_type, object_id in rows:
        if object_type in _REGISTRY:
            wanted.setdefault(object_type, set()).add(object_id)
    readable = {}
    for object_type, ids in wanted.items():
        resolver = _REGISTRY[object_type].readable
        found = resolver(actor, ids) if resolver is not None else ()
        readable[object_type] = frozenset(str(i) for i in found)
    return Disclosure(readable)
