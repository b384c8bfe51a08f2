"""What the engine needs to know about charge codes, from the one catalog
(``ontrack.offenses.lookup``): the match keys of set rules, three-valued categories, and
the cited paragraph of each category for explanations.

``current_catalog`` is the only place eligibility asks for the catalog. Each distinct code
is looked up once per loaded catalog; a million cases hold a few dozen distinct codes and
about ten thousand distinct (codes, categories) pairs, so charges are judged per pair and
joined back to the rows (``charge_pairs``).

Three-valued categories, as the catalog API defines them: category C *applies* to a code
if C is in its ``definite`` set; *may apply* if C is in ``possible`` (a degree or
subdivision that the code does not give decides it, e.g. PC 459 is serious only in the
first degree, PC 460(a)) or the code is not ``known``; does not apply otherwise.
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass

import polars as pl
import pyarrow as pa

from ontrack.offenses import codes as code_parser
from ontrack.offenses import lookup
from ontrack.offenses.codes import StatuteCode, StatuteCodeError


def current_catalog() -> lookup.Catalog:
    """The catalog every screening uses (and records the version of)."""
    return lookup.catalog()


def parse_code(raw: str) -> StatuteCode | None:
    """The parsed code; None for text that cannot be a statute code at all."""
    try:
        return code_parser.parse(raw)
    except StatuteCodeError:
        return None


def match_keys(code: StatuteCode) -> tuple[str, ...]:
    """The spellings a value set may list for this code: the code and each broader code of
    its target, keeping the modifier. ``HS 11352(a)`` → ``HS 11352(a)``, ``HS 11352``;
    ``PC 664/HS 11352(a)`` → ``PC 664/HS 11352(a)``, ``PC 664/HS 11352``, never the bare
    ``HS 11352``: an attempt or conspiracy counts only where a set lists it (ADR 0013)."""
    subs = code.subdivisions
    return tuple(
        dataclasses.replace(code, subdivisions=subs[:n]).text for n in range(len(subs), -1, -1)
    )


def set_member(text: str) -> str:
    """A value-set entry in the one spelling (an entry that is not a code stays as written,
    and so matches nothing)."""
    parsed = parse_code(text)
    return parsed.text if parsed is not None else text


@dataclass(frozen=True)
class CodeFacts:
    text: str  # the one spelling
    keys: tuple[str, ...]  # match_keys
    known: bool
    definite: frozenset[str]
    possible: frozenset[str]
    cited: tuple[str, ...]  # "violent — PC 667.5(c)(12)", for explanations


def _cited(info: lookup.CodeInfo) -> tuple[str, ...]:
    out = []
    for f in info.categories:
        line = f"{f.category} — {f.basis}"
        if not f.certain:
            line += f" (only {f.note})" if f.note else " (depends on a degree or subdivision)"
        out.append(line)
    return tuple(out)


_FACTS: dict[tuple[int, str], CodeFacts | None] = {}


def code_facts(raw: str) -> CodeFacts | None:
    """What the catalog says of one code; None when the text cannot be a code."""
    cat = current_catalog()
    key = (id(cat), raw)
    if key not in _FACTS:
        parsed = parse_code(raw)
        if parsed is None:
            _FACTS[key] = None
        else:
            info = cat.lookup(parsed)
            _FACTS[key] = CodeFacts(
                parsed.text,
                match_keys(parsed),
                info.known,
                info.definite,
                info.possible,
                _cited(info),
            )
    return _FACTS[key]


def split_items(text: str | None) -> list[str] | None:
    """``;``-separated items, trimmed, blanks dropped; None when nothing is left."""
    if text is None:
        return None
    items = [p.strip() for p in text.split(";")]
    return [p for p in items if p] or None


def split_expr(column: str) -> pl.Expr:
    parts = (
        pl.col(column)
        .str.split(";")
        .list.eval(pl.element().str.strip_chars())
        .list.eval(pl.element().filter(pl.element() != ""))
    )
    return pl.when(parts.list.len() > 0).then(parts).otherwise(None)


CHARGE_KEYS = ["charge_codes", "charge_categories"]
_LIST = pl.List(pl.String)
CHARGE_SCHEMA = pl.Schema(
    {
        "charge_codes": pl.String(),
        "charge_categories": pl.String(),
        "_codes": _LIST,  # the codes in the one spelling (null: blank)
        "_keys": _LIST,  # every match key of every code
        "_categories": _LIST,  # categories that certainly apply (null: unknown)
        "_possible": _LIST,  # categories that may apply (degree or subdivision not given)
        "_codes_known": pl.Boolean(),  # every code is in the catalog, or categories were given
    }
)

_Derived = tuple[
    list[str] | None, list[str] | None, list[str] | None, list[str] | None, bool | None
]


@functools.lru_cache(maxsize=65_536)
def _derive(codes_text: str | None, categories_text: str | None, _catalog: int) -> _Derived:
    """The derived columns of one (charge_codes, charge_categories) pair.

    Categories given by a person win (they are what the catalog could not tell); else the
    catalog's for the codes; else unknown.
    """
    raw = split_items(codes_text)
    found = [code_facts(c) for c in raw] if raw is not None else None
    codes = [f.text if f else c for f, c in zip(found, raw, strict=True)] if found else None
    keys = [k for f in found if f for k in f.keys] if found else None
    given = split_items(categories_text)
    if given is not None:
        return codes, keys, sorted(set(given)), [], True
    if found is None:
        return None, None, None, None, None
    definite = set().union(*(f.definite for f in found if f))
    possible = set().union(*(f.possible for f in found if f)) - definite
    known = all(f is not None and f.known for f in found)
    return codes, keys, sorted(definite), sorted(possible), known


def charge_pairs(facts: pl.DataFrame) -> pl.DataFrame:
    """One row per distinct (charge_codes, charge_categories) with the derived columns."""
    keys = pl.DataFrame([facts.get_column(k) for k in CHARGE_KEYS])  # no query: cheap
    if keys.height > 1:
        keys = keys.unique()
    catalog_id = id(current_catalog())
    derived = [_derive(c, g, catalog_id) for c, g in keys.iter_rows()]
    columns = [keys.get_column(k).to_arrow() for k in CHARGE_KEYS]
    kinds = [pa.list_(pa.string())] * 4 + [pa.bool_()]
    values = list(zip(*derived, strict=True)) if derived else [[] for _ in kinds]
    columns += [pa.array(v, type=t) for v, t in zip(values, kinds, strict=True)]
    # Through Arrow: Polars builds list columns from Python objects 25 times slower.
    frame = pl.from_arrow(pa.Table.from_arrays(columns, names=list(CHARGE_SCHEMA)))
    assert isinstance(frame, pl.DataFrame)
    return frame.cast(dict(CHARGE_SCHEMA))  # type: ignore[arg-type]


def cited_categories(codes_text: str | None) -> list[str]:
    """For an explanation: each code's categories with the paragraph that puts it there."""
    out = []
    for raw in split_items(codes_text) or []:
        found = code_facts(raw)
        if found is None:
            continue
        if not found.known:
            out.append(f"{found.text}: not in the catalog")
        for line in found.cited:
            out.append(f"{found.text}: {line}")
    return out
