"""The hand-written Polars baseline the eligibility benchmarks compare ``screen`` against:
the Back on Track criteria of both policy versions written from the policy text as when/then
expressions over the typed facts (``HW_*`` constants, per-code bits, ``hand_written``, the
missing-facts lookup table), and ``verify``, which stops the run unless the engine's output
equals the hand-written one on every ``COMPARED`` column.

Plain Polars: nothing here imports Django or the project, so that ``screen_handwritten.py``
runs it as a user's own script would. What a code means comes in as a table of bits per
code (``code_bits``, computed by the runner from the catalog API, as a user would write
their lists of codes down).
"""

from __future__ import annotations

import datetime as dt
import functools
import sys

import polars as pl
from polars.testing import assert_frame_equal

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
# Bits of one code: a qualifying section (or a subdivision of one); certainly violent or
# serious; not in the catalog; violent or serious only under a degree not given.
QUALIFYING, EXCLUDED, UNCATALOGUED_BIT, POSSIBLE_BIT = 1, 2, 4, 8


def code_bits(codes: list[str]) -> dict[str, int]:
    """Per code as written: its bits, read from the catalog API (needs Django set up)."""
    from ontrack.offenses import codes as parser
    from ontrack.offenses import lookup
    from ontrack.offenses.codes import StatuteCode, StatuteCodeError

    out = {}
    for raw in codes:
        try:
            code = parser.parse(raw)
        except StatuteCodeError:
            out[raw] = UNCATALOGUED_BIT
            continue
        info = lookup.catalog().lookup(code)
        forms = {
            StatuteCode(code.book, code.section, code.subdivisions[:n], code.modifier,
                        code.modifier_code).text
            for n in range(len(code.subdivisions) + 1)
        }  # fmt: skip
        bits = QUALIFYING if forms & HW_QUALIFYING else 0
        if not info.known:
            bits |= UNCATALOGUED_BIT
        if info.definite & HW_EXCLUDED:
            bits |= EXCLUDED
        if info.possible & HW_EXCLUDED:
            bits |= POSSIBLE_BIT
        out[raw] = bits
    return out


def codes_in(facts: pl.DataFrame) -> list[str]:
    parts = _split_codes("charge_codes").explode().unique().drop_nulls()
    texts = facts.select(pl.col("charge_codes").unique())
    return [c for c in texts.select(parts).to_series().to_list() if c != ""]


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


def hand_written(facts: pl.DataFrame, bits_of: dict[str, int]) -> pl.DataFrame:
    # Charge codes: each distinct charge_codes text is judged once (there are far fewer texts
    # than rows), as the OR of its codes' bits, and joined back to the rows.
    texts = facts.select(pl.col("charge_codes").unique())
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
            # A degree not given may make a code serious (PC 459, PC 460(a)): unknown.
            maybe=~pl.col("has_given") & ((pl.col("bits") & POSSIBLE_BIT) > 0).fill_null(False),
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
                pl.col("has_categories") & ~pl.col("hit") & pl.col("all_known") & ~pl.col("maybe"),
                pl.col("hit"),
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
        & (~pl.col("all_known") | pl.col("maybe")),
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
            pl.lit("back-on-track").alias("policy"),
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
