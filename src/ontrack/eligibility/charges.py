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
import weakref
from dataclasses import dataclass

import polars as pl

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
            # Uncertain: it applies only under something the code does not give (the note).
            line += f" (uncertain: {f.note})" if f.note else " (uncertain)"
        out.append(line)
    return tuple(out)


# Per loaded catalog (weakly: a catalog swapped out, as tests do, takes its answers along).
_FACTS: weakref.WeakKeyDictionary[lookup.Catalog, dict[str, CodeFacts | None]] = (
    weakref.WeakKeyDictionary()
)


def code_facts(raw: str, catalog: lookup.Catalog | None = None) -> CodeFacts | None:
    """What the catalog says of one code; None when the text cannot be a code."""
    cat = catalog if catalog is not None else current_catalog()
    known = _FACTS.setdefault(cat, {})
    if raw in known:
        return known[raw]
    parsed = parse_code(raw)
    result = None
    if parsed is not None:
        info = cat.lookup(parsed)
        result = CodeFacts(
            parsed.text, match_keys(parsed), info.known, info.definite, info.possible, _cited(info)
        )
    known[raw] = result
    return result


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


def _code_table(raw_codes: list[str], catalog: lookup.Catalog) -> pl.DataFrame:
    """One row per distinct code as written (a few dozen in a million cases)."""
    found = [code_facts(c, catalog) for c in raw_codes]
    return pl.DataFrame(
        {
            "raw": raw_codes,
            "text": [f.text if f else c for f, c in zip(found, raw_codes, strict=True)],
            "keys": [list(f.keys) if f else [] for f in found],
            "known": [f is not None and f.known for f in found],
            "definite": [sorted(f.definite) if f else [] for f in found],
            "possible": [sorted(f.possible) if f else [] for f in found],
        },
        schema={
            "raw": pl.String, "text": pl.String, "keys": _LIST, "known": pl.Boolean,
            "definite": _LIST, "possible": _LIST,
        },
    )  # fmt: skip


def _flat(column: str) -> pl.Expr:
    return pl.col(column).list.explode(keep_nulls=False, empty_as_null=False)


def charge_pairs(facts: pl.DataFrame) -> pl.DataFrame:
    """One row per distinct (charge_codes, charge_categories) with the derived columns."""
    return charge_pairs_lazy(facts).collect()


# Below this many rows the distinct codes are listed in Python (one explained case: no eager
# Polars steps before the one query).
_FEW = 64


def pair_index(facts: pl.DataFrame) -> tuple[pl.DataFrame, pl.Series]:
    """The distinct (codes, categories) pairs of many rows, and each row's index into them.

    The pairs are found by a 64-bit hash of the two texts (a third of the time of finding
    and joining on the texts themselves); a hash only stands for a pair if no two pairs
    share it, so every row's pair is compared with its own texts, and on any difference
    (a collision, or texts crafted to collide) the pairs are found from the texts instead.
    """
    keys = facts.select(CHARGE_KEYS)
    hashed = keys.with_columns(_pair_hash().alias("_h"))
    pairs = hashed.unique(subset="_h", keep="any").with_row_index("_pair")
    found = hashed.select("_h").join(
        pairs.select("_h", "_pair"), on="_h", how="left", maintain_order="left"
    )
    index = found.get_column("_pair")
    pairs = pairs.select(CHARGE_KEYS)
    if not pairs[index].equals(keys):
        return _pairs_by_text(keys)
    return pairs, index


def _pair_hash() -> pl.Expr:
    return pl.struct(CHARGE_KEYS).hash()


def _pairs_by_text(keys: pl.DataFrame) -> tuple[pl.DataFrame, pl.Series]:
    pairs = keys.unique()
    numbered = pairs.with_row_index("_pair")
    index = keys.join(
        numbered, on=CHARGE_KEYS, how="left", nulls_equal=True, maintain_order="left"
    ).get_column("_pair")
    return pairs, index


def charge_pairs_lazy(facts: pl.DataFrame, *, already_distinct: bool = False) -> pl.LazyFrame:
    """The pairs as one lazy query, all columnar: the pairs' codes are split and joined to a
    table of their distinct codes (looked up in the catalog in Python, a few dozen).
    ``already_distinct``: ``facts`` holds each pair once already (``pair_index``).

    Categories given by a person win (they are what the catalog could not tell); else the
    catalog's for the codes; else unknown.
    """
    keys = pl.DataFrame([facts.get_column(k) for k in CHARGE_KEYS])  # no query: cheap
    if keys.height > 1 and not already_distinct:
        keys = keys.unique()
    if keys.height <= _FEW:
        texts = keys.get_column("charge_codes").to_list()
        distinct = sorted({c for t in texts for c in split_items(t) or []})
    else:
        split = keys.select(split_expr("charge_codes").explode().drop_nulls().unique())
        distinct = sorted(split.to_series().to_list())
    lazy = keys.lazy().with_row_index("_pair")
    items = lazy.select("_pair", split_expr("charge_codes").alias("raw")).explode("raw")
    joined = items.join(
        _code_table(distinct, current_catalog()).lazy(),
        on="raw",
        how="left",
        maintain_order="left",
    )
    per_pair = joined.group_by("_pair").agg(
        pl.col("text").drop_nulls().alias("_codes"),
        _flat("keys").alias("_keys"),
        _flat("definite").unique().sort().alias("_definite"),
        _flat("possible").unique().sort().alias("_maybe"),
        pl.col("known").all().alias("_all_known"),
        pl.col("raw").count().alias("_n"),
    )
    given = split_expr("charge_categories")
    has_codes = pl.col("_n") > 0
    frame = lazy.join(per_pair, on="_pair", how="left", maintain_order="left").select(
        *CHARGE_KEYS,
        pl.when(has_codes).then(pl.col("_codes")).alias("_codes"),
        pl.when(has_codes).then(pl.col("_keys")).alias("_keys"),
        pl.when(given.is_not_null())
        .then(given.list.unique().list.sort())
        .when(has_codes)
        .then(pl.col("_definite").list.set_difference([]))
        .alias("_categories"),
        pl.when(given.is_not_null())
        .then(pl.lit([], _LIST))
        .when(has_codes)
        .then(pl.col("_maybe").list.set_difference(pl.col("_definite")))
        .alias("_possible"),
        pl.when(given.is_not_null())
        .then(pl.lit(True))
        .when(has_codes)
        .then(pl.col("_all_known"))
        .alias("_codes_known"),
    )
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
