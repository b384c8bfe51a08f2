"""Screening: compiled criteria over prepared facts, one case or a million, same code.

``evaluate`` applies one policy version to every row; ``screen`` picks the version in force
on each row's referral date (or the one named) and stacks the results. The overall result:
any ``not_met`` → ``ineligible``; else any ``unknown`` → ``needs_information``; else
``eligible``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl

from ontrack.eligibility.facts import FACT_HELP, FactHelp, prepare
from ontrack.eligibility.operators import MET, NOT_MET, OPERATORS, UNKNOWN, Compiled
from ontrack.eligibility.policy import PolicyError, PolicyVersion
from ontrack.imports.problems import ImportRejected, Problem
from ontrack.imports.validate import ROW

ELIGIBLE, INELIGIBLE, NEEDS_INFORMATION = "eligible", "ineligible", "needs_information"
RESULT = pl.Enum([ELIGIBLE, INELIGIBLE, NEEDS_INFORMATION])


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


def evaluate(
    prepared: pl.DataFrame, version: PolicyVersion, *, detail: bool = False
) -> pl.DataFrame:
    """``case_id, policy, version, result, <criterion…>, missing`` (missing: sorted list);
    with ``detail``, also ``_missing_<criterion>`` per criterion."""
    compiled = _compiled(version)
    ids = [cid for cid, _ in compiled]
    statuses = [expr.alias(cid) for cid, (expr, _) in compiled]
    # A fact is missing for a criterion when the criterion is unknown and the fact is blank.
    pairs = {
        cid: [(name, (pl.col(cid) == UNKNOWN) & blank) for name, blank in facts]
        for cid, (_, facts) in compiled
    }
    judged = prepared.with_columns(statuses)
    if detail:
        lists = [
            pl.concat_list([pl.when(cond).then(pl.lit(name)) for name, cond in pairs[cid]])
            .list.drop_nulls()
            .alias(f"_missing_{cid}")
            if pairs[cid]
            else pl.lit([], dtype=pl.List(pl.String)).alias(f"_missing_{cid}")
            for cid in ids
        ]
        judged = judged.with_columns(lists).with_columns(
            pl.concat_list([f"_missing_{c}" for c in ids])
            .list.unique()
            .list.sort()
            .alias("missing")
        )
    else:
        judged = _missing_by_mask(judged, pairs)
    any_not_met = pl.any_horizontal([pl.col(c) == NOT_MET for c in ids])
    any_unknown = pl.any_horizontal([pl.col(c) == UNKNOWN for c in ids])
    return judged.with_columns(
        pl.when(any_not_met).then(pl.lit(INELIGIBLE, RESULT))
        .when(any_unknown).then(pl.lit(NEEDS_INFORMATION, RESULT))
        .otherwise(pl.lit(ELIGIBLE, RESULT)).alias("result"),
        pl.lit(version.policy).alias("policy"),
        pl.lit(version.label).alias("version"),
    ).select(
        ROW, "case_id", "policy", "version", "result", *ids, "missing",
        *([f"_missing_{c}" for c in ids] if detail else []),
    )  # fmt: skip


def _missing_by_mask(
    judged: pl.DataFrame, pairs: dict[str, list[tuple[str, pl.Expr]]]
) -> pl.DataFrame:
    """Many rows: the missing facts as a bit mask (bit i = the i-th fact); each distinct mask
    becomes its sorted list once and is joined back. A list per row costs ten times more."""
    by_fact: dict[str, pl.Expr] = {}
    for conditions in pairs.values():
        for name, cond in conditions:
            by_fact[name] = (by_fact[name] | cond) if name in by_fact else cond
    names = sorted(by_fact)
    if len(names) > 63:
        raise PolicyError("a version reads more than 63 facts: widen the missing-facts mask")
    mask = (
        pl.sum_horizontal(
            [by_fact[n].fill_null(False).cast(pl.UInt64) * (1 << i) for i, n in enumerate(names)]
        )
        if names
        else pl.lit(0, pl.UInt64)
    )
    judged = judged.with_columns(mask.cast(pl.UInt64).alias("_mask"))
    masks = judged.get_column("_mask").unique().to_list()
    table = pl.DataFrame(
        {
            "_mask": masks,
            "missing": [[n for i, n in enumerate(names) if m >> i & 1] for m in masks],
        },
        schema={"_mask": pl.UInt64, "missing": pl.List(pl.String)},
    )
    return judged.join(table, on="_mask", how="left", maintain_order="left").drop("_mask")


def select_versions(
    facts: pl.DataFrame, versions: list[PolicyVersion], label: str | None = None
) -> list[tuple[PolicyVersion, pl.DataFrame]]:
    """Rows grouped by the version that judges them; a row before every version is an error."""
    if label is not None:
        chosen = [v for v in versions if v.label == label]
        if not chosen:
            raise PolicyError(
                f"no version {label!r}; available: {', '.join(v.label for v in versions)}"
            )
        return [(chosen[0], facts)]
    day = pl.col("referral_date")
    groups: list[tuple[PolicyVersion, pl.DataFrame]] = []
    covered = pl.lit(False)
    for v in versions:
        mask = day >= v.effective_from
        if v.effective_to is not None:
            mask &= day < v.effective_to
        covered |= mask
        part = facts.filter(mask)
        if not part.is_empty():
            groups.append((v, part))
    outside = facts.filter(~covered)
    if not outside.is_empty():
        first = min(v.effective_from for v in versions)
        problems = [
            Problem(
                row,
                "referral_date",
                str(day_),
                f"no version of the policy is in force (the first starts {first})",
            )
            for row, day_ in outside.select(ROW, "referral_date").head(1000).iter_rows()
        ]
        raise ImportRejected("facts", problems)
    return groups


def screen(
    facts: pl.DataFrame, versions: list[PolicyVersion], label: str | None = None
) -> pl.DataFrame:
    """Every row judged; criterion columns of all versions involved (blank where n/a)."""
    # Prepare once (the derived columns do not depend on the version), then judge each
    # version's rows.
    groups = select_versions(prepare(facts), versions, label)
    parts = [evaluate(rows, v) for v, rows in groups]
    if not parts:
        return pl.DataFrame()
    ids = list(dict.fromkeys(c for v, _ in groups for c in v.criterion_ids))
    stacked = parts[0] if len(parts) == 1 else pl.concat(parts, how="diagonal").sort(ROW)
    return stacked.select(ROW, "case_id", "policy", "version", "result", *ids, "missing")


# --- one case, explained ---------------------------------------------------------------------


@dataclass(frozen=True)
class CriterionResult:
    id: str
    label: str
    citation: str
    status: str
    facts_used: dict[str, Any]
    missing: list[str]
    help: dict[str, FactHelp]


@dataclass(frozen=True)
class Explanation:
    version: PolicyVersion
    result: str
    criteria: list[CriterionResult]
    missing: list[str]
    facts: dict[str, Any]


def explain(facts_row: pl.DataFrame, version: PolicyVersion) -> Explanation:
    """The same compiled criteria on one row, with the inputs each criterion read."""
    prepared = prepare(facts_row)
    judged = evaluate(prepared, version, detail=True).row(0, named=True)
    values = prepared.row(0, named=True)
    criteria = []
    for c in version.criteria:
        used = {name: values.get(name) for name in c.reads}
        if "charge_codes" in c.reads:
            used["categories (from the catalog)"] = values.get("_categories")
        if c.operator == "age_between":
            low, high = values.get("_age_low"), values.get("_age_high")
            used["age at offense"] = (
                low if low == high else (f"{low}-{high}" if low is not None else None)
            )
            if values.get("birth_date_earliest"):
                used["birth date range"] = (
                    f"{values['birth_date_earliest']} to {values['birth_date_latest']}"
                )
        missing = list(judged[f"_missing_{c.id}"])
        criteria.append(
            CriterionResult(
                c.id,
                c.label,
                c.citation,
                str(judged[c.id]),
                used,
                missing,
                {m: FACT_HELP[m] for m in missing if m in FACT_HELP},
            )
        )
    plain = {k: v for k, v in values.items() if not k.startswith("_")}
    return Explanation(version, str(judged["result"]), criteria, list(judged["missing"]), plain)


__all__ = [
    "ELIGIBLE",
    "INELIGIBLE",
    "MET",
    "NEEDS_INFORMATION",
    "NOT_MET",
    "UNKNOWN",
    "evaluate",
    "explain",
    "screen",
]
