"""Synthetic people: names, near-duplicates, aliases and the people frame."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import polars as pl

from ontrack.synth import columns as C
from ontrack.synth import pools as P
from ontrack.synth.shared import (
    _ALIAS_KINDS,
    _CITIES,
    _FEMALE,
    _MALE,
    _NONBINARY,
    _R,
    _RACES,
    _SEXES,
    Arr,
)

if TYPE_CHECKING:
    from ontrack.synth.case_frames import _Cases

if TYPE_CHECKING:
    pass

# --- names ----------------------------------------------------------------------------------


class _Names:
    def __init__(self, vocab: C.Vocab) -> None:
        raw = P.name_pools()
        self.pools = {k: C.Pool.of(vocab, *v) for k, v in raw.items()}
        # Streets outside San Francisco are named after common surnames ("Johnson Ave").
        self.other_streets = [
            f"{name} {suffix}" for name in raw["us_family"][0][:200] for suffix in P.STREET_SUFFIXES
        ]

    def given(self, rng: np.random.Generator, race: Arr, male: Arr) -> Arr:
        out = np.where(
            male,
            self.pools["us_given_male"].draw(rng, len(race)),
            self.pools["us_given_female"].draw(rng, len(race)),
        )
        spanish = (race == _R["hispanic"]) & (
            rng.random(len(race)) < P.HISPANIC_SPANISH_GIVEN_SHARE
        )
        for is_male, pool in ((True, "es_given_male"), (False, "es_given_female")):
            rows = np.flatnonzero(spanish & (male == is_male))
            out[rows] = self.pools[pool].draw(rng, len(rows))
        return out

    def family(self, rng: np.random.Generator, race: Arr) -> Arr:
        size = len(race)
        u = rng.random(size)
        out = self.pools["us_family"].draw(rng, size)
        choices = (
            (race == _R["hispanic"], "es_family"),
            (race == _R["asian"], "asian_family"),
            ((race == _R["pacific_islander"]) & (u < P.PACIFIC_SURNAME_SHARE), "pacific_family"),
            ((race == _R["other"]) & (u < 0.2), "es_family"),
            ((race == _R["other"]) & (u >= 0.2) & (u < 0.4), "asian_family"),
            ((race == _R[""]) & (u < 0.3), "es_family"),
            ((race == _R[""]) & (u >= 0.3) & (u < 0.4), "asian_family"),
        )
        for mask, pool in choices:
            rows = np.flatnonzero(mask)
            out[rows] = self.pools[pool].draw(rng, len(rows))
        return out


# --- people ---------------------------------------------------------------------------------


@dataclass
class _People:
    n: int
    sex: Arr
    race: Arr
    male_names: Arr
    given: Arr
    middle: Arr
    family: Arr
    suffix: Arr
    city: Arr  # index into _CITIES, -1 = no address
    zip_code: Arr
    street: Arr
    number: Arr
    apartment: Arr
    phone: Arr  # 0-99, -1 = none
    email: Arr  # bool
    email_number: Arr
    email_domain: Arr
    dup_rows: Arr
    dup_of: Arr
    true_key: Arr  # 0-based row of the true person
    true_dob: Arr  # days
    dob: Arr  # days as recorded
    dob_null: Arr


def _draw_people(rng: np.random.Generator, n: int, vocab: C.Vocab, names: _Names) -> _People:
    sex = C.pick(rng, list(P.SEX_WEIGHTS.values()), n)
    race = C.pick(rng, list(P.RACE_WEIGHTS.values()), n)
    u = rng.random(n)
    unknown = sex == _SEXES.index("")
    male_names = (sex == _MALE) | ((sex == _NONBINARY) & (u < 0.5)) | (unknown & (u < 0.8))
    given = names.given(rng, race, male_names)
    middle = np.where(rng.random(n) < P.MIDDLE_NAME_SHARE, names.given(rng, race, male_names), 0)
    middle[middle == given] = 0  # "Ryan Ryan Poole": drop rather than redraw
    family = names.family(rng, race)
    suffix_ids = vocab.ids(list(P.SUFFIX_WEIGHTS))
    suffix = np.where(sex == _MALE, suffix_ids[C.pick(rng, list(P.SUFFIX_WEIGHTS.values()), n)], 0)
    city = C.pick(rng, [w for w, _, _ in P.CITIES.values()], n)
    city[rng.random(n) < P.NO_ADDRESS_SHARE] = -1
    sf_zip = C.Pool.of(vocab, list(P.SF_ZIP_WEIGHTS), list(P.SF_ZIP_WEIGHTS.values()))
    zip_code = sf_zip.draw(rng, n)
    u = rng.random(n)
    for i, (_, _, zips) in enumerate(P.CITIES.values()):
        if zips:
            rows = np.flatnonzero(city == i)
            zip_code[rows] = vocab.ids(zips)[(u[rows] * len(zips)).astype(np.int64)]
    sf_streets = vocab.ids(P.SF_STREETS)
    other_streets = vocab.ids(names.other_streets)
    street = np.where(
        city == _CITIES.index("San Francisco"),
        sf_streets[rng.integers(0, len(sf_streets), n)],
        other_streets[rng.integers(0, len(other_streets), n)],
    )
    number = rng.integers(1, 5000, n)
    apartment = np.where(rng.random(n) < P.APARTMENT_SHARE, rng.integers(1, 40, n), 0)
    phone = np.where(rng.random(n) < P.PHONE_SHARE, rng.integers(0, 100, n), -1)
    email = rng.random(n) < P.EMAIL_SHARE
    email_number = np.where(rng.random(n) < 0.6, rng.integers(1, 100, n), -1)
    email_domain = rng.integers(0, len(P.EMAIL_DOMAINS), n)
    empty = np.zeros(0, dtype=np.int64)
    return _People(
        n, sex, race, male_names, given, middle, family, suffix, city, zip_code, street,
        number, apartment, phone, email, email_number, email_domain, empty, empty,
        np.arange(n), np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.int64),
        np.zeros(n, dtype=bool),
    )  # fmt: skip


def _choose_duplicates(rng: np.random.Generator, people: _People) -> None:
    n = people.n
    if n < 2:
        return
    count = int(rng.binomial(n - 1, P.NEAR_DUPLICATE_SHARE))
    dup_rows = np.sort(rng.choice(np.arange(1, n), size=count, replace=False))
    is_dup = np.zeros(n, dtype=bool)
    is_dup[dup_rows] = True
    originals = np.flatnonzero(~is_dup)
    earlier = np.searchsorted(originals, dup_rows)  # >= 1: row 0 is never a duplicate
    dup_of = originals[(rng.random(count) * earlier).astype(np.int64)]
    people.dup_rows, people.dup_of = dup_rows, dup_of
    people.true_key[dup_rows] = dup_of
    # The second record copies who the person is, not where they were found this time.
    for field in ("sex", "race", "male_names", "given", "middle", "family", "suffix"):
        column = getattr(people, field)
        column[dup_rows] = column[dup_of]
    same_address = rng.random(count) < 0.5
    for field in ("city", "zip_code", "street", "number", "apartment"):
        column = getattr(people, field)
        column[dup_rows] = np.where(same_address, column[dup_of], column[dup_rows])
    people.phone[dup_rows] = np.where(
        rng.random(count) < 0.5, people.phone[dup_of], people.phone[dup_rows]
    )
    people.middle[dup_rows[rng.random(count) < 0.3]] = 0
    people.sex[dup_rows[rng.random(count) < 0.05]] = _SEXES.index("")
    recoded = dup_rows[rng.random(count) < 0.1]
    people.race[recoded] = C.pick(rng, list(P.RACE_WEIGHTS.values()), len(recoded))


# --- near-duplicate variation ---------------------------------------------------------------

_VARIATIONS: dict[str, float] = {
    "typo_given": 0.2, "typo_family": 0.25, "nickname": 0.15, "swap": 0.07,
    "dob_transpose": 0.1, "dob_digit": 0.13, "dob_missing": 0.1,
}  # fmt: skip
_SECOND_VARIATION_SHARE = 0.2


def _vary_duplicates(
    rng: np.random.Generator, people: _People, cases: _Cases, vocab: C.Vocab
) -> None:
    count = len(people.dup_rows)
    if count == 0:
        return
    kinds = list(_VARIATIONS)
    cum = C.cumulative(list(_VARIATIONS.values()))
    u = rng.random((count, 9))
    first_case = np.searchsorted(cases.person, people.dup_rows)
    words = vocab.words
    first_kind = np.minimum(np.searchsorted(cum, u[:, 0], side="right"), len(kinds) - 1)
    second_kind = np.minimum(np.searchsorted(cum, u[:, 2], side="right"), len(kinds) - 1)
    for j in range(count):
        row, orig = int(people.dup_rows[j]), int(people.dup_of[j])
        given, family = words[people.given[orig]], words[people.family[orig]]
        true_dob = C.from_days(people.true_dob[orig])
        dob: datetime.date | None = true_dob
        on = C.from_days(cases.offense[first_case[j]])
        chosen = [kinds[first_kind[j]]]
        if u[j, 1] < _SECOND_VARIATION_SHARE and second_kind[j] != first_kind[j]:
            chosen.append(kinds[second_kind[j]])
        for kind in chosen:
            if kind == "nickname" and given in P.NICKNAMES:
                options = P.NICKNAMES[given]
                given = options[int(u[j, 3] * len(options))]
            elif kind in ("nickname", "typo_given"):
                given = C.typo(given, u[j, 4], u[j, 5], u[j, 6])
            elif kind == "typo_family":
                family = C.typo(family, u[j, 5], u[j, 6], u[j, 4])
            elif kind == "swap":
                given, family = family, given
            elif dob is not None:
                dob = C.vary_dob(kind, dob, on, u[j, 7])
        original_dob = None if people.dob_null[orig] else true_dob
        orig_given, orig_family = words[people.given[orig]], words[people.family[orig]]
        if (given, family, dob) == (orig_given, orig_family, original_dob):
            family = C.typo(family, u[j, 8], u[j, 4], u[j, 5])
        people.given[row], people.family[row] = vocab.id(given), vocab.id(family)
        people.dob_null[row] = dob is None
        people.dob[row] = C.to_days(dob) if dob is not None else people.true_dob[orig]


# --- frames ---------------------------------------------------------------------------------


def _people_frame(people: _People, vocab: C.Vocab) -> pl.DataFrame:
    n = people.n
    has_address = people.city >= 0
    city = np.where(has_address, people.city, len(_CITIES))
    raw = pl.DataFrame(
        [
            pl.Series("person_key", np.arange(1, n + 1, dtype=np.int64)),
            vocab.series("given_name", people.given),
            vocab.series("middle_name", people.middle),
            vocab.series("family_name", people.family),
            vocab.series("suffix", people.suffix),
            C.date_series("date_of_birth", people.dob, people.dob_null),
            C.text_series("sex", _SEXES, people.sex),
            C.text_series("race", _RACES, people.race),
            pl.Series("_phone", people.phone),
            pl.Series("_email", people.email),
            pl.Series("_email_number", people.email_number),
            C.text_series("_domain", P.EMAIL_DOMAINS, people.email_domain),
            pl.Series("_address", has_address),
            pl.Series("_number", people.number),
            vocab.series("_street", people.street),
            pl.Series("_apartment", people.apartment),
            C.text_series("city", (*_CITIES, ""), city),
            vocab.series("postal_code", np.where(has_address, people.zip_code, 0)),
            pl.Series("true_person_key", people.true_key + 1),
        ]
    )
    local = (
        pl.concat_str([pl.col("given_name"), pl.lit("."), pl.col("family_name")])
        .str.to_lowercase()
        .str.replace_all(r"[^a-z0-9.]", "")
    )
    number = pl.col("_email_number")
    email = pl.concat_str(
        [
            local,
            pl.when(number >= 0).then(number.cast(pl.String)).otherwise(pl.lit("")),
            pl.lit("@"),
            pl.col("_domain"),
        ]
    )
    apartment = pl.col("_apartment")
    street = pl.concat_str(
        [
            pl.col("_number").cast(pl.String),
            pl.lit(" "),
            pl.col("_street"),
            pl.when(apartment > 0)
            .then(pl.concat_str([pl.lit(" Apt "), apartment.cast(pl.String)]))
            .otherwise(pl.lit("")),
        ]
    )
    return raw.select(
        "person_key", "given_name", "middle_name", "family_name", "suffix", "date_of_birth",
        "sex", "race",
        pl.when(pl.col("_phone") >= 0)
        .then(pl.lit("(415) 555-01") + pl.col("_phone").cast(pl.String).str.zfill(2))
        .otherwise(pl.lit(""))
        .alias("phone"),
        pl.when(pl.col("_email")).then(email).otherwise(pl.lit("")).alias("email"),
        pl.when(pl.col("_address")).then(street).otherwise(pl.lit("")).alias("street_address"),
        "city",
        pl.when(pl.col("_address")).then(pl.lit("CA")).otherwise(pl.lit("")).alias("state"),
        "postal_code",
        "true_person_key",
    )  # fmt: skip


def _aliases_frame(
    rng: np.random.Generator, people: _People, vocab: C.Vocab, names: _Names
) -> pl.DataFrame:
    chosen = np.flatnonzero(rng.random(people.n) < P.ALIAS_SHARE)
    person = np.repeat(chosen, 1 + (rng.random(len(chosen)) < P.SECOND_ALIAS_SHARE))
    size = len(person)
    given, family = people.given[person], people.family[person]
    nick_given = {vocab.id(g): [vocab.id(x) for x in nicks] for g, nicks in P.NICKNAMES.items()}
    table = np.full(len(vocab.words), -1, dtype=np.int64)
    options = np.full(len(vocab.words), 0, dtype=np.int64)
    flat: list[int] = []
    for gid, nicks in nick_given.items():
        table[gid], options[gid] = len(flat), len(nicks)
        flat.extend(nicks)
    nick_ids = np.array(flat, dtype=np.int64)
    u = rng.random((4, size))
    has_nick = options[given] > 0
    nickname = nick_ids[
        np.where(has_nick, table[given] + (u[3] * options[given]).astype(np.int64), 0)
    ]
    kind = np.where(
        has_nick & (u[0] < 0.4), 1, np.where((people.sex[person] == _FEMALE) & (u[1] < 0.4), 2, 0)
    )
    new_given = names.given(rng, people.race[person], people.male_names[person])
    new_family = names.family(rng, people.race[person])
    alias_given = np.select(
        [kind == 1, kind == 2, u[2] < 0.4, u[2] < 0.7],
        [nickname, given, new_given, given],
        new_given,
    )
    alias_family = np.select(
        [kind == 1, kind == 2, u[2] < 0.4], [family, new_family, family], new_family
    )
    keep = (alias_given != given) | (alias_family != family)
    return pl.DataFrame(
        [
            pl.Series("person_key", person[keep] + 1),
            vocab.series("given_name", alias_given[keep]),
            vocab.series("family_name", alias_family[keep]),
            C.text_series("kind", _ALIAS_KINDS, kind[keep]),
        ]
    ).unique(["person_key", "given_name", "family_name"], keep="first", maintain_order=True)
