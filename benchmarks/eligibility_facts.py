"""Synthetic case facts for the eligibility benchmark: the charge-code mix (``CODE_WEIGHTS``,
codes the catalog does not know, categories given instead of codes), ``make_facts``, which
generates the typed case-facts frame exactly as ``parse_facts`` returns it (vectorised with
NumPy, deterministic for the seed, plus sex and race for the simulation's groups), and
``as_text``, the same facts as a file would carry them (every column text, blank for unknown).
"""

from __future__ import annotations

import datetime as dt
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ontrack.settings")

import django

django.setup()

import numpy as np  # noqa: E402
import polars as pl  # noqa: E402

from ontrack.eligibility.vocabulary import VOCABULARY  # noqa: E402
from ontrack.ingest.validate import ROW  # noqa: E402
from ontrack.synth.pools import RACE_WEIGHTS, SEX_WEIGHTS  # noqa: E402

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
    expected = [ROW, *VOCABULARY, "sex", "race"]
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
