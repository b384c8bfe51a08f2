"""The small, reviewed set of operators a criterion may use, each compiled to Polars.

Every operator is three-valued: it yields ``met``, ``not_met`` or ``unknown``; a blank input
never passes. It also yields the list of facts that were missing when it is ``unknown``, so
a screening can say what to collect. One compiled expression serves one case (with its
explanation) and a million (bulk screening, simulation).

Columns the engine derives from the facts:

- per distinct charge pair (``charges.charge_pairs``): ``_codes`` (the codes in the one
  spelling, null when blank), ``_keys`` (each code and the broader codes of its target, for
  set rules), ``_categories`` (offense categories that certainly apply, null when unknown),
  ``_possible`` (categories that may apply: a degree or subdivision not given decides),
  ``_codes_known`` (every code is in the catalog, or categories were given). An operator
  that reads the lists declares *charge columns*: expressions over these, computed once per
  pair and joined to the rows, because a list operation per row costs ten times more;
- per row: ``_codes_known``, ``_has_codes``, ``_has_categories`` and the charge columns
  joined back, and ``_age_low``/``_age_high`` (youngest and oldest possible completed years
  on the offense date; equal when the birth date is known, null when unknown).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from ontrack.eligibility.charges import set_member
from ontrack.eligibility.vocabulary import LEVELS, VOCABULARY

MET, NOT_MET, UNKNOWN = "met", "not_met", "unknown"
# Ordered by severity: the worst status of a row's criteria decides its result.
SEVERITY = (MET, UNKNOWN, NOT_MET)
STATUS = pl.Enum(SEVERITY)


@dataclass(frozen=True)
class Compiled:
    """One criterion, compiled. The engine reports a fact missing when the criterion is
    unknown and the fact's blank condition holds."""

    status: pl.Expr
    missing: tuple[tuple[str, pl.Expr], ...]
    # (column name, expression over the charge-pair table); the name is derived from the
    # arguments, so the same set in two versions is one column.
    charge_columns: tuple[tuple[str, pl.Expr], ...] = field(default=())


def _column_name(kind: str, values: tuple[str, ...]) -> str:
    digest = hashlib.sha256(json.dumps([kind, sorted(values)]).encode()).hexdigest()[:12]
    return f"_{kind}_{digest}"


def status(met: pl.Expr, not_met: pl.Expr) -> pl.Expr:
    """``not_met`` wins over ``met``; neither (or nulls) is ``unknown``."""
    # Enum-typed literals: casting strings to the Enum afterwards costs 40 times as much.
    return (
        pl.when(not_met.fill_null(False)).then(pl.lit(NOT_MET, STATUS))
        .when(met.fill_null(False)).then(pl.lit(MET, STATUS))
        .otherwise(pl.lit(UNKNOWN, STATUS))
    )  # fmt: skip


@dataclass(frozen=True)
class Operator:
    name: str
    reads: Callable[[dict[str, Any]], tuple[str, ...]]
    check: Callable[[dict[str, Any], dict[str, tuple[str, ...]]], list[str]]
    compile: Callable[[dict[str, Any], dict[str, tuple[str, ...]]], Compiled]


def _need(args: dict[str, Any], *keys: str) -> list[str]:
    return [f"{k} is required" for k in keys if k not in args]


def _fact_check(
    kinds: set[str],
) -> Callable[[dict[str, Any], dict[str, tuple[str, ...]]], list[str]]:
    def check(args: dict[str, Any], _: dict[str, tuple[str, ...]]) -> list[str]:
        problems = _need(args, "fact")
        fact = args.get("fact")
        declared = VOCABULARY.get(fact) if isinstance(fact, str) else None
        if fact is not None and (declared is None or declared.type not in kinds):
            problems.append(f"fact {fact!r} is not a {'/'.join(sorted(kinds))} fact")
        return problems

    return check


# --- age_between: completed years on the offense date within [min, max] ---------------------


def _age_compile(args: dict[str, Any], _: dict[str, tuple[str, ...]]) -> Compiled:
    # Interval logic: met when every possible age is inside, not met when none is.
    low, high = pl.col("_age_low"), pl.col("_age_high")
    state = status(
        (low >= args["min"]) & (high <= args["max"]),
        (high < args["min"]) | (low > args["max"]),
    )
    missing = (
        ("date_of_birth", pl.col("date_of_birth").is_null()),
        ("offense_date", pl.col("offense_date").is_null()),
    )
    return Compiled(state, missing)


def _age_check(args: dict[str, Any], _: dict[str, tuple[str, ...]]) -> list[str]:
    problems = _need(args, "min", "max")
    if not problems and not (
        isinstance(args["min"], int) and isinstance(args["max"], int) and args["min"] <= args["max"]
    ):
        problems.append("min and max must be whole numbers with min <= max")
    return problems


# --- charge_in_set: the charge level is L and at least one code is in a value set -----------
# A code counts when it, or a broader code of its target, is listed: a subdivision of a
# listed section is that section (HS 11352(a) for HS 11352). An attempt or conspiracy
# counts only when the set lists the modified form (PC 664/HS 11352): ADR 0013.


def _charge_in_set_compile(args: dict[str, Any], sets: dict[str, tuple[str, ...]]) -> Compiled:
    level = pl.col("charge_level")
    members = tuple(sorted({set_member(m) for m in sets[args["set"]]}))
    name = _column_name("code_in", members)
    # Null when the codes are blank: any() of a null list is null.
    any_code = pl.col("_keys").list.eval(pl.element().is_in(list(members))).list.any()
    level_ok = level == args["level"]
    code_ok = pl.col(name)
    state = status(level_ok & code_ok, (level_ok == False) | (code_ok == False))  # noqa: E712
    missing = (
        ("charge_level", level.is_null()),
        ("charge_codes", ~pl.col("_has_codes")),
    )
    return Compiled(state, missing, ((name, any_code),))


def _charge_in_set_check(args: dict[str, Any], sets: dict[str, tuple[str, ...]]) -> list[str]:
    problems = _need(args, "set", "level")
    if "set" in args and args["set"] not in sets:
        problems.append(f"value set {args['set']!r} is not defined in value_sets")
    if args.get("level") is not None and args["level"] not in LEVELS:
        problems.append(f"level must be one of {', '.join(LEVELS)}")
    return problems


# --- none_of_categories / any_of_categories: offense categories of the current charges -----
# Three-valued over the catalog: a category that certainly applies decides; one that only
# may apply (PC 459 is serious only in the first degree, PC 460(a)), or a code the catalog
# does not know, leaves the criterion unknown, and a person can supply charge_categories.


def _categories_hit(args: dict[str, Any]) -> tuple[tuple[str, pl.Expr], tuple[str, pl.Expr]]:
    """Charge columns: any current charge certainly in one of the categories (null: codes
    and categories unknown), and any that may be."""
    wanted = list(args["categories"])
    hit = pl.col("_categories").list.eval(pl.element().is_in(wanted)).list.any()
    maybe = pl.col("_possible").list.eval(pl.element().is_in(wanted)).list.any()
    return (
        (_column_name("category_in", tuple(wanted)), hit),
        (_column_name("category_maybe", tuple(wanted)), maybe.fill_null(False)),
    )


def _categories_compiled(args: dict[str, Any], *, wanted_present: bool) -> Compiled:
    (hit_name, hit_expr), (maybe_name, maybe_expr) = _categories_hit(args)
    hit, maybe = pl.col(hit_name), pl.col(maybe_name)
    settled_absent = ~hit & ~maybe & pl.col("_codes_known")
    state = status(hit, settled_absent) if wanted_present else status(settled_absent, hit)
    # Codes blank: the codes are missing. Codes given but one is not in the catalog, or a
    # category only may apply: the categories are missing (charge_categories).
    missing = (
        ("charge_codes", ~pl.col("_has_categories")),
        ("charge_categories", pl.col("_has_categories") & (~pl.col("_codes_known") | maybe)),
    )
    return Compiled(state, missing, ((hit_name, hit_expr), (maybe_name, maybe_expr)))


def _none_of_compile(args: dict[str, Any], _: dict[str, tuple[str, ...]]) -> Compiled:
    return _categories_compiled(args, wanted_present=False)


def _any_of_compile(args: dict[str, Any], _: dict[str, tuple[str, ...]]) -> Compiled:
    return _categories_compiled(args, wanted_present=True)


def _categories_check(args: dict[str, Any], _: dict[str, tuple[str, ...]]) -> list[str]:
    from ontrack.offenses.categories import OffenseCategory

    problems = _need(args, "categories")
    unknown = set(args.get("categories") or []) - set(OffenseCategory.values)
    if unknown:
        problems.append(f"unknown categories {sorted(unknown)}")
    return problems


# --- single facts ------------------------------------------------------------------------------


def _is_zero(args: dict[str, Any], _: dict[str, tuple[str, ...]]) -> Compiled:
    fact = pl.col(args["fact"])
    state = status(fact == 0, fact > 0)
    return Compiled(state, ((args["fact"], fact.is_null()),))


def _at_most(args: dict[str, Any], _: dict[str, tuple[str, ...]]) -> Compiled:
    fact = pl.col(args["fact"])
    state = status(fact <= args["max"], fact > args["max"])
    return Compiled(state, ((args["fact"], fact.is_null()),))


def _is_false(args: dict[str, Any], _: dict[str, tuple[str, ...]]) -> Compiled:
    fact = pl.col(args["fact"])
    state = status(fact == False, fact == True)  # noqa: E712 - Polars comparisons
    return Compiled(state, ((args["fact"], fact.is_null()),))


def _equals(args: dict[str, Any], _: dict[str, tuple[str, ...]]) -> Compiled:
    fact = pl.col(args["fact"])
    state = status(fact == args["value"], fact != args["value"])
    return Compiled(state, ((args["fact"], fact.is_null()),))


def _one_fact(args: dict[str, Any]) -> tuple[str, ...]:
    return (str(args.get("fact")),)


def _equals_check(args: dict[str, Any], sets: dict[str, tuple[str, ...]]) -> list[str]:
    return _fact_check({"text"})(args, sets) + _need(args, "value")


def _at_most_check(args: dict[str, Any], sets: dict[str, tuple[str, ...]]) -> list[str]:
    return _fact_check({"integer"})(args, sets) + _need(args, "max")


OPERATORS: dict[str, Operator] = {
    op.name: op
    for op in (
        Operator(
            "age_between", lambda a: ("date_of_birth", "offense_date"), _age_check, _age_compile
        ),
        Operator(
            "charge_in_set",
            lambda a: ("charge_level", "charge_codes"),
            _charge_in_set_check,
            _charge_in_set_compile,
        ),
        Operator(
            "none_of_categories",
            lambda a: ("charge_codes", "charge_categories"),
            _categories_check,
            _none_of_compile,
        ),
        Operator(
            "any_of_categories",
            lambda a: ("charge_codes", "charge_categories"),
            _categories_check,
            _any_of_compile,
        ),
        Operator("is_zero", _one_fact, _fact_check({"integer"}), _is_zero),
        Operator("at_most", _one_fact, _at_most_check, _at_most),
        Operator("is_false", _one_fact, _fact_check({"boolean"}), _is_false),
        Operator("equals", _one_fact, _equals_check, _equals),
    )
}
