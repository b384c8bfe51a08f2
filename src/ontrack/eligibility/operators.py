"""The small, reviewed set of operators a criterion may use, each compiled to Polars.

Every operator is three-valued: it yields ``met``, ``not_met`` or ``unknown``; a blank input
never passes. It also yields the list of facts that were missing when it is ``unknown``, so
a screening can say what to collect. One compiled expression serves one case (with its
explanation) and a million (bulk screening, simulation).

Columns the engine derives from the facts:

- per distinct charge pair (``facts.charge_pairs``): ``_codes`` (list of normalised charge
  codes, null when blank), ``_categories`` (list of offense categories, null when unknown),
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
    from ontrack.eligibility.facts import FACT_TYPES

    def check(args: dict[str, Any], _: dict[str, tuple[str, ...]]) -> list[str]:
        problems = _need(args, "fact")
        fact = args.get("fact")
        if fact is not None and FACT_TYPES.get(fact) not in kinds:
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


def _charge_in_set_compile(args: dict[str, Any], sets: dict[str, tuple[str, ...]]) -> Compiled:
    level = pl.col("charge_level")
    members = tuple(sets[args["set"]])
    name = _column_name("code_in", members)
    # Null when the codes are blank: any() of a null list is null.
    any_code = pl.col("_codes").list.eval(pl.element().is_in(list(members))).list.any()
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
    if args.get("level") not in {None, "felony", "misdemeanor"}:
        problems.append("level must be felony or misdemeanor")
    return problems


# --- none_of_categories / any_of_categories: offense categories of the current charges -----


def _categories_hit(args: dict[str, Any]) -> tuple[str, pl.Expr]:
    """(column, expression): any current charge in one of the categories (null: unknown)."""
    wanted = tuple(args["categories"])
    hit = pl.col("_categories").list.eval(pl.element().is_in(list(wanted))).list.any()
    return _column_name("category_in", wanted), hit


# Codes blank: the codes are missing. Codes given but one is not in the catalog: its
# categories are missing (a person can supply them: charge_categories).
_CATEGORIES_MISSING = (
    ("charge_codes", ~pl.col("_has_categories")),
    ("charge_categories", pl.col("_has_categories") & ~pl.col("_codes_known")),
)


def _none_of_compile(args: dict[str, Any], _: dict[str, tuple[str, ...]]) -> Compiled:
    name, expr = _categories_hit(args)
    hit = pl.col(name)
    state = status(~hit & pl.col("_codes_known"), hit)
    return Compiled(state, _CATEGORIES_MISSING, ((name, expr),))


def _any_of_compile(args: dict[str, Any], _: dict[str, tuple[str, ...]]) -> Compiled:
    name, expr = _categories_hit(args)
    hit = pl.col(name)
    state = status(hit, ~hit & pl.col("_codes_known"))
    return Compiled(state, _CATEGORIES_MISSING, ((name, expr),))


def _categories_check(args: dict[str, Any], _: dict[str, tuple[str, ...]]) -> list[str]:
    from ontrack.offenses.models import OffenseCategory

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
