"""The synthetic caseload generator's people: values and proportions, names, ages, unknowns,
near-duplicates, aliases, identifiers, and the typo and date-of-birth variations."""

from __future__ import annotations

import datetime

import polars as pl

from ontrack.synth import columns as C
from ontrack.synth import pools as P
from ontrack.synth.tests.helpers import N


def _age(on: str, born: str) -> pl.Expr:
    """Whole years between two date columns (month*100+day needs more than Int8)."""
    birthday_later = (
        pl.col(on).dt.month().cast(pl.Int32) * 100 + pl.col(on).dt.day().cast(pl.Int32)
    ) < (pl.col(born).dt.month().cast(pl.Int32) * 100 + pl.col(born).dt.day().cast(pl.Int32))
    return (
        pl.col(on).dt.year().cast(pl.Int32)
        - pl.col(born).dt.year().cast(pl.Int32)
        - birthday_later.cast(pl.Int32)
    )


# --- people ---------------------------------------------------------------------------------


def test_people_values_and_proportions(frames):
    people = frames["people"]
    assert set(people["sex"].unique()) == {"male", "female", "nonbinary", ""}
    assert 0.77 < (people["sex"] == "male").mean() < 0.83
    assert set(people["race"].unique()) == set(P.RACE_WEIGHTS)
    assert 0.37 < (people["race"] == "black").mean() < 0.43
    assert 0.27 < (people["race"] == "hispanic").mean() < 0.33
    assert set(people["suffix"].unique()) <= set(P.SUFFIX_WEIGHTS)
    assert (
        people.filter(pl.col("sex") != "male", pl.col("person_key") == pl.col("true_person_key"))[
            "suffix"
        ]
        .eq("")
        .all()
    )
    assert not (people["middle_name"] == people["given_name"]).any()
    phone = people["phone"].filter(people["phone"] != "")
    assert phone.str.contains(r"^\(415\) 555-01\d\d$").all()
    email = people["email"].filter(people["email"] != "")
    assert email.str.contains(r"^[a-z0-9.]+@example\.(com|org|net)$").all()
    assert 0.3 < email.len() / N < 0.4
    with_address = people.filter(pl.col("street_address") != "")
    assert (with_address["state"] == "CA").all()
    assert with_address["postal_code"].str.contains(r"^9\d{4}$").all()
    sf = with_address.filter(pl.col("city") == "San Francisco")
    assert sf["postal_code"].str.starts_with("941").all()
    assert 0.75 < sf.height / N < 0.85
    no_address = people.filter(pl.col("street_address") == "")
    for column in ("city", "state", "postal_code"):
        assert (no_address[column] == "").all(), column
    assert 0.03 < no_address.height / N < 0.07


def test_common_names_collide_and_follow_race(frames):
    people = frames["people"]
    pairs = people.group_by("given_name", "family_name").len().sort("len", descending=True)
    assert pairs["len"][0] >= 10
    hispanic = people.filter(pl.col("race") == "hispanic")
    spanish = hispanic["family_name"].is_in(list(P.HISPANIC_SURNAMES)).mean()
    assert spanish > 0.7
    asian = people.filter(pl.col("race") == "asian")
    assert asian["family_name"].is_in(list(P.ASIAN_SURNAMES)).mean() > 0.9


def test_ages_at_offense_are_adult_and_skewed_young(frames):
    ages = (
        frames["charges"]
        .join(frames["cases"].select("case_key", "person_key"), on="case_key")
        .join(frames["people"].select("person_key", "date_of_birth"), on="person_key")
        .drop_nulls(["offense_date", "date_of_birth"])
        .select(_age("offense_date", "date_of_birth").alias("age"))["age"]
    )
    assert ages.len() > N
    assert ages.min() >= 18
    assert ages.max() <= 70
    assert 22 <= ages.median() <= 30
    assert ((ages >= 18) & (ages <= 30)).mean() > 0.6


def test_unknowns_appear_at_small_rates(frames):
    people, charges, priors = frames["people"], frames["charges"], frames["priors"]
    rates = {
        "dob": people["date_of_birth"].is_null().mean(),
        "sex": (people["sex"] == "").mean(),
        "race": (people["race"] == "").mean(),
        "offense_date": charges["offense_date"].is_null().mean(),
        "weapon": charges["weapon_alleged"].is_null().mean(),
        "gang": charges["gang_alleged"].is_null().mean(),
        "school": charges["near_school_alleged"].is_null().mean(),
        "prior_date": priors["event_date"].is_null().mean(),
        "prior_level": (priors["level"] == "").mean(),
        "prior_code": (priors["statute_code"] == "").mean(),
    }
    bounds = {
        "dob": (0.005, 0.02), "sex": (0.005, 0.02), "race": (0.01, 0.03),
        "offense_date": (0.001, 0.01), "weapon": (0.01, 0.03), "gang": (0.01, 0.03),
        "school": (0.01, 0.03), "prior_date": (0.02, 0.04), "prior_level": (0.01, 0.03),
        "prior_code": (0.01, 0.03),
    }  # fmt: skip
    for name, rate in rates.items():
        low, high = bounds[name]
        assert low < rate < high, (name, rate)


def test_near_duplicates_are_rare_earlier_people_that_differ(frames):
    people, cases, priors = frames["people"], frames["cases"], frames["priors"]
    dups = people.filter(pl.col("person_key") != pl.col("true_person_key"))
    assert 0.01 < dups.height / N < 0.03
    assert (dups["true_person_key"] < dups["person_key"]).all()
    originals = people.filter(pl.col("person_key") == pl.col("true_person_key"))
    pairs = dups.join(
        originals, left_on="true_person_key", right_on="person_key", suffix="_orig", how="inner"
    )
    assert pairs.height == dups.height  # every duplicate points at an original record
    differs = (
        pl.col("given_name").ne_missing(pl.col("given_name_orig"))
        | pl.col("family_name").ne_missing(pl.col("family_name_orig"))
        | pl.col("date_of_birth").ne_missing(pl.col("date_of_birth_orig"))
    )
    assert pairs.select(differs.all()).item()
    # Realistic variation, not random strings: nearly all keep the given or the family name
    # (or both, swapped), and most keep the date of birth.
    same_given = pairs["given_name"] == pairs["given_name_orig"]
    same_family = pairs["family_name"] == pairs["family_name_orig"]
    swapped = pairs["given_name"] == pairs["family_name_orig"]
    assert (same_given | same_family | swapped).mean() > 0.9
    assert 0.3 < same_given.mean() < 0.8
    assert 0.3 < same_family.mean() < 0.9
    assert 0.4 < (pairs["date_of_birth"] == pairs["date_of_birth_orig"]).mean() < 0.9
    assert pairs["date_of_birth"].is_null().sum() > 0
    assert (pairs["given_name"] == pairs["family_name_orig"]).sum() > 0  # swapped names
    # A duplicate record has exactly one case (the booking that failed to match), no priors.
    dup_cases = cases.filter(pl.col("person_key").is_in(dups["person_key"].implode()))
    assert dup_cases.height == dups.height
    assert not priors["person_key"].is_in(dups["person_key"].implode()).any()


def test_aliases(frames):
    people, aliases = frames["people"], frames["aliases"]
    share = aliases["person_key"].n_unique() / N
    assert 0.12 < share < 0.17
    assert aliases.group_by("person_key").len()["len"].max() == 2
    assert set(aliases["kind"].unique()) == {"aka", "nickname", "maiden"}
    assert aliases.select("person_key", "given_name", "family_name").is_unique().all()
    joined = aliases.join(people, on="person_key", suffix="_person")
    same = (joined["given_name"] == joined["given_name_person"]) & (
        joined["family_name"] == joined["family_name_person"]
    )
    assert not same.any()
    assert (joined.filter(pl.col("kind") == "maiden")["sex"] == "female").all()
    nicknames = joined.filter(pl.col("kind") == "nickname")
    for given, nick in nicknames.select("given_name_person", "given_name").iter_rows():
        assert nick in P.NICKNAMES[given]


def test_identifier_coverage(frames):
    people, ids, cases = frames["people"], frames["identifiers"], frames["cases"]
    originals = people.filter(pl.col("person_key") == pl.col("true_person_key"))["person_key"]
    duplicates = people.filter(pl.col("person_key") != pl.col("true_person_key"))["person_key"]
    for id_type, low, high in (("state_id", 0.95, 0.99), ("fbi", 0.67, 0.73)):
        holders = ids.filter(pl.col("id_type") == id_type)["person_key"]
        assert low < holders.is_in(originals.implode()).sum() / originals.len() < high
        assert not holders.is_in(duplicates.implode()).any()  # a new record has no CII/FBI
    sf_people = set(cases.filter(pl.col("court") == P.SF_COURT)["person_key"].to_list())
    local = ids.filter(pl.col("id_type") == "local_id")["person_key"].to_list()
    assert set(local) == sf_people


# --- helpers --------------------------------------------------------------------------------


def test_typo_changes_one_letter_and_keeps_the_first():
    for word in ("Hernandez", "Le", "Nguyen", "Dela Cruz", "O"):
        for a, b, c in ((0.1, 0.2, 0.3), (0.9, 0.5, 0.0), (0.3, 0.99, 0.99)):
            changed = C.typo(word, a, b, c)
            assert changed != word
            assert changed[0] == word[0]
            assert abs(len(changed) - len(word)) <= 1
    assert C.typo("Garcia", 0.1, 0.0, 0.0) == "Gracia"  # adjacent transposition
    assert C.typo("Garcia", 0.9, 0.0, 0.0) == "Gbrcia"  # 'a' -> next letter, never itself


def test_vary_dob_swaps_or_slips_within_adult_ages():
    on = datetime.date(2020, 6, 1)
    assert C.vary_dob("dob_transpose", datetime.date(1990, 3, 7), on, 0.1) == datetime.date(
        1990, 7, 3
    )
    assert C.vary_dob("dob_digit", datetime.date(1990, 3, 7), on, 0.1) == datetime.date(1990, 3, 8)
    assert C.vary_dob("dob_missing", datetime.date(1990, 3, 7), on, 0.1) is None
    # Day 20 cannot be a month: a one-day slip instead; a >= 0.8 slips the year first.
    assert C.vary_dob("dob_transpose", datetime.date(1990, 3, 20), on, 0.9) == datetime.date(
        1990, 3, 19
    )
    assert C.vary_dob("dob_digit", datetime.date(1990, 3, 20), on, 0.9) == datetime.date(
        1989, 3, 20
    )
    # 18 exactly on ``on``: a day later would make them 17, so the slip goes the other way.
    just_adult = datetime.date(2002, 6, 1)
    assert C.vary_dob("dob_digit", just_adult, on, 0.0) == datetime.date(2002, 5, 31)
    for a in (0.0, 0.3, 0.6, 0.9):
        varied = C.vary_dob("dob_digit", just_adult, on, a)
        assert varied is not None
        assert varied != just_adult
        assert C.age_on(varied, on) >= 18
