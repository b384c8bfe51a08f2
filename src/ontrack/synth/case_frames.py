"""Synthetic cases: filing dates, arrests, charges, priors and identifiers."""

from __future__ import annotations

import datetime
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import polars as pl

from ontrack.synth import columns as C
from ontrack.synth import pools as P
from ontrack.synth.people_frames import _People
from ontrack.synth.shared import (
    _ADULT_DAYS,
    _AGENCIES,
    _CATALOG_LEVELS,
    _CITIES,
    _COURTS,
    _DISMISSED,
    _DISPOSITIONS,
    _DIVERTED,
    _ENH,
    _FEL,
    _INF,
    _LEVELS,
    _OPEN,
    _SENTENCED,
    _STATUSES,
    _WOB,
    FIRST_FILING,
    Arr,
    SynthCatalogError,
)

if TYPE_CHECKING:
    from ontrack.offenses.catalog import CatalogFile

# --- the catalog ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Codes:
    codes: list[str]
    descriptions: list[str]
    level: Arr  # index into _CATALOG_LEVELS
    category: list[str]  # most specific category (pools.CATEGORY_PRIORITY)
    categories: list[frozenset[str]]
    index: dict[str, int]

    @classmethod
    def of(cls, catalog: CatalogFile) -> _Codes:
        present = {s.code for s in catalog.statutes}
        missing = sorted(P.required_codes() - present)
        if missing:
            raise SynthCatalogError(
                "the offense catalog lacks statute codes the synthetic-data pools use: "
                + ", ".join(missing)
            )
        cats = [frozenset(c.category for c in s.categories) for s in catalog.statutes]
        return cls(
            codes=[s.code for s in catalog.statutes],
            descriptions=[s.description for s in catalog.statutes],
            level=np.array([_CATALOG_LEVELS.index(s.level) for s in catalog.statutes]),
            category=[next((c for c in P.CATEGORY_PRIORITY if c in cs), "") for cs in cats],
            categories=cats,
            index={s.code: i for i, s in enumerate(catalog.statutes)},
        )

    def pool(self, weights: Mapping[str, float]) -> tuple[Arr, Arr]:
        return np.array([self.index[c] for c in weights]), C.cumulative(list(weights.values()))

    def matching(self, prefixes: Sequence[str]) -> Arr:
        return np.array([c.startswith(tuple(prefixes)) for c in self.codes], dtype=bool)


def _draw_code(rng: np.random.Generator, pool: tuple[Arr, Arr], size: int) -> Arr:
    ids, cum = pool
    return ids[np.minimum(np.searchsorted(cum, rng.random(size), side="right"), len(ids) - 1)]


def _charge_level(rng: np.random.Generator, catalog_level: Arr, felony_share: float) -> Arr:
    """Catalog level -> index into _LEVELS (enhancements are resolved by the caller)."""
    wobbler_felony = rng.random(len(catalog_level)) < felony_share
    return np.select(
        [catalog_level == _FEL, catalog_level == _WOB, catalog_level == _INF],
        [0, np.where(wobbler_felony, 0, 1), 2],
        1,
    )


# --- case dates -----------------------------------------------------------------------------


@dataclass
class _Cases:
    person: Arr
    current: Arr  # bool: the person's latest case
    filing: Arr
    arrest: Arr
    offense: Arr
    status: Arr
    court: Arr
    agency: Arr


def _draw_case_dates(rng: np.random.Generator, people: _People, today: datetime.date) -> _Cases:
    n = people.n
    first, last = C.to_days(FIRST_FILING) + 5, C.to_days(today)
    span = last - first
    growth = math.log(P.RECENCY_GROWTH_PER_YEAR) / 365.25

    def recent(size: int) -> Arr:
        u = rng.random(size)
        return first + np.floor(np.log1p(u * math.expm1(growth * span)) / growth).astype(np.int64)

    latest = np.minimum(recent(n), last)
    is_dup = np.zeros(n, dtype=bool)
    is_dup[people.dup_rows] = True
    two = (~is_dup) & (rng.random(n) < P.SECOND_CASE_SHARE) & (span > 800)
    crowded = np.flatnonzero(two & (latest < first + 400))
    latest[crowded] = rng.integers(first + 400, last + 1, len(crowded))
    gap = np.minimum(45 + rng.exponential(700, n), 6 * 365).astype(np.int64)
    earlier = np.where(two, np.maximum(first, latest - gap), latest)
    dup_gap = np.minimum(20 + rng.exponential(400, len(people.dup_rows)), 4 * 365)
    latest[people.dup_rows] = np.minimum(latest[people.dup_of] + dup_gap.astype(np.int64), last)
    n_cases = 1 + two.astype(np.int64)
    person = np.repeat(np.arange(n), n_cases)
    ordinal = np.arange(len(person)) - np.repeat(np.cumsum(n_cases) - n_cases, n_cases)
    current = ordinal == n_cases[person] - 1
    filing = np.where(current, latest[person], earlier[person])
    size = len(person)
    lags = np.array(list(P.FILING_LAG_WEIGHTS))
    arrest = filing - lags[C.pick(rng, list(P.FILING_LAG_WEIGHTS.values()), size)]
    warrant = (rng.random(size) < P.WARRANT_ARREST_SHARE) & ~is_dup[person]
    warrant_lag = np.minimum(1 + rng.exponential(60, size), 730).astype(np.int64)
    offense = arrest - np.where(warrant, warrant_lag, 0)

    # Date of birth from the age at the earliest offense: skewed young, 18 to about 60.
    age = np.minimum(18.05 + rng.gamma(1.6, 6.5, n), 57.0)
    earliest = np.full(n, last, dtype=np.int64)
    np.minimum.at(earliest, person, offense)
    dob = earliest - np.floor(age * 365.2425).astype(np.int64)
    dob[people.dup_rows] = dob[people.dup_of]
    people.true_dob = dob
    people.dob = dob.copy()
    people.dob_null = (rng.random(n) < 0.01) & ~is_dup

    status_weights = _status_matrix(current, last - filing)
    status = C.pick_rows(rng, status_weights)

    # city -1 (no address) picks the trailing "" county.
    county = np.array([P.CITIES[c][1] for c in _CITIES] + [""])[people.city[person]]
    court = np.zeros(size, dtype=np.int64)
    u = rng.random(size)
    for county_name, weights in P.COURT_BY_COUNTY.items():
        rows = np.flatnonzero(
            (county == county_name)
            if county_name
            else ~np.isin(county, [c for c in P.COURT_BY_COUNTY if c])
        )
        cum = C.cumulative(list(weights.values()))
        picked = np.minimum(np.searchsorted(cum, u[rows], side="right"), len(cum) - 1)
        court[rows] = np.array([_COURTS.index(c) for c in weights])[picked]
    agency = np.zeros(size, dtype=np.int64)
    u = rng.random(size)
    for court_name, weights in P.AGENCY_BY_COURT.items():
        rows = np.flatnonzero(court == _COURTS.index(court_name))
        cum = C.cumulative(list(weights.values()))
        picked = np.minimum(np.searchsorted(cum, u[rows], side="right"), len(cum) - 1)
        agency[rows] = np.array([_AGENCIES.index(a) for a in weights])[picked]
    return _Cases(person, current, filing, arrest, offense, status, court, agency)


def _status_matrix(current: Arr, age_days: Arr) -> Arr:
    tables = (
        P.STATUS_WEIGHTS_EARLIER_CASE,
        P.STATUS_WEIGHTS_RECENT,
        P.STATUS_WEIGHTS_MIDDLE,
        P.STATUS_WEIGHTS_OLD,
    )
    stacked = np.array([[table[s] for s in _STATUSES] for table in tables])
    which = np.select([~current, age_days < 365, age_days < 3 * 365], [0, 1, 2], 3)
    matrix: Arr = stacked[which]
    return matrix


def _case_frames(rng: np.random.Generator, cases: _Cases) -> tuple[pl.DataFrame, pl.DataFrame]:
    size = len(cases.person)
    filing_year = C.years_of(cases.filing)
    docket = C.serials(rng, cases.court * 10_000 + filing_year, cases.filing, 999_999)
    prefix = np.array([P.COURT_DOCKET_PREFIX[c] for c in _COURTS])[cases.court]
    arrest_year = C.years_of(cases.arrest)
    booking = C.serials(rng, cases.agency * 10_000 + arrest_year, cases.arrest, 999_999)
    keys = pl.Series("case_key", np.arange(1, size + 1, dtype=np.int64))
    person_key = pl.Series("person_key", cases.person + 1)
    case_frame = pl.DataFrame(
        [
            keys,
            person_key,
            pl.Series("_prefix", prefix),
            pl.Series("_year", filing_year),
            pl.Series("_number", docket),
            C.text_series("court", _COURTS, cases.court),
            C.date_series("filing_date", cases.filing),
            C.text_series("status", _STATUSES, cases.status),
        ]
    ).select(
        "case_key",
        "person_key",
        pl.concat_str(
            [
                pl.col("_prefix"),
                pl.lit("-"),
                pl.col("_year").cast(pl.String),
                pl.lit("-"),
                pl.col("_number").cast(pl.String).str.zfill(6),
            ]
        ).alias("docket_number"),
        "court",
        "filing_date",
        "status",
    )
    arrest_frame = pl.DataFrame(
        [
            keys.alias("arrest_key"),
            keys,
            person_key,
            C.date_series("arrest_date", cases.arrest),
            C.text_series("agency", _AGENCIES, cases.agency),
            pl.Series("_yy", arrest_year % 100),
            pl.Series("_number", booking),
        ]
    ).select(
        "arrest_key",
        "case_key",
        "person_key",
        "arrest_date",
        "agency",
        pl.concat_str(
            [
                pl.col("_yy").cast(pl.String).str.zfill(2),
                pl.col("_number").cast(pl.String).str.zfill(6),
            ]
        ).alias("booking_number"),
    )
    return case_frame, arrest_frame


def _charges_frame(rng: np.random.Generator, cases: _Cases, codes: _Codes) -> pl.DataFrame:
    size = len(cases.person)
    drug = rng.random(size) < P.DRUG_LEAD_SHARE
    lead = np.where(
        drug,
        _draw_code(rng, codes.pool(P.LEAD_DRUG_WEIGHTS), size),
        _draw_code(rng, codes.pool(P.LEAD_OTHER_WEIGHTS), size),
    )
    companion_of = np.full(len(codes.codes), -1)
    for code, partner in P.COMPANION_COUNT.items():
        companion_of[codes.index[code]] = codes.index[partner]
    companion = companion_of[lead]
    extra = np.array([codes.index[c] for c in P.ADDITIONAL_COUNTS])
    probability = np.array([p for p, _ in P.ADDITIONAL_COUNTS.values()], dtype=np.float32)
    drug_only = np.array([d for _, d in P.ADDITIONAL_COUNTS.values()])
    u = rng.random((size, 1 + len(extra)), dtype=np.float32)
    selected = np.empty(u.shape, dtype=bool)
    selected[:, 0] = (companion >= 0) & (u[:, 0] < P.COMPANION_SHARE)
    taken = np.where(selected[:, 0], companion, -1)
    selected[:, 1:] = (
        (u[:, 1:] < probability)
        & (drug[:, None] | ~drug_only)
        & (extra[None, :] != lead[:, None])
        & (extra[None, :] != taken[:, None])
    )
    for row in np.flatnonzero(selected.sum(axis=1) > P.MAX_ADDITIONAL_COUNTS):
        columns = np.flatnonzero(selected[row])
        keep = columns[:1] if columns[0] == 0 else columns[:0]
        rest = rng.permutation(columns[len(keep) :])
        selected[row] = False
        selected[row, np.r_[keep, rest][: P.MAX_ADDITIONAL_COUNTS]] = True
    rows, columns = np.nonzero(selected)
    extra_code = np.where(columns == 0, companion[rows], extra[np.maximum(columns - 1, 0)])
    enhancement = codes.level == _ENH
    order = np.where(columns == 0, 1, np.where(enhancement[extra_code], 100, 2) + columns)
    case = np.r_[np.arange(size), rows]
    code = np.r_[lead, extra_code]
    index = np.lexsort((np.r_[np.zeros(size, dtype=np.int64), order], case))
    case, code = case[index], code[index]
    count_number = np.arange(len(case)) - np.searchsorted(case, case) + 1

    lead_level = _charge_level(rng, codes.level[lead], P.WOBBLER_FELONY_SHARE)
    level = _charge_level(rng, codes.level[code], P.WOBBLER_FELONY_SHARE)
    level = np.where(count_number == 1, lead_level[case], level)
    level = np.where(enhancement[code], lead_level[case], level)

    flags: list[pl.Series] = []
    for name, prefixes in (
        ("weapon_alleged", P.WEAPON_CODE_PREFIXES),
        ("gang_alleged", P.GANG_CODE_PREFIXES),
        ("near_school_alleged", P.NEAR_SCHOOL_CODE_PREFIXES),
    ):
        in_case = np.zeros(size, dtype=bool)
        in_case[case[codes.matching(prefixes)[code]]] = True
        value = in_case[case]
        null = ~value & (rng.random(len(case)) < P.ENHANCEMENT_FLAG_NULL_SHARE)
        flags.append(C.bool_series(name, value, null))

    status = cases.status[case]
    is_lead = count_number == 1
    v = rng.random(len(case))
    disposition = np.select(
        [
            status == _OPEN,
            status == _DIVERTED,
            status == _DISMISSED,
            status == _SENTENCED,
            is_lead,  # closed, count 1
        ],
        [
            0,
            np.where(is_lead | (v < 0.3), 1, 2),
            2,
            np.where(is_lead | (v < 0.35), 3, 2),
            np.select([v < 0.5, v < 0.95], [3, 2], 4),
        ],
        np.select([v < 0.15, v < 0.95], [3, 2], 4),  # closed, other counts
    )
    offense_null = rng.random(len(case)) < P.OFFENSE_DATE_NULL_SHARE
    return pl.DataFrame(
        [
            pl.Series("case_key", case + 1),
            pl.Series("count_number", count_number, dtype=pl.Int16),
            C.text_series("statute_code", codes.codes, code),
            C.text_series("description", codes.descriptions, code),
            C.text_series("level", _LEVELS, level),
            C.date_series("offense_date", cases.offense[case], offense_null),
            *flags,
            C.text_series("disposition", _DISPOSITIONS, disposition),
        ]
    )


def _special_pool(
    codes: _Codes, wanted: set[str], unwanted: set[str], prefer: Mapping[str, float]
) -> tuple[Arr, Arr]:
    ids = [
        i
        for i, cats in enumerate(codes.categories)
        if cats & wanted and not cats & unwanted and codes.level[i] not in (_ENH, _INF)
    ]
    if not ids:
        raise SynthCatalogError(
            f"the offense catalog has no statute in {sorted(wanted)} for synthetic priors"
        )
    weights = [prefer.get(codes.codes[i], 1.0) for i in ids]
    return np.array(ids), C.cumulative(weights)


def _priors_frame(
    rng: np.random.Generator, people: _People, cases: _Cases, codes: _Codes
) -> pl.DataFrame:
    n = people.n
    original = people.true_key == np.arange(n)
    current_arrest = np.zeros(n, dtype=np.int64)
    current_arrest[cases.person[cases.current]] = cases.arrest[cases.current]
    start = people.true_dob + _ADULT_DAYS + 1
    window = current_arrest - 30 - start
    years = window / 365.25
    p_any = np.clip(P.PRIOR_ANY_BASE + P.PRIOR_ANY_PER_YEAR * years, 0.0, P.PRIOR_ANY_CAP)
    has = original & (window > 30) & (rng.random(n) < p_any)
    mean = P.PRIOR_EXTRA_MEAN * np.clip(years / 8, 0.25, 2.0)
    dispersion = P.PRIOR_EXTRA_DISPERSION
    extra = rng.negative_binomial(dispersion, dispersion / (dispersion + mean))
    count = np.where(has, 1 + np.minimum(extra, P.PRIOR_MAX - 1), 0)
    person = np.repeat(np.arange(n), count)
    size = len(person)
    day = start[person] + (rng.random(size) * window[person]).astype(np.int64)
    index = np.lexsort((day, person))
    person, day = person[index], day[index]
    first_row = np.searchsorted(person, np.arange(n))

    base_weights = {
        c: w
        for c, w in P.PRIOR_WEIGHTS.items()
        if not codes.categories[codes.index[c]] & {"violent", "serious", "sex_registrable"}
    }
    if not base_weights:
        raise SynthCatalogError("every prior-record code is violent, serious or sex-registrable")
    code = _draw_code(rng, codes.pool(base_weights), size)
    conviction = rng.random(size) < P.PRIOR_CONVICTION_SHARE
    special = np.zeros(size, dtype=bool)
    with_priors = np.flatnonzero(count > 0)
    n_sex = min(round(P.PRIOR_SEX_REGISTRABLE_SHARE * original.sum()), len(with_priors))
    n_violent = min(
        round(P.PRIOR_VIOLENT_OR_SERIOUS_SHARE * original.sum()), len(with_priors) - n_sex
    )
    chosen = rng.choice(with_priors, size=n_sex + n_violent, replace=False)
    pools = (
        (
            chosen[:n_sex],
            _special_pool(codes, {"sex_registrable"}, set(), P.SEX_REGISTRABLE_PREFERENCE),
        ),
        (
            chosen[n_sex:],
            _special_pool(
                codes, {"violent", "serious"}, {"sex_registrable"}, P.VIOLENT_SERIOUS_PREFERENCE
            ),
        ),
    )
    for who, pool in pools:
        rows = first_row[who] + (rng.random(len(who)) * count[who]).astype(np.int64)
        code[rows] = _draw_code(rng, pool, len(rows))
        conviction[rows] = True
        special[rows] = True

    level = _charge_level(rng, codes.level[code], P.PRIOR_WOBBLER_FELONY_SHARE)
    level[~special & (rng.random(size) < P.PRIOR_LEVEL_UNKNOWN_SHARE)] = _LEVELS.index("")
    unknown_code = ~special & (rng.random(size) < P.PRIOR_CODE_UNKNOWN_SHARE)
    blank = len(codes.codes)
    code = np.where(unknown_code, blank, code)
    jurisdiction = C.pick(rng, list(P.PRIOR_JURISDICTION_WEIGHTS.values()), size)
    return pl.DataFrame(
        [
            pl.Series("person_key", person + 1),
            C.text_series("record_type", ("arrest", "conviction"), conviction.astype(np.int64)),
            C.date_series("event_date", day, rng.random(size) < P.PRIOR_DATE_NULL_SHARE),
            C.text_series("level", _LEVELS, level),
            C.text_series("statute_code", [*codes.codes, ""], code),
            C.text_series("description", [*codes.descriptions, ""], code),
            C.text_series("category", [*codes.category, ""], code),
            C.text_series("jurisdiction", tuple(P.PRIOR_JURISDICTION_WEIGHTS), jurisdiction),
            pl.Series("source", ["synthetic"], dtype=pl.String).gather(np.zeros(size, np.int64)),
        ]
    )


def _identifiers_frame(rng: np.random.Generator, people: _People, cases: _Cases) -> pl.DataFrame:
    n = people.n
    original = people.true_key == np.arange(n)
    state = np.flatnonzero(original & (rng.random(n) < P.STATE_ID_SHARE))
    fbi = np.flatnonzero(original & (rng.random(n) < P.FBI_SHARE))
    sf_person = np.zeros(n, dtype=bool)
    sf_person[cases.person[cases.court == _COURTS.index(P.SF_COURT)]] = True
    local = np.flatnonzero(sf_person)  # duplicates too: the booking issued a new number

    def frame(rows: Arr, id_type: str, issuer: str, value: pl.Expr, number: Arr) -> pl.DataFrame:
        return pl.DataFrame([pl.Series("person_key", rows + 1), pl.Series("_n", number)]).select(
            "person_key",
            pl.lit(id_type).alias("id_type"),
            pl.lit(issuer).alias("issuer"),
            value.alias("value"),
        )

    n_col = pl.col("_n")
    letters = pl.Series(list(P.LOWER.upper()))
    fbi_number = C.unique_ints(rng, len(fbi), 1_000_000 * 26 * 26 * 10)
    fbi_value = pl.concat_str(
        [
            (n_col // 6760).cast(pl.String).str.zfill(6),
            pl.lit(letters).gather((n_col % 6760) // 260),
            pl.lit(letters).gather((n_col % 260) // 10),
            (n_col % 10).cast(pl.String),
        ]
    )
    return pl.concat(
        [
            frame(
                state, "state_id", "CA",
                pl.concat_str([pl.lit("A"), n_col.cast(pl.String).str.zfill(8)]),
                C.unique_ints(rng, len(state), 100_000_000),
            ),
            frame(fbi, "fbi", "FBI", fbi_value, fbi_number),
            frame(
                local, "local_id", "SFSO",
                pl.concat_str([pl.lit("SF"), n_col.cast(pl.String).str.zfill(7)]),
                C.unique_ints(rng, len(local), 10_000_000),
            ),
        ]
    ).sort("person_key", maintain_order=True)  # fmt: skip
