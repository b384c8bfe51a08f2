"""Screening: compiled criteria over the facts, one case or a million, same code.

``screen`` judges every row by the version in force on its referral date (or the one
named) in one lazy Polars query; ``explain`` runs the same query on one row and keeps what
each criterion read. The overall result:
any ``not_met`` → ``ineligible``; else any ``unknown`` → ``needs_information``; else
``eligible``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

import polars as pl

from ontrack.eligibility.charges import (
    CHARGE_KEYS,
    charge_pairs_lazy,
    cited_categories,
    pair_index,
)
from ontrack.eligibility.errors import FactsRejected
from ontrack.eligibility.facts import age_bounds
from ontrack.eligibility.operators import (
    MET,
    NOT_MET,
    OPERATORS,
    SEVERITY,
    STATUS,
    UNKNOWN,
    Compiled,
)
from ontrack.eligibility.policy import PolicyError, PolicyVersion, version_by_label
from ontrack.eligibility.vocabulary import VOCABULARY, Fact
from ontrack.ingest.problems import Problem
from ontrack.ingest.validate import ROW

ELIGIBLE, INELIGIBLE, NEEDS_INFORMATION = "eligible", "ineligible", "needs_information"
RESULT = pl.Enum([ELIGIBLE, INELIGIBLE, NEEDS_INFORMATION])


_Frame = TypeVar("_Frame", pl.DataFrame, pl.LazyFrame)

_COMPILED: dict[str, tuple[tuple[str, Compiled], ...]] = {}


def _compiled(version: PolicyVersion) -> tuple[tuple[str, Compiled], ...]:
    """Compile once per version file (keyed by its SHA-256)."""
    found = _COMPILED.get(version.sha256)
    if found is None:
        found = _COMPILED[version.sha256] = tuple(
            (c.id, OPERATORS[c.operator].compile(c.args, version.value_sets))
            for c in version.criteria
        )
    return found


@dataclass(frozen=True)
class _Column:
    """One distinct compiled criterion and the versions (indexes into ``chosen``) that hold it."""

    name: str
    compiled: Compiled
    versions: frozenset[int]


@dataclass(frozen=True)
class _Policy:
    """The criteria of the chosen versions, each distinct one computed once per row."""

    columns: tuple[_Column, ...]
    ids: tuple[str, ...]  # criterion ids, in order of first appearance
    uses: dict[str, dict[str, frozenset[int]]]  # criterion id → column → versions
    everyone: frozenset[int]


def _key(c: Compiled) -> str:
    """Equal criteria (same operator and arguments) compare equal by their serialised form."""
    parts = [c.status, *(e for _, e in c.missing), *(e for _, e in c.charge_columns)]
    names = [n for n, _ in c.missing] + [n for n, _ in c.charge_columns]
    return repr(names) + "".join(e.meta.serialize(format="json") for e in parts)


def _policy(chosen: list[PolicyVersion]) -> _Policy:
    found: dict[str, tuple[str, Compiled, set[int]]] = {}
    uses: dict[str, dict[str, set[int]]] = {}
    for i, v in enumerate(chosen):
        for cid, c in _compiled(v):
            key = _key(c)
            if key not in found:
                found[key] = (f"_s{len(found)}", c, set())
            found[key][2].add(i)
            uses.setdefault(cid, {}).setdefault(found[key][0], set()).add(i)
    return _Policy(
        tuple(_Column(n, c, frozenset(vs)) for n, c, vs in found.values()),
        tuple(uses),
        {cid: {n: frozenset(vs) for n, vs in by.items()} for cid, by in uses.items()},
        frozenset(range(len(chosen))),
    )


def _in_force(version: PolicyVersion) -> pl.Expr:
    day = pl.col("referral_date")
    mask = day >= version.effective_from
    return mask if version.effective_to is None else mask & (day < version.effective_to)


def _for_rows(policy: _Policy, versions: frozenset[int], expr: pl.Expr) -> pl.Expr:
    """``expr`` on rows judged by one of ``versions``; null on the others."""
    if versions == policy.everyone:
        return expr
    return pl.when(pl.col("_which").is_in(sorted(versions))).then(expr)


def _criterion(policy: _Policy, cid: str) -> pl.Expr:
    """A row's status on ``cid``: its version's compiled criterion; null if it has none."""
    uses = policy.uses[cid]
    if len(uses) == 1:
        [(name, versions)] = uses.items()
        return _for_rows(policy, versions, pl.col(name)).alias(cid)
    out = pl.lit(None, STATUS)
    for name, versions in uses.items():
        out = pl.when(pl.col("_which").is_in(sorted(versions))).then(pl.col(name)).otherwise(out)
    return out.alias(cid)


# Missing facts as bit masks: one UInt64 word per 64 facts (no limit on the number of
# facts). Lists of names are built only for the distinct masks present (a few hundred in a
# million rows), never per row.
_WORD = 64


def _missing_mask(policy: _Policy) -> tuple[tuple[pl.Expr, ...], tuple[str, ...]]:
    """The missing facts as bit masks (bit i of word w = fact ``names[64 w + i]``, sorted). A
    fact is missing when a criterion of the row's version that reads it is unknown and the
    fact is blank."""
    by_fact: dict[str, pl.Expr] = {}
    for col in policy.columns:
        for fact, blank in col.compiled.missing:
            cond = _for_rows(policy, col.versions, (pl.col(col.name) == UNKNOWN) & blank)
            cond = cond.fill_null(False)
            by_fact[fact] = (by_fact[fact] | cond) if fact in by_fact else cond
    names = tuple(sorted(by_fact))
    words = []
    for w in range(max(1, -(-len(names) // _WORD))):
        chunk = names[w * _WORD : (w + 1) * _WORD]
        bits = [by_fact[n].cast(pl.UInt64) * (1 << i) for i, n in enumerate(chunk)]
        total = pl.sum_horizontal(bits) if bits else pl.lit(0, pl.UInt64)
        words.append(total.cast(pl.UInt64).alias(f"_mask{w}"))
    return tuple(words), names


def _with_missing(judged: pl.DataFrame, names: tuple[str, ...]) -> pl.DataFrame:
    """``missing``: the sorted fact names of each row's masks, from a table of the distinct
    masks present (one word: a sorted lookup and a gather; more: a join)."""
    words = [c for c in judged.columns if c.startswith("_mask")]
    # Lazy: the query engine finds the distinct masks in a third of the eager time.
    distinct = judged.lazy().select(words).unique().collect().sort(words)
    lists = [
        [names[w * _WORD + i] for w, m in enumerate(row) for i in range(_WORD) if m >> i & 1]
        for row in distinct.iter_rows()
    ]
    table = pl.Series("missing", lists, dtype=pl.List(pl.String))
    if len(words) == 1:
        keys = distinct.get_column(words[0])
        index = keys.search_sorted(judged.get_column(words[0]))
        return judged.with_columns(table.gather(index))
    return judged.join(distinct.with_columns(table), on=words, how="left", maintain_order="left")


@dataclass(frozen=True)
class _Query:
    """The expressions of one screening, built once per set of versions (they are data)."""

    ids: tuple[str, ...]
    charge_columns: tuple[pl.Expr, ...]  # over the charge-pair table
    kept: tuple[str, ...]  # charge-pair columns joined to the rows
    stages: tuple[tuple[pl.Expr, ...], ...]  # with_columns, in order
    names: tuple[str, ...]  # the facts of the missing mask's bits


_QUERIES: dict[tuple[tuple[str, ...], bool, bool], _Query] = {}


def _query(chosen: list[PolicyVersion], *, by_date: bool, detail: bool) -> _Query:
    key = (tuple(v.sha256 for v in chosen), by_date, detail)
    if key not in _QUERIES:
        _QUERIES[key] = _build_query(chosen, by_date=by_date, detail=detail)
    return _QUERIES[key]


def _build_query(chosen: list[PolicyVersion], *, by_date: bool, detail: bool) -> _Query:
    policy = _policy(chosen)
    charge_columns = {n: e for col in policy.columns for n, e in col.compiled.charge_columns}
    kept = ("_codes_known", "_has_codes", "_has_categories", *charge_columns)
    if detail:
        kept += ("_codes", "_categories", "_possible")  # shown in the explanation
    which = pl.lit(0, pl.Int32)
    label = pl.lit(chosen[0].label)
    if by_date:
        which = label = pl.lit(None)
        for i, v in reversed(list(enumerate(chosen))):
            which = pl.when(_in_force(v)).then(pl.lit(i, pl.Int32)).otherwise(which)
            label = pl.when(_in_force(v)).then(pl.lit(v.label)).otherwise(label)
    ids = policy.ids
    masks, names = _missing_mask(policy)
    # Any not met → ineligible; else any unknown → needs information; else eligible: the
    # worst status, as the Enum orders them (criteria not in a row's version are null).
    worst = pl.max_horizontal([pl.col(c).to_physical() for c in ids])
    result = (
        pl.when(worst == SEVERITY.index(NOT_MET)).then(pl.lit(INELIGIBLE, RESULT))
        .when(worst == SEVERITY.index(UNKNOWN)).then(pl.lit(NEEDS_INFORMATION, RESULT))
        .otherwise(pl.lit(ELIGIBLE, RESULT))
    )  # fmt: skip
    stages = [
        (which.alias("_which"),),
        tuple(col.compiled.status.alias(col.name) for col in policy.columns),
        tuple(_criterion(policy, cid) for cid in ids),
        (
            result.alias("result"),
            pl.lit(chosen[0].policy).alias("policy"),
            label.cast(pl.String).alias("version"),
            # One explained row lists each criterion's missing facts instead (cheaper there).
            *([] if detail else masks),
        ),
    ]
    if detail:
        stages.append(tuple(_missing_per_criterion(chosen[0])))
    return _Query(
        ids,
        (
            pl.col("_codes").is_not_null().alias("_has_codes"),
            pl.col("_categories").is_not_null().alias("_has_categories"),
            *[e.alias(n) for n, e in charge_columns.items()],
        ),
        kept,
        tuple(stages),
        names,
    )


def _plan(
    facts: pl.DataFrame, chosen: list[PolicyVersion], *, by_date: bool, detail: bool
) -> tuple[pl.LazyFrame, tuple[str, ...]]:
    """See ``_judge``; the missing facts are left as masks (``_mask0``…)."""
    plan, ids, _ = _plan_and_names(facts, chosen, by_date=by_date, detail=detail)
    return plan, ids


def _judge(
    facts: pl.DataFrame, chosen: list[PolicyVersion], *, by_date: bool
) -> tuple[pl.DataFrame, tuple[str, ...]]:
    """Every row judged, with ``missing``."""
    plan, ids, names = _plan_and_names(facts, chosen, by_date=by_date, detail=False)
    return _with_missing(plan.collect(), names), ids


def _plan_and_names(
    facts: pl.DataFrame, chosen: list[PolicyVersion], *, by_date: bool, detail: bool
) -> tuple[pl.LazyFrame, tuple[str, ...], tuple[str, ...]]:
    """One query judging every row; returns it and the criterion ids.

    The charge columns are computed per distinct charge pair and joined to the rows; then
    the age interval, each distinct compiled criterion once, the criteria of each row's
    version (null where a criterion is not in it), the result and the missing facts.
    ``by_date``: each row is judged by the version in force on its referral date (``_which``
    is its index in ``chosen``, null when none is); else every row by ``chosen[0]``.
    """
    query = _query(chosen, by_date=by_date, detail=detail)
    if facts.height > 1:
        # Eager: each row's pair found once, the pairs' columns gathered beside the rows
        # (joining the whole facts frame would copy every one of its columns).
        distinct, index = pair_index(facts)
        pairs = charge_pairs_lazy(distinct, already_distinct=True).with_columns(
            query.charge_columns
        )
        judged = _beside(facts, pairs.select(*query.kept).collect(), index)
    else:  # one query in all: per-query overhead is what one row costs
        pairs = charge_pairs_lazy(facts).with_columns(query.charge_columns)
        judged = _join_pairs(facts.lazy(), pairs.select(*CHARGE_KEYS, *query.kept))
    low, high = age_bounds(facts)  # reads the facts' date range, so not cached
    judged = judged.with_columns(low.alias("_age_low"), high.alias("_age_high"))
    for stage in query.stages:
        judged = judged.with_columns(stage)
    return judged, query.ids, query.names


def _beside(rows: pl.DataFrame, pairs: pl.DataFrame, index: pl.Series) -> pl.LazyFrame:
    """The pairs' columns beside the rows, row ``i`` taking pair ``index[i]``. The boolean
    columns (most of them) travel packed in one integer, two bits each (unknown, true), and
    are unpacked in the query: gathering one integer per row costs a twentieth of gathering
    each boolean column."""
    flags = [c for c, t in pairs.schema.items() if t == pl.Boolean][:32]  # 64 bits
    others = [c for c in pairs.columns if c not in flags]
    word = pl.sum_horizontal(
        [
            pl.col(c).is_null().cast(pl.UInt64) * (1 << 2 * i)
            + pl.col(c).fill_null(False).cast(pl.UInt64) * (1 << 2 * i + 1)
            for i, c in enumerate(flags)
        ]
    ).alias("_flags")
    gathered = pairs.select(word, *others)[index]
    bits = pl.col("_flags")
    unpacked = [
        pl.when((bits & (1 << 2 * i)) > 0)
        .then(pl.lit(None, pl.Boolean))
        .otherwise((bits & (1 << 2 * i + 1)) > 0)
        .alias(c)
        for i, c in enumerate(flags)
    ]
    return rows.hstack(gathered).lazy().with_columns(unpacked).drop("_flags")


def _join_pairs(rows: _Frame, pairs: _Frame) -> _Frame:
    return rows.join(
        pairs,
        on=CHARGE_KEYS,
        how="left",
        nulls_equal=True,
        maintain_order="left",
    )


def _missing_per_criterion(version: PolicyVersion) -> list[pl.Expr]:
    """For an explanation: per criterion and fact it reads, whether that fact is what left
    the criterion unknown (``_missing:<criterion>:<fact>``; booleans are cheaper than lists)."""
    return [
        ((pl.col(cid) == UNKNOWN) & blank).fill_null(False).alias(f"_missing:{cid}:{fact}")
        for cid, c in _compiled(version)
        for fact, blank in c.missing
    ]


def _outside_every_version(judged: pl.DataFrame, versions: list[PolicyVersion]) -> None:
    if judged.get_column("_which").null_count() == 0:
        return
    outside = judged.filter(pl.col("_which").is_null())
    first = min(v.effective_from for v in versions)
    problems = [
        Problem(
            row,
            "referral_date",
            str(day),
            f"no version of the policy is in force (the first starts {first})",
        )
        for row, day in outside.select(ROW, "referral_date").head(1000).iter_rows()
    ]
    raise FactsRejected("facts", problems)


def screen(
    facts: pl.DataFrame, versions: list[PolicyVersion], label: str | None = None
) -> pl.DataFrame:
    """Every row judged, in input order: ``row, case_id, policy, version, result``, the
    criterion columns of every version involved (blank where not in a row's version) and
    ``missing``. Without ``label`` each row is judged by the version in force on its referral
    date, and a row before every version is an input error; with it, every row by that one."""
    if not versions:
        raise PolicyError("the policy has no versions")
    chosen = [version_by_label(versions, label)] if label is not None else list(versions)
    judged, ids = _judge(facts, chosen, by_date=label is None)
    if label is None:
        _outside_every_version(judged, chosen)
        # Only versions that judged a row contribute criterion columns.
        used = set(judged.get_column("_which").unique().to_list()) or set(range(len(chosen)))
        wanted = {c for i in used for c in chosen[i].criterion_ids}
        ids = tuple(c for c in ids if c in wanted)
    return judged.select(ROW, "case_id", "policy", "version", "result", *ids, "missing")


# --- one case, explained ---------------------------------------------------------------------


@dataclass(frozen=True)
class CriterionResult:
    id: str
    label: str
    citation: str
    status: str
    facts_used: dict[str, Any]
    missing: list[str]
    help: dict[str, Fact]


@dataclass(frozen=True)
class Explanation:
    version: PolicyVersion
    result: str
    criteria: list[CriterionResult]
    missing: list[str]
    facts: dict[str, Any]


def explain(facts_row: pl.DataFrame, version: PolicyVersion) -> Explanation:
    """The same compiled criteria on one row, with the inputs each criterion read."""
    plan, _ = _plan(facts_row, [version], by_date=False, detail=True)
    compiled = dict(_compiled(version))
    # One row: optimising the query costs more than it saves, and the in-memory engine
    # starts faster than the streaming one (together about a third of the time).
    values = plan.collect(optimizations=pl.QueryOptFlags.none(), engine="in-memory").row(
        0, named=True
    )
    judged = values
    criteria = []
    for c in version.criteria:
        used = {name: values.get(name) for name in c.reads}
        if "charge_codes" in c.reads:
            # Each category with the paragraph that puts the code there (issue 7).
            used["categories (from the catalog)"] = cited_categories(values.get("charge_codes"))
        if c.operator == "age_between":
            low, high = values.get("_age_low"), values.get("_age_high")
            used["age at offense"] = (
                low if low == high else (f"{low}-{high}" if low is not None else None)
            )
            if values.get("birth_date_earliest"):
                used["birth date range"] = (
                    f"{values['birth_date_earliest']} to {values['birth_date_latest']}"
                )
        missing = sorted({f for f, _ in compiled[c.id].missing if judged[f"_missing:{c.id}:{f}"]})
        criteria.append(
            CriterionResult(
                c.id,
                c.label,
                c.citation,
                str(judged[c.id]),
                used,
                missing,
                {m: VOCABULARY[m] for m in missing if m in VOCABULARY},
            )
        )
    plain = {k: values[k] for k in facts_row.columns if not k.startswith("_")}
    missing = sorted({m for c in criteria for m in c.missing})
    return Explanation(version, str(judged["result"]), criteria, missing, plain)


__all__ = [
    "ELIGIBLE",
    "INELIGIBLE",
    "MET",
    "NEEDS_INFORMATION",
    "NOT_MET",
    "UNKNOWN",
    "explain",
    "screen",
]
