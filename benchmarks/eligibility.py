"""Eligibility engine benchmark: bulk screening, one explained case, a policy simulation.

    .venv/bin/python benchmarks/eligibility.py [--rows 1000000] [--seed 1]

One run generates synthetic case facts (vectorised, deterministic for the seed), then
measures and prints:

1. ``parse_facts`` on the text form of the facts (the typed frame must come back identical);
2. ``screen(facts, versions)`` against a hand-written Polars query computing the same columns
   (the two outputs must be identical, or the script stops with an error);
3. ``explain(one_row, version)`` over 200 different cases;
4. a simulation: every case under ``2005-01`` and under ``2009-07``, with the transition
   table overall and per (race, sex), cells under 11 suppressed.

It prints numbers and whether each goal is met; it asserts nothing about time. Results and
how to read them: ``docs/benchmarks.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from importlib import util as importlib_util
from pathlib import Path
from typing import Any, TypeVar

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ontrack.settings")

import django

django.setup()

import numpy as np  # noqa: E402
import polars as pl  # noqa: E402
from polars.testing import assert_frame_equal  # noqa: E402

from ontrack.eligibility.engine import _plan, explain, screen  # noqa: E402
from ontrack.eligibility.facts import FACT_TYPES, charge_pairs, parse_facts  # noqa: E402
from ontrack.eligibility.policy import PolicyVersion, load_policy  # noqa: E402
from ontrack.imports.validate import ROW  # noqa: E402
from ontrack.offenses.catalog import read_catalog  # noqa: E402
from ontrack.offenses.codes import StatuteCodeError, normalise  # noqa: E402
from ontrack.synth.pools import RACE_WEIGHTS, SEX_WEIGHTS  # noqa: E402

T = TypeVar("T")

# Goals (from the brief); printed as met / MISSED, never asserted.
GOAL_SCREEN_RATIO = 1.3  # engine / hand-written
GOAL_SCREEN_SECONDS = 1.0  # engine, 1M rows, 2 cores
GOAL_EXPLAIN_MS = 5.0  # median
GOAL_SIMULATION_SECONDS = 2.0
SUPPRESS_BELOW = 11

# --- synthetic case facts ----------------------------------------------------------------------

# Current-charge codes by weight: catalogued drug, violent/serious, property and other codes,
# a subdivision the catalog covers through its parent (VC 10851(a)), and codes the catalog
# does not know (another state's code books; a bare PC 245, deliberately left out).
CODE_WEIGHTS: dict[str, float] = {
    "HS 11351": 16,
    "HS 11352": 13,
    "HS 11378": 9,
    "HS 11379": 7,
    "HS 11350": 9,
    "HS 11377": 8,
    "HS 11364": 5,
    "HS 11360": 2,
    "HS 11359": 1,
    "PC 211": 4,
    "PC 245(a)(1)": 3,
    "PC 460(a)": 1,
    "PC 148(a)(1)": 6,
    "VC 10851": 3,
    "VC 10851(a)": 1,
    "PC 459": 3,
    "PC 496(a)": 2,
    "PC 12022": 2,
    "HS 11353.6": 1,
    "PC 245": 1,
    "NV 453.336": 1.5,
    "FS 893.13": 0.5,
}
UNCATALOGUED = ("PC 245", "NV 453.336", "FS 893.13")
GIVEN_CATEGORIES = ("drug_sale", "drug_possession", "drug_possession_for_sale", "violent; weapon")

REFERRALS_FROM = dt.date(2005, 1, 1)
REFERRALS_TO = dt.date(2026, 10, 31)
EPOCH = dt.date(1970, 1, 1)
DAYS_PER_YEAR = 365.2425


def _days(day: dt.date) -> int:
    return (day - EPOCH).days


def _blank(rng: np.random.Generator, values: np.ndarray, share: float) -> pl.Series:
    """The values with ``share`` of them blank (null)."""
    return pl.Series(values).scatter(np.flatnonzero(rng.random(len(values)) < share), None)


def _date(days: pl.Series) -> pl.Series:
    return days.cast(pl.Int32).cast(pl.Date)


def _flag(rng: np.random.Generator, n: int, true_share: float, blank_share: float) -> pl.Series:
    return _blank(rng, rng.random(n) < true_share, blank_share)


def _choice(rng: np.random.Generator, n: int, weights: dict[str, float]) -> pl.Series:
    names = pl.Series(list(weights), dtype=pl.String)
    p = np.array(list(weights.values()), dtype=float)
    return names.gather(rng.choice(len(names), size=n, p=p / p.sum()))


def make_facts(n: int, seed: int) -> pl.DataFrame:
    """The typed case-facts frame exactly as ``parse_facts`` returns it, plus sex and race."""
    rng = np.random.default_rng(seed)
    referral = rng.integers(_days(REFERRALS_FROM), _days(REFERRALS_TO) + 1, n)
    offense = referral - np.minimum(rng.exponential(45, n).astype(np.int64), 730)
    # Ages at offense skewed toward 18-30, with a tail on both sides.
    young = rng.random(n) < 0.78
    years = np.where(young, rng.uniform(18, 31, n), rng.uniform(14, 60, n))
    born = offense - (years * DAYS_PER_YEAR).astype(np.int64)
    dob_blank = rng.random(n) < 0.04
    # Half of the unknown dates of birth come with a one-year range (an age on a record).
    ranged = dob_blank & (rng.random(n) < 0.5)
    latest = born + rng.integers(0, 365, n)
    earliest = latest - 364

    k = rng.choice([1, 2, 3], size=n, p=[0.6, 0.3, 0.1])
    names = pl.Series(list(CODE_WEIGHTS), dtype=pl.String)
    p = np.array(list(CODE_WEIGHTS.values()), dtype=float)
    picks = rng.choice(len(names), size=(n, 3), p=p / p.sum())
    slots = [names.gather(picks[:, i]).scatter(np.flatnonzero(k <= i), None) for i in range(3)]
    uncatalogued = np.isin(picks, [list(CODE_WEIGHTS).index(c) for c in UNCATALOGUED])
    has_uncatalogued = (uncatalogued & (np.arange(3) < k[:, None])).any(axis=1)
    codes_blank = rng.random(n) < 0.03
    categories_given = has_uncatalogued & ~codes_blank & (rng.random(n) < 0.4)
    categories = _choice(rng, n, dict.fromkeys(GIVEN_CATEGORIES, 1.0)).scatter(
        np.flatnonzero(~categories_given), None
    )

    priors = rng.choice(6, size=n, p=[0.68, 0.15, 0.08, 0.05, 0.02, 0.02])
    prior_count = priors + rng.poisson(1.2, n)

    level = _choice(rng, n, {"felony": 0.8, "misdemeanor": 0.17, "": 0.03})
    work = _choice(rng, n, {"verified": 0.86, "not_authorized": 0.09, "": 0.05})
    frame = pl.DataFrame(
        {
            "case_id": pl.int_range(1, n + 1, eager=True).cast(pl.String).str.zfill(7),
            "referral_date": _date(pl.Series(referral)),
            "date_of_birth": _date(pl.Series(born).scatter(np.flatnonzero(dob_blank), None)),
            "birth_date_earliest": _date(
                pl.Series(earliest).scatter(np.flatnonzero(~ranged), None)
            ),
            "birth_date_latest": _date(pl.Series(latest).scatter(np.flatnonzero(~ranged), None)),
            "offense_date": _date(_blank(rng, offense, 0.03)),
            "charge_codes": pl.select(pl.concat_str(slots, separator="; ", ignore_nulls=True))
            .to_series()
            .scatter(np.flatnonzero(codes_blank), None),
            "charge_level": level.replace("", None),
            "prior_felony_convictions": _blank(rng, priors.astype(np.int64), 0.04),
            "prior_violent_or_serious": _flag(rng, n, 0.06, 0.03),
            "prior_sex_registrable": _flag(rng, n, 0.005, 0.03),
            "weapon_involved": _flag(rng, n, 0.07, 0.03),
            "gang_enhancement": _flag(rng, n, 0.03, 0.02),
            "near_school": _flag(rng, n, 0.04, 0.02),
            "work_authorization": work.replace("", None),
            "charge_categories": categories,
            "prior_count": _blank(rng, prior_count.astype(np.int64), 0.08),
            "sex": _choice(rng, n, SEX_WEIGHTS),
            "race": _choice(rng, n, RACE_WEIGHTS),
        }
    )
    frame = frame.with_columns(("BOT-" + pl.col("case_id")).alias("case_id")).with_row_index(
        ROW, offset=1
    )
    expected = [ROW, *FACT_TYPES, "sex", "race"]
    if frame.columns != expected:
        raise SystemExit(f"facts columns {frame.columns} are not {expected}")
    return frame


def as_text(facts: pl.DataFrame) -> pl.DataFrame:
    """The facts as a file would carry them: every column text, blank for unknown."""
    columns = []
    for name, dtype in facts.drop(ROW).schema.items():
        col = pl.col(name)
        if dtype == pl.Date:
            col = col.dt.to_string("%Y-%m-%d")
        elif dtype == pl.Boolean:
            col = pl.when(col).then(pl.lit("true")).when(~col).then(pl.lit("false"))
        columns.append(col.cast(pl.String).fill_null("").alias(name))
    return facts.select(columns)


# --- the hand-written query ------------------------------------------------------------------
# Written from the policy text, not from the engine's operators: the Back on Track criteria of
# both versions as when/then expressions over the typed facts, one pass, the version chosen per
# row by referral date. Its output must equal ``screen``'s, column for column.

HW_STATUS = pl.Enum(["met", "unknown", "not_met"])  # the engine's output type
HW_RESULT = pl.Enum(["eligible", "ineligible", "needs_information"])
HW_CUTOVER = dt.date(2009, 7, 1)  # 2005-01 until this day, 2009-07 from it
HW_QUALIFYING = {
    "HS 11351",
    "HS 11351.5",
    "HS 11352",
    "HS 11359",
    "HS 11360",
    "HS 11378",
    "HS 11379",
}
HW_EXCLUDED = {"violent", "serious"}
HW_CRITERIA = (
    "age_at_offense",
    "qualifying_charge",
    "no_violent_or_serious_current_charge",
    "first_felony",
    "no_violent_or_serious_history",
    "no_sex_registrable_history",
    "no_weapon",
    "no_gang_enhancement",
    "not_near_school",
    "legal_work_eligibility",
)
QUALIFYING, EXCLUDED, UNCATALOGUED_BIT = 1, 2, 4


def _catalog_index() -> dict[str, tuple[frozenset[str], bool]]:
    return {
        s.code: (frozenset(c.category for c in s.categories), s.includes_subdivisions)
        for s in read_catalog().statutes
    }


CATALOG = _catalog_index()


def _code_bits(raw: str) -> int:
    """Qualifying / excluded-category / not-in-catalog bits of one charge code as written."""
    try:
        code = normalise(raw)
    except StatuteCodeError:
        return UNCATALOGUED_BIT  # another state's code book: valid, unknown to the catalog
    entry = CATALOG.get(code)
    broader = code
    while entry is None and broader.endswith(")"):
        broader = broader[: broader.rindex("(")]
        found = CATALOG.get(broader)
        if found is not None and found[1]:
            entry = found
    if entry is None:
        return UNCATALOGUED_BIT
    qualifying = QUALIFYING if code in HW_QUALIFYING else 0
    return qualifying | (EXCLUDED if entry[0] & HW_EXCLUDED else 0)


def _split_codes(column: str) -> pl.Expr:
    return pl.col(column).str.split(";").list.eval(pl.element().str.strip_chars())


def _hw_status(met: pl.Expr, not_met: pl.Expr) -> pl.Expr:
    # A null condition is false in when/then: blank facts fall through to unknown. Enum
    # literals: no string per row (casting text to an Enum costs ~15 ms per column per 1M).
    return (
        pl.when(not_met).then(pl.lit("not_met", HW_STATUS))
        .when(met).then(pl.lit("met", HW_STATUS))
        .otherwise(pl.lit("unknown", HW_STATUS))
    )  # fmt: skip


def _yyyymmdd(column: str) -> pl.Expr:
    day = pl.col(column)
    return (
        day.dt.year().cast(pl.Int32) * 10_000
        + day.dt.month().cast(pl.Int32) * 100
        + day.dt.day().cast(pl.Int32)
    )


def _completed_years(born: str, on: str) -> pl.Expr:
    # 2001-02-28 minus 2000-02-29 is 9,999: not yet a year (a 29 February birthday is
    # reached on 1 March in common years).
    return (_yyyymmdd(on) - _yyyymmdd(born)) // 10_000


def hand_written(facts: pl.DataFrame) -> pl.DataFrame:
    # Charge codes: each distinct charge_codes text is judged once (there are far fewer texts
    # than rows), as the OR of its codes' bits, and joined back to the rows.
    texts = facts.select(pl.col("charge_codes").unique())
    parts = _split_codes("charge_codes").explode().unique().drop_nulls()
    bits_of = {c: _code_bits(c) for c in texts.select(parts).to_series().to_list() if c != ""}
    bits = _split_codes("charge_codes").list.eval(
        pl.element().replace_strict(bits_of, default=None, return_dtype=pl.UInt8).drop_nulls()
    )
    per_text = texts.select(
        "charge_codes",
        bits.list.agg(pl.element().bitwise_or()).alias("bits"),
        bits.list.len().alias("n_codes"),
    )
    given = _split_codes("charge_categories").list.eval(pl.element().filter(pl.element() != ""))
    v2009 = pl.col("version") == "2009-07"
    ranged = pl.col("birth_date_earliest").is_not_null() & pl.col("birth_date_latest").is_not_null()
    unknown = {c: pl.col(c) == "unknown" for c in HW_CRITERIA}

    def false_fact(fact: str) -> pl.Expr:
        return _hw_status(pl.col(fact).not_(), pl.col(fact))

    staged = (
        facts.lazy()
        .join(
            per_text.lazy(),
            on="charge_codes",
            how="left",
            nulls_equal=True,
            maintain_order="left",
        )
        .select(
            "case_id",
            "date_of_birth",
            "offense_date",
            "charge_level",
            "prior_felony_convictions",
            "prior_violent_or_serious",
            "prior_sex_registrable",
            "weapon_involved",
            "gang_enhancement",
            "near_school",
            "work_authorization",
            pl.when(pl.col("referral_date") >= HW_CUTOVER)
            .then(pl.lit("2009-07"))
            .otherwise(pl.lit("2005-01"))
            .alias("version"),
            "bits",
            "n_codes",
            given.list.len().alias("n_given"),
            given.list.eval(pl.element().is_in(list(HW_EXCLUDED))).list.any().alias("given_hit"),
            # Age as an interval: exact from the date of birth, else bounded by a birth-date
            # range (youngest from its latest end, oldest from its earliest end).
            pl.coalesce(
                _completed_years("date_of_birth", "offense_date"),
                pl.when(ranged).then(_completed_years("birth_date_latest", "offense_date")),
            ).alias("age_low"),
            pl.coalesce(
                _completed_years("date_of_birth", "offense_date"),
                pl.when(ranged).then(_completed_years("birth_date_earliest", "offense_date")),
            ).alias("age_high"),
        )
        .with_columns(
            has_codes=(pl.col("n_codes") > 0).fill_null(False),
            has_given=(pl.col("n_given") > 0).fill_null(False),
        )
        .with_columns(
            # Categories are the ones given, else the catalog's for the codes, else unknown.
            has_categories=pl.col("has_given") | pl.col("has_codes"),
            hit=pl.when(pl.col("has_given"))
            .then(pl.col("given_hit"))
            .when(pl.col("has_codes"))
            .then((pl.col("bits") & EXCLUDED) > 0),
            all_known=pl.col("has_given") | ((pl.col("bits") & UNCATALOGUED_BIT) == 0),
            level_ok=pl.col("charge_level") == "felony",
            code_ok=pl.when(pl.col("has_codes")).then((pl.col("bits") & QUALIFYING) > 0),
        )
        .with_columns(
            age_at_offense=_hw_status(
                (pl.col("age_low") >= 18) & (pl.col("age_high") <= 30),
                (pl.col("age_high") < 18) | (pl.col("age_low") > 30),
            ),
            qualifying_charge=_hw_status(
                pl.col("level_ok") & pl.col("code_ok"), ~pl.col("level_ok") | ~pl.col("code_ok")
            ),
            no_violent_or_serious_current_charge=_hw_status(
                pl.col("has_categories") & ~pl.col("hit") & pl.col("all_known"), pl.col("hit")
            ),
            first_felony=_hw_status(
                pl.col("prior_felony_convictions") == 0, pl.col("prior_felony_convictions") > 0
            ),
            no_violent_or_serious_history=false_fact("prior_violent_or_serious"),
            no_sex_registrable_history=false_fact("prior_sex_registrable"),
            no_weapon=false_fact("weapon_involved"),
            no_gang_enhancement=false_fact("gang_enhancement"),
            not_near_school=false_fact("near_school"),
            legal_work_eligibility=pl.when(v2009).then(
                _hw_status(
                    pl.col("work_authorization") == "verified",
                    pl.col("work_authorization") != "verified",
                )
            ),
        )
    )
    # What to collect, in alphabetical order (each name once, so no sort or unique needed).
    wanted = {
        "charge_categories": unknown["no_violent_or_serious_current_charge"]
        & pl.col("has_categories")
        & ~pl.col("all_known"),
        "charge_codes": (unknown["qualifying_charge"] & ~pl.col("has_codes"))
        | (unknown["no_violent_or_serious_current_charge"] & ~pl.col("has_categories")),
        "charge_level": unknown["qualifying_charge"] & pl.col("charge_level").is_null(),
        "date_of_birth": unknown["age_at_offense"] & pl.col("date_of_birth").is_null(),
        "gang_enhancement": unknown["no_gang_enhancement"] & pl.col("gang_enhancement").is_null(),
        "near_school": unknown["not_near_school"] & pl.col("near_school").is_null(),
        "offense_date": unknown["age_at_offense"] & pl.col("offense_date").is_null(),
        "prior_felony_convictions": unknown["first_felony"]
        & pl.col("prior_felony_convictions").is_null(),
        "prior_sex_registrable": unknown["no_sex_registrable_history"]
        & pl.col("prior_sex_registrable").is_null(),
        "prior_violent_or_serious": unknown["no_violent_or_serious_history"]
        & pl.col("prior_violent_or_serious").is_null(),
        "weapon_involved": unknown["no_weapon"] & pl.col("weapon_involved").is_null(),
        "work_authorization": v2009
        & unknown["legal_work_eligibility"]
        & pl.col("work_authorization").is_null(),
    }
    # Which facts are missing, as a bit mask (bit i = i-th name above); each of the 2**12
    # combinations is a list once, in a small table the rows join to. Building a list per row
    # (concat_list of when/then) costs ~2 s per million rows; the mask and join ~30 ms.
    mask = pl.sum_horizontal(
        [cond.fill_null(False).cast(pl.UInt16) * (1 << i) for i, cond in enumerate(wanted.values())]
    )
    any_not_met = pl.any_horizontal([pl.col(c) == "not_met" for c in HW_CRITERIA])
    any_unknown = pl.any_horizontal([pl.col(c) == "unknown" for c in HW_CRITERIA])
    return (
        staged.select(
            "case_id",
            "version",
            pl.when(any_not_met)
            .then(pl.lit("ineligible", HW_RESULT))
            .when(any_unknown)
            .then(pl.lit("needs_information", HW_RESULT))
            .otherwise(pl.lit("eligible", HW_RESULT))
            .alias("result"),
            *HW_CRITERIA,
            mask.alias("_mask"),
        )
        .join(_missing_lists(tuple(wanted)).lazy(), on="_mask", how="left", maintain_order="left")
        .drop("_mask")
        .collect()
    )


@functools.cache
def _missing_lists(names: tuple[str, ...]) -> pl.DataFrame:
    masks = range(1 << len(names))
    return pl.DataFrame(
        {
            "_mask": masks,
            "missing": [[n for i, n in enumerate(names) if m >> i & 1] for m in masks],
        },
        schema={"_mask": pl.UInt16, "missing": pl.List(pl.String)},
    )


COMPARED = ["case_id", "version", "result", *HW_CRITERIA, "missing"]


def verify(engine_out: pl.DataFrame, hand_out: pl.DataFrame) -> None:
    """The same rows, columns, types and values, or stop loudly."""
    left = engine_out.select(COMPARED).sort("case_id")
    right = hand_out.select(COMPARED).sort("case_id")
    try:
        assert_frame_equal(left, right)
    except AssertionError as exc:
        diff = left.with_row_index("i").join(right.with_row_index("i"), on="i", suffix="_hand")
        for column in COMPARED[1:]:
            bad = diff.filter(pl.col(column).ne_missing(pl.col(f"{column}_hand")))
            if not bad.is_empty():
                print(f"\nFIRST DIFFERENCES in {column}:", file=sys.stderr)
                print(bad.select("case_id", column, f"{column}_hand").head(5), file=sys.stderr)
        raise SystemExit(f"ENGINE AND HAND-WRITTEN OUTPUTS DIFFER: {exc}") from exc


# --- timing ----------------------------------------------------------------------------------


def timed(fn: Callable[[], T]) -> tuple[float, T]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def median_of(fn: Callable[[], Any], runs: int, warmup: int = 1) -> tuple[float, list[float]]:
    for _ in range(warmup):
        fn()
    times = [timed(fn)[0] for _ in range(runs)]
    return statistics.median(times), times


def p95(times: list[float]) -> float:
    return float(np.percentile(times, 95))


def machine() -> dict[str, str]:
    model = "unknown"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": model,
        "cores": f"{os.cpu_count()} logical, {usable} usable, Polars pool {pl.thread_pool_size()}",
        "python": platform.python_version(),
        "polars": pl.__version__,
        "numpy": np.__version__,
        "platform": platform.platform(),
        "load average": load_average(),
        "revision": revision(),
    }


def load_average() -> str:
    """1, 5 and 15-minute load: on a shared 2-core machine, other work inflates timings."""
    try:
        with open("/proc/loadavg", encoding="utf-8") as info:
            return " ".join(info.read().split()[:3])
    except OSError:
        return "unknown"


def revision() -> str:
    """The commit measured, and whether the engine's files differ from it (read-only git)."""
    git = shutil.which("git")
    root = Path(__file__).resolve().parents[1]
    if git is None:
        return "unknown"
    try:
        head = subprocess.run(  # noqa: S603 - git with fixed arguments
            [git, "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
            cwd=root,
        ).stdout.strip()
        changed = subprocess.run(  # noqa: S603 - git with fixed arguments
            [git, "diff", "--quiet", "HEAD", "--", "src/ontrack/eligibility"], cwd=root, check=False
        ).returncode
    except OSError:
        return "unknown"
    return head + (" + uncommitted changes in src/ontrack/eligibility" if changed else "")


def table(headers: list[str], rows: list[list[str]], align_right: bool = True) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))
    out = [line, "  ".join("-" * w for w in widths)]
    for r in rows:
        out.append(
            "  ".join(
                (c.rjust(w) if i and align_right else c.ljust(w))
                for i, (c, w) in enumerate(zip(r, widths, strict=True))
            )
        )
    return "\n".join(out)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms"


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


# --- simulation --------------------------------------------------------------------------------
# The project's ``simulate.transitions`` when it exists; an inline group_by + pivot otherwise.
# The inline version always runs too: its tables must equal the project's (a cross-check) and
# it shows the cost of two screens shared by the overall and the per-group table.

RESULT_ORDER = ["eligible", "needs_information", "ineligible"]
GROUPS = ["race", "sex"]


def project_transitions() -> Callable[..., pl.DataFrame] | None:
    if importlib_util.find_spec("ontrack.eligibility.simulate") is None:
        return None
    from ontrack.eligibility import simulate

    found = getattr(simulate, "transitions", None)
    return found if callable(found) else None


def _transition_table(both: pl.DataFrame, groups: list[str]) -> pl.DataFrame:
    """Rows: group x from-result; columns: count per to-result and total; < 11 → null."""
    counts = (
        both.group_by([*groups, "from_result", "to_result"])
        .len("n")
        .pivot(on="to_result", index=[*groups, "from_result"], values="n", on_columns=RESULT_ORDER)
    )
    frame = pl.DataFrame({"from_result": RESULT_ORDER})
    if groups:
        frame = both.select(groups).unique().join(frame, how="cross")
    order = pl.col("from_result").replace_strict(RESULT_ORDER, [0, 1, 2], return_dtype=pl.Int8)
    return (
        frame.join(counts, on=[*groups, "from_result"], how="left")
        .with_columns(pl.col(RESULT_ORDER).fill_null(0).cast(pl.UInt32))
        .with_columns(pl.sum_horizontal(RESULT_ORDER).alias("total"))
        .sort([*groups, order])
        .with_columns(
            pl.when(pl.col(c) >= SUPPRESS_BELOW).then(pl.col(c)).alias(c)
            for c in [*RESULT_ORDER, "total"]
        )
        .select(*groups, "from_result", *RESULT_ORDER, "total")
    )


def simulate_inline(
    facts: pl.DataFrame, versions: list[PolicyVersion]
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Every case under 2005-01 and 2009-07: transitions overall and per (race, sex)."""
    before = screen(facts, versions, label="2005-01")
    after = screen(facts, versions, label="2009-07")
    if not (before[ROW].equals(facts[ROW]) and after[ROW].equals(facts[ROW])):
        raise SystemExit("screen() did not return the rows in input order")
    both = pl.DataFrame(
        {
            "race": facts["race"],
            "sex": facts["sex"],
            "from_result": before["result"].cast(pl.String),
            "to_result": after["result"].cast(pl.String),
        }
    )
    return _transition_table(both, []), _transition_table(both, GROUPS)


def simulate_project(
    transitions: Callable[..., pl.DataFrame], facts: pl.DataFrame, versions: list[PolicyVersion]
) -> tuple[pl.DataFrame, pl.DataFrame]:
    overall = transitions(facts, versions, "2005-01", "2009-07")
    by_group = transitions(facts, versions, "2005-01", "2009-07", by=GROUPS)
    return overall, by_group


def same_tables(project: pl.DataFrame, inline: pl.DataFrame, what: str) -> None:
    def norm(frame: pl.DataFrame) -> pl.DataFrame:
        return frame.with_columns(pl.col(c).cast(pl.Int64) for c in [*RESULT_ORDER, "total"])

    try:
        assert_frame_equal(norm(project), norm(inline))
    except AssertionError as exc:
        raise SystemExit(
            f"simulate.transitions and the inline table differ ({what}): {exc}"
        ) from exc


# --- main ------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    pl.Config.set_tbl_rows(60)
    pl.Config.set_tbl_cols(16)
    pl.Config.set_tbl_width_chars(200)

    print("OnTrack eligibility benchmark")
    print(
        table(
            ["machine", ""],
            [[k, v] for k, v in machine().items()],
            align_right=False,
        )
    )
    print(f"command: {' '.join([os.path.relpath(sys.executable), *sys.argv])}")
    versions = load_policy("back-on-track")
    print(f"policy back-on-track: versions {', '.join(v.label for v in versions)}")

    # 1. Facts ----------------------------------------------------------------------------
    t_gen, facts = timed(lambda: make_facts(args.rows, args.seed))
    text = as_text(facts)
    t_parse, parse_times = median_of(lambda: parse_facts(text), runs=3, warmup=0)
    assert_frame_equal(parse_facts(text), facts)  # the typed frame is what parse_facts gives
    in_2005 = facts.filter(pl.col("referral_date") < HW_CUTOVER).height
    print(
        f"\n1. facts: {facts.height:,} rows generated in {t_gen:.2f} s (seed {args.seed}); "
        f"{in_2005:,} referred before 2009-07-01 ({in_2005 / facts.height:.1%}).\n"
        f"   blanks: "
        + ", ".join(
            f"{c} {facts[c].null_count() / facts.height:.1%}"
            for c in FACT_TYPES
            if c not in {"case_id", "referral_date"}
        )
    )
    print(
        f"   parse_facts on the text form (all columns strings): median {t_parse:.2f} s "
        f"of 3 ({', '.join(f'{t:.2f}' for t in parse_times)}); output equals the typed frame."
    )

    # 2. Bulk screening -------------------------------------------------------------------
    engine_out = screen(facts, versions)
    hand_out = hand_written(facts)
    verify(engine_out, hand_out)
    t_engine, engine_times = median_of(lambda: screen(facts, versions), runs=5)
    t_hand, hand_times = median_of(lambda: hand_written(facts), runs=5)
    ratio = t_engine / t_hand
    results = engine_out.group_by("version", "result").len().sort("version", "result")
    print(
        "\n2. bulk screening, per-criterion columns: outputs identical "
        f"({engine_out.height:,} rows x {len(COMPARED)} compared columns)."
    )
    print("   results: " + "; ".join(f"{v} {r} {n:,}" for v, r, n in results.iter_rows()))
    print(
        "   hand-written: one lazy query; codes judged once per distinct charge_codes text and "
        "joined back; Enum literals in when/then; missing facts as a bit mask joined to lists."
    )

    # Profile: where screen's time goes (the same steps screen takes, timed one by one).
    def steps() -> dict[str, float]:
        spent: dict[str, float] = {}
        t, pairs = timed(lambda: charge_pairs(facts))
        spent[f"charge_pairs alone ({pairs.height:,} distinct charge pairs)"] = t
        t, (plan, _) = timed(lambda: _plan(facts, versions, by_date=True, detail=False))
        spent["_plan: charge_pairs, their columns, eager join to the rows"] = t
        t, _ = timed(plan.collect)
        spent["collect the lazy rest (age, criteria, result, missing)"] = t
        return spent

    runs = [steps() for _ in range(3)]
    profile = {k: statistics.median(r[k] for r in runs) for k in runs[0]}

    # 3. One case, explained --------------------------------------------------------------
    picks = np.linspace(0, facts.height - 1, 200).astype(int)
    cases = []
    for i in picks:
        row = facts.slice(int(i), 1)
        day = row["referral_date"][0]
        cases.append((row, next(v for v in versions if v.in_force(day))))
    for row, v in cases[:20]:
        explain(row, v)
    explain_times = [timed(functools.partial(explain, row, v))[0] for row, v in cases]
    plan_times = [
        timed(functools.partial(_plan, row, [v], by_date=False, detail=True))[0] for row, v in cases
    ]
    plans = [_plan(row, [v], by_date=False, detail=True)[0] for row, v in cases]
    collect_times = [timed(p.collect)[0] for p in plans]
    t_explain = statistics.median(explain_times)

    print(
        f"\n3. explain: {len(cases)} different cases (evenly spaced rows), each under the version "
        "in force on its referral date; 20 warm-up calls first."
    )

    # 4. Simulation -----------------------------------------------------------------------
    transitions = project_transitions()
    inline_times = []
    for _ in range(3):
        t, (overall, by_group) = timed(lambda: simulate_inline(facts, versions))
        inline_times.append(t)
    t_inline = statistics.median(inline_times)
    project_times: list[float] = []
    if transitions is not None:
        for _ in range(3):
            t, (p_overall, p_by_group) = timed(
                lambda: simulate_project(transitions, facts, versions)
            )
            project_times.append(t)
        same_tables(p_overall, overall, "overall")
        same_tables(p_by_group, by_group, "by race and sex")
    sim_times = project_times or inline_times
    t_sim = statistics.median(sim_times)
    sim_how = (
        "simulate.transitions(facts, versions, '2005-01', '2009-07'[, by=['race', 'sex']]), "
        "2 calls = 4 screens"
        if transitions is not None
        else "inline in this benchmark (src/ontrack/eligibility/simulate.py has no transitions())"
    )
    t_one_screen, _ = median_of(lambda: screen(facts, versions, label="2009-07"), runs=3)

    # Report -----------------------------------------------------------------------------
    n = f"{facts.height:,}"
    print("\nRESULTS")
    rows = [
        [f"parse_facts, {n} text rows", f"{t_parse:.3f} s", "-", "-"],
        [
            f"screen(facts, versions), {n} rows (median of 5)",
            f"{t_engine:.3f} s",
            f"<= {GOAL_SCREEN_SECONDS:.1f} s",
            verdict(t_engine <= GOAL_SCREEN_SECONDS),
        ],
        [f"hand-written Polars query, {n} rows (median of 5)", f"{t_hand:.3f} s", "-", "-"],
        [
            "ratio engine / hand-written",
            f"{ratio:.2f}",
            f"<= {GOAL_SCREEN_RATIO}",
            verdict(ratio <= GOAL_SCREEN_RATIO),
        ],
        [
            "explain(one row, version), median of 200",
            ms(t_explain),
            f"<= {GOAL_EXPLAIN_MS:.0f} ms",
            verdict(t_explain * 1000 <= GOAL_EXPLAIN_MS),
        ],
        ["explain, p95 of 200", ms(p95(explain_times)), "-", "-"],
        [
            f"simulation, {n} rows x 2 versions, overall + race x sex (median of 3)",
            f"{t_sim:.3f} s",
            f"<= {GOAL_SIMULATION_SECONDS:.0f} s",
            verdict(t_sim <= GOAL_SIMULATION_SECONDS),
        ],
    ]
    if project_times:
        rows.append(
            ["  same tables inline (2 screens shared, median of 3)", f"{t_inline:.3f} s", "-", "-"]
        )
    print(table(["measure", "value", "goal", "goal"], rows))
    print(
        "   runs (s): screen "
        + ", ".join(f"{t:.3f}" for t in engine_times)
        + "; hand-written "
        + ", ".join(f"{t:.3f}" for t in hand_times)
        + "; simulation "
        + ", ".join(f"{t:.3f}" for t in sim_times)
        + f"\n   simulation measured: {sim_how}"
    )

    print("\nPROFILE: screen(facts, versions), the same steps timed one by one (median of 3)")
    total = sum(v for k, v in profile.items() if not k.startswith("charge_pairs alone"))
    print(
        table(
            ["step", "time", "share"],
            [[k, ms(v), f"{v / total:.0%}"] for k, v in profile.items()]
            + [["total", ms(total), ""]],
        )
    )
    print("\nPROFILE: explain (median of the same 200 cases)")
    print(
        table(
            ["step", "median", "p95"],
            [
                [
                    "build the plan (charge pair, expressions)",
                    ms(statistics.median(plan_times)),
                    ms(p95(plan_times)),
                ],
                [
                    "collect the one-row query",
                    ms(statistics.median(collect_times)),
                    ms(p95(collect_times)),
                ],
                ["explain (whole)", ms(t_explain), ms(p95(explain_times))],
            ],
        )
    )
    screens = 4 if project_times else 2
    print(
        f"\nPROFILE: simulation = {screens} x screen(label=...) (one: {t_one_screen:.3f} s, "
        f"median of 3) + transition tables (~{max(t_sim - screens * t_one_screen, 0):.3f} s)"
    )

    print(
        "\n4. SIMULATION: every case under 2005-01 (from_result) and 2009-07 (columns); "
        f"{sim_how}.\n"
        + (
            "   The inline group_by + pivot tables were computed too and are identical.\n"
            if project_times
            else ""
        )
        + f"   '<{SUPPRESS_BELOW}' = count under {SUPPRESS_BELOW} suppressed (zero included)."
    )

    def show(frame: pl.DataFrame) -> str:
        shown = frame.with_columns(
            *[pl.col(c).replace("", "(not recorded)") for c in GROUPS if c in frame.columns],
            *[
                pl.col(c).cast(pl.String).fill_null(f"<{SUPPRESS_BELOW}")
                for c in [*RESULT_ORDER, "total"]
            ],
        )
        return table(shown.columns, [list(map(str, r)) for r in shown.iter_rows()])

    shown_overall, shown_groups = (p_overall, p_by_group) if project_times else (overall, by_group)
    print(show(shown_overall))
    print()
    print(show(shown_groups))

    missed = [
        name
        for name, ok in [
            ("screen ratio", ratio <= GOAL_SCREEN_RATIO),
            ("screen absolute", t_engine <= GOAL_SCREEN_SECONDS),
            ("explain median", t_explain * 1000 <= GOAL_EXPLAIN_MS),
            ("simulation", t_sim <= GOAL_SIMULATION_SECONDS),
        ]
        if not ok
    ]
    print(f"\nload average at the end: {load_average()}")
    print(
        "\nGOALS: all met."
        if not missed
        else f"\nGOALS MISSED: {', '.join(missed)} (see the profiles above)."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
