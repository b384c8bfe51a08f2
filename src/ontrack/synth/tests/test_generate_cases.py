"""The synthetic caseload generator's frames: shape, determinism, keys and relations, cases,
charges, priors, the catalog it needs and writing Parquet; pure frames, checked without a
database."""

from __future__ import annotations

import dataclasses
import datetime
import json

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from ontrack.offenses.catalog import read_catalog
from ontrack.synth import columns as C
from ontrack.synth import pools as P
from ontrack.synth.generate import (
    FRAME_NAMES,
    GENERATOR_VERSION,
    SynthCatalogError,
    generate,
    make_manifest,
    write_parquet,
)
from ontrack.synth.tests.helpers import TODAY, N

SCHEMAS: dict[str, dict[str, pl.DataType]] = {
    "people": {
        "person_key": pl.Int64(), "given_name": pl.String(), "middle_name": pl.String(),
        "family_name": pl.String(), "suffix": pl.String(), "date_of_birth": pl.Date(),
        "sex": pl.String(), "race": pl.String(), "phone": pl.String(), "email": pl.String(),
        "street_address": pl.String(), "city": pl.String(), "state": pl.String(),
        "postal_code": pl.String(), "true_person_key": pl.Int64(),
    },
    "aliases": {
        "person_key": pl.Int64(), "given_name": pl.String(), "family_name": pl.String(),
        "kind": pl.String(),
    },
    "identifiers": {
        "person_key": pl.Int64(), "id_type": pl.String(), "issuer": pl.String(),
        "value": pl.String(),
    },
    "cases": {
        "case_key": pl.Int64(), "person_key": pl.Int64(), "docket_number": pl.String(),
        "court": pl.String(), "filing_date": pl.Date(), "status": pl.String(),
    },
    "arrests": {
        "arrest_key": pl.Int64(), "case_key": pl.Int64(), "person_key": pl.Int64(),
        "arrest_date": pl.Date(), "agency": pl.String(), "booking_number": pl.String(),
    },
    "charges": {
        "case_key": pl.Int64(), "count_number": pl.Int16(), "statute_code": pl.String(),
        "description": pl.String(), "level": pl.String(), "offense_date": pl.Date(),
        "weapon_alleged": pl.Boolean(), "gang_alleged": pl.Boolean(),
        "near_school_alleged": pl.Boolean(), "disposition": pl.String(),
    },
    "priors": {
        "person_key": pl.Int64(), "record_type": pl.String(), "event_date": pl.Date(),
        "level": pl.String(), "statute_code": pl.String(), "description": pl.String(),
        "category": pl.String(), "jurisdiction": pl.String(), "source": pl.String(),
    },
}  # fmt: skip

# Columns where null means "unknown"; every other column must never be null.
NULLABLE = {
    ("people", "date_of_birth"),
    ("charges", "offense_date"),
    ("charges", "weapon_alleged"),
    ("charges", "gang_alleged"),
    ("charges", "near_school_alleged"),
    ("priors", "event_date"),
}


@pytest.fixture(scope="module")
def catalog():
    return read_catalog()


# --- shape and determinism --------------------------------------------------------------------


def test_frames_have_the_exact_columns_and_types(frames):
    assert tuple(frames) == FRAME_NAMES
    for name, schema in SCHEMAS.items():
        assert dict(frames[name].schema) == schema, name


def test_only_unknown_facts_are_null(frames):
    for name, frame in frames.items():
        for column in frame.columns:
            nulls = frame[column].null_count()
            if (name, column) in NULLABLE:
                assert nulls > 0, f"{name}.{column} never unknown"
            else:
                assert nulls == 0, f"{name}.{column} has {nulls} nulls"


def test_same_seed_gives_identical_frames_and_another_seed_differs(catalog):
    first = generate(3_000, 5, catalog=catalog)
    second = generate(3_000, 5, catalog=catalog)
    for name in FRAME_NAMES:
        assert_frame_equal(first[name], second[name])
    other = generate(3_000, 6, catalog=catalog)
    assert other["people"].height == 3_000
    assert not other["people"].equals(first["people"])
    assert not other["charges"].equals(first["charges"])


def test_a_single_person_is_enough(catalog):
    frames = generate(1, 3, catalog=catalog)
    people = frames["people"]
    assert people["person_key"].to_list() == [1]
    assert people["true_person_key"].to_list() == [1]
    assert frames["cases"]["person_key"].to_list() in ([1], [1, 1])
    assert frames["charges"].filter(pl.col("count_number") == 1).height == frames["cases"].height


def test_bad_arguments_are_refused(catalog):
    with pytest.raises(ValueError, match="at least 1"):
        generate(0, 1, catalog=catalog)
    with pytest.raises(ValueError, match="negative"):
        generate(10, -1, catalog=catalog)
    with pytest.raises(ValueError, match="three years"):
        generate(10, 1, catalog=catalog, today=datetime.date(2006, 1, 1))


def test_progress_reports_every_frame_with_its_row_count(catalog):
    calls: list[tuple[str, int]] = []
    frames = generate(500, 2, catalog=catalog, progress=lambda s, n: calls.append((s, n)))
    assert calls == [(name, frames[name].height) for name in FRAME_NAMES]


# --- keys and relations -------------------------------------------------------------------------


def test_row_count_relations(frames):
    people, cases, arrests, charges = (frames[k] for k in ("people", "cases", "arrests", "charges"))
    assert people.height == N
    assert people["person_key"].to_list() == list(range(1, N + 1))
    per_person = people.select("person_key").join(
        cases.group_by("person_key").len(), on="person_key", how="left"
    )
    assert per_person["len"].null_count() == 0
    assert set(per_person["len"].unique().to_list()) == {1, 2}
    two = (per_person["len"] == 2).mean()
    assert 0.12 < two < 0.17  # 15 % of original records
    assert cases["case_key"].to_list() == list(range(1, cases.height + 1))
    # One arrest per case, booked on the case's person.
    assert arrests.height == cases.height
    assert arrests["arrest_key"].is_unique().all()
    joined = arrests.join(cases, on="case_key", how="inner", suffix="_case")
    assert joined.height == cases.height
    assert (joined["person_key"] == joined["person_key_case"]).all()
    # Counts are numbered 1..k within every case, at most 1 + 3 additional counts.
    numbering = charges.group_by("case_key").agg(
        pl.len().alias("n"),
        pl.col("count_number").min().alias("lo"),
        pl.col("count_number").max().alias("hi"),
        pl.col("count_number").n_unique().alias("distinct"),
    )
    assert numbering.height == cases.height
    assert (numbering["lo"] == 1).all()
    assert (numbering["hi"].cast(pl.UInt32) == numbering["n"]).all()
    assert (numbering["distinct"] == numbering["n"]).all()
    assert numbering["n"].max() == 1 + P.MAX_ADDITIONAL_COUNTS


def test_every_foreign_key_resolves(frames):
    people = frames["people"].select("person_key")
    cases = frames["cases"].select("case_key")
    for name in ("aliases", "identifiers", "cases", "arrests", "priors"):
        orphans = frames[name].join(people, on="person_key", how="anti")
        assert orphans.height == 0, name
    for name in ("arrests", "charges"):
        assert frames[name].join(cases, on="case_key", how="anti").height == 0, name
    true_keys = frames["people"].select(pl.col("true_person_key").alias("person_key"))
    assert true_keys.join(people, on="person_key", how="anti").height == 0


def test_docket_booking_and_identifier_numbers_are_unique_and_well_formed(frames):
    cases, arrests, ids = frames["cases"], frames["arrests"], frames["identifiers"]
    assert cases["docket_number"].is_unique().all()
    assert cases["docket_number"].str.contains(r"^(CRI|ALA-CR|SM-CR)-\d{4}-\d{6}$").all()
    year = cases["filing_date"].dt.year().cast(pl.String)
    assert (cases["docket_number"].str.extract(r"-(\d{4})-") == year).all()
    assert arrests.select("agency", "booking_number").is_unique().all()
    assert arrests["booking_number"].str.contains(r"^\d{8}$").all()
    yy = (arrests["arrest_date"].dt.year() % 100).cast(pl.String).str.zfill(2)
    assert (arrests["booking_number"].str.slice(0, 2) == yy).all()
    assert ids.select("id_type", "issuer", "value").is_unique().all()
    assert ids.select("person_key", "id_type").is_unique().all()
    patterns = {
        ("state_id", "CA"): r"^A\d{8}$",
        ("fbi", "FBI"): r"^\d{6}[A-Z]{2}\d$",
        ("local_id", "SFSO"): r"^SF\d{7}$",
    }
    kinds = set(ids.select("id_type", "issuer").unique().iter_rows())
    assert kinds == set(patterns)
    for (id_type, issuer), pattern in patterns.items():
        values = ids.filter(pl.col("id_type") == id_type, pl.col("issuer") == issuer)["value"]
        assert values.str.contains(pattern).all(), id_type


# --- cases and charges ----------------------------------------------------------------------


def test_case_dates_status_court_and_agency(frames):
    cases, arrests = frames["cases"], frames["arrests"]
    assert cases["filing_date"].min() >= datetime.date(2005, 1, 1)
    assert cases["filing_date"].max() <= TODAY
    recent = (cases["filing_date"] >= datetime.date(2021, 12, 1)).sum()
    early = (cases["filing_date"] < datetime.date(2010, 1, 1)).sum()
    assert recent > 2 * early  # recent years weigh more
    lag = arrests.join(cases, on="case_key").select(
        (pl.col("filing_date") - pl.col("arrest_date")).dt.total_days().alias("days")
    )["days"]
    assert lag.min() >= 1
    assert lag.max() <= 5
    status = cases["status"].value_counts(normalize=True)
    shares = dict(status.iter_rows())
    assert set(shares) == {"open", "sentenced", "dismissed", "closed", "diverted"}
    assert max(shares, key=lambda s: shares[s]) == "open"
    assert (cases["court"] == P.SF_COURT).mean() > 0.9
    assert set(cases["court"].unique()) == set(P.COURT_DOCKET_PREFIX)
    assert (arrests["agency"] == "SFPD").mean() > 0.7


def test_charges_use_catalog_codes_descriptions_and_levels(frames, catalog):
    entries = {s.code: s for s in catalog.statutes}
    charges = frames["charges"]
    used = set(charges["statute_code"].unique())
    assert used <= set(entries)
    for code, description in charges.select("statute_code", "description").unique().iter_rows():
        assert description == entries[code].description
    levels = charges.group_by("statute_code").agg(pl.col("level").unique().alias("levels"))
    for code, seen in levels.iter_rows():
        catalog_level = entries[code].level
        if catalog_level in ("felony", "misdemeanor"):
            assert seen == [catalog_level], code
        elif catalog_level == "wobbler":
            assert set(seen) <= {"felony", "misdemeanor"}, code
    wobblers = charges.filter(
        pl.col("statute_code").is_in([c for c, s in entries.items() if s.level == "wobbler"]),
        pl.col("count_number") == 1,
    )
    assert 0.75 < (wobblers["level"] == "felony").mean() < 0.85
    lead = charges.filter(pl.col("count_number") == 1).select(
        "case_key", pl.col("level").alias("lead_level")
    )
    enhancements = charges.filter(
        pl.col("statute_code").is_in([c for c, s in entries.items() if s.level == "enhancement"])
    ).join(lead, on="case_key")
    assert enhancements.height > 0
    assert (enhancements["level"] == enhancements["lead_level"]).all()
    assert (enhancements["count_number"] > 1).all()


def test_lead_charges_are_mostly_drug_felonies(frames):
    lead = frames["charges"].filter(pl.col("count_number") == 1)["statute_code"]
    drug = lead.is_in(list(P.LEAD_DRUG_WEIGHTS))
    assert 0.87 < drug.mean() < 0.93
    assert set(lead.unique()) <= set(P.LEAD_DRUG_WEIGHTS) | set(P.LEAD_OTHER_WEIGHTS)
    drug_leads = lead.filter(drug)
    assert 0.18 < (drug_leads == "HS 11352").mean() < 0.22
    assert 0.16 < (drug_leads == "HS 11351").mean() < 0.20
    # A code appears at most once in a case.
    assert frames["charges"].select("case_key", "statute_code").is_unique().all()


def test_allegation_flags_follow_the_case_enhancements(frames):
    charges = frames["charges"]
    per_case = charges.group_by("case_key").agg(
        pl.col("statute_code").str.starts_with("PC 12022").any().alias("weapon"),
        (pl.col("statute_code") == "HS 11370.1").any().alias("weapon_hs"),
        pl.col("statute_code").str.starts_with("PC 186.22").any().alias("gang"),
        (pl.col("statute_code") == "HS 11353.6").any().alias("school"),
    )
    joined = charges.join(per_case, on="case_key")
    for flag, expected in (
        ("weapon_alleged", pl.col("weapon") | pl.col("weapon_hs")),
        ("gang_alleged", pl.col("gang")),
        ("near_school_alleged", pl.col("school")),
    ):
        recorded = joined.filter(pl.col(flag).is_not_null())
        assert recorded.select((pl.col(flag) == expected).all()).item(), flag
        assert recorded[flag].any(), flag
        # Unknown only where no enhancement says otherwise.
        assert not joined.filter(pl.col(flag).is_null()).select(expected.any()).item(), flag


def test_dispositions_match_case_status(frames):
    joined = frames["charges"].join(frames["cases"].select("case_key", "status"), on="case_key")
    lead = joined.filter(pl.col("count_number") == 1)
    assert (joined.filter(pl.col("status") == "open")["disposition"] == "pending").all()
    assert (joined.filter(pl.col("status") != "open")["disposition"] != "pending").all()
    assert (joined.filter(pl.col("status") == "dismissed")["disposition"] == "dismissed").all()
    assert (lead.filter(pl.col("status") == "diverted")["disposition"] == "diverted").all()
    assert (lead.filter(pl.col("status") == "sentenced")["disposition"] == "convicted").all()
    closed = set(joined.filter(pl.col("status") == "closed")["disposition"].unique())
    assert closed == {"convicted", "dismissed", "acquitted"}


def test_offense_dates_precede_arrests(frames):
    joined = frames["charges"].join(frames["arrests"], on="case_key").drop_nulls("offense_date")
    assert (joined["offense_date"] <= joined["arrest_date"]).all()
    assert 0.8 < (joined["offense_date"] == joined["arrest_date"]).mean() < 0.95


# --- prior record ---------------------------------------------------------------------------


def test_prior_record_counts_dates_and_categories(frames, catalog):
    people, priors, arrests = frames["people"], frames["priors"], frames["arrests"]
    per_person = people.select("person_key").join(
        priors.group_by("person_key").len(), on="person_key", how="left"
    )
    counts = per_person["len"].fill_null(0)
    assert 0.5 < (counts == 0).mean() < 0.6
    assert 2.0 < counts.filter(counts > 0).mean() < 3.2
    assert counts.max() <= P.PRIOR_MAX
    assert counts.max() >= 10
    assert 0.45 < (priors["record_type"] == "conviction").mean() < 0.6
    assert set(priors["source"].unique()) == {"synthetic"}
    assert (priors["jurisdiction"] == "CA").mean() > 0.9
    assert set(priors["level"].unique()) == {"felony", "misdemeanor", ""}
    latest_arrest = arrests.group_by("person_key").agg(pl.col("arrest_date").max())
    dated = priors.drop_nulls("event_date").join(latest_arrest, on="person_key")
    assert (dated["event_date"] < dated["arrest_date"]).all()
    entries = {s.code: s for s in catalog.statutes}
    known = priors.filter(pl.col("statute_code") != "")
    assert set(known["statute_code"].unique()) <= set(entries)
    for code, description, category in (
        known.select("statute_code", "description", "category").unique().iter_rows()
    ):
        cats = {c.category for c in entries[code].categories}
        assert description == entries[code].description
        assert category == next(c for c in P.CATEGORY_PRIORITY if c in cats)
    unknown = priors.filter(pl.col("statute_code") == "")
    assert (unknown["description"] == "").all()
    assert (unknown["category"] == "").all()


def test_some_people_have_violent_serious_or_sex_convictions(frames):
    priors = frames["priors"].filter(pl.col("record_type") == "conviction")
    violent = priors.filter(pl.col("category").is_in(["violent", "serious"]))
    sex = priors.filter(pl.col("category") == "sex_registrable")
    assert 0.03 < violent["person_key"].n_unique() / N < 0.05
    assert 0.003 < sex["person_key"].n_unique() / N < 0.008


# --- catalog --------------------------------------------------------------------------------


def test_every_configured_code_is_in_the_real_catalog(catalog):
    codes = {s.code for s in catalog.statutes}
    assert sorted(P.required_codes() - codes) == []
    assert set(P.COMPANION_COUNT) <= set(P.LEAD_DRUG_WEIGHTS) | set(P.LEAD_OTHER_WEIGHTS)
    assert all(code != partner for code, partner in P.COMPANION_COUNT.items())


def test_a_catalog_missing_codes_is_refused_with_the_codes_named(catalog):
    trimmed = dataclasses.replace(
        catalog,
        statutes=tuple(s for s in catalog.statutes if s.code not in {"HS 11352", "PC 422"}),
    )
    with pytest.raises(SynthCatalogError, match=r"HS 11352, PC 422"):
        generate(10, 1, catalog=trimmed)


# --- writing --------------------------------------------------------------------------------


def test_write_parquet_round_trips_with_a_manifest(tmp_path, catalog):
    frames = generate(800, 4, catalog=catalog)
    manifest = make_manifest(people=800, seed=4, today=TODAY, catalog_sha256=catalog.sha256)
    write_parquet(frames, tmp_path / "out", manifest)
    for name, frame in frames.items():
        assert_frame_equal(pl.read_parquet(tmp_path / "out" / f"{name}.parquet"), frame)
    written = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert written == {
        "seed": 4,
        "people": 800,
        "today": "2026-11-30",
        "catalog_sha256": catalog.sha256,
        "generator_version": GENERATOR_VERSION,
        "row_counts": {name: frame.height for name, frame in frames.items()},
    }
    with pytest.raises(ValueError, match="manifest lacks seed"):
        write_parquet(frames, tmp_path / "bad", {"people": 800, "today": "2026-11-30"})


# --- helpers --------------------------------------------------------------------------------


def test_unique_ints_and_serials():
    import numpy as np

    rng = np.random.Generator(np.random.PCG64(1))
    values = C.unique_ints(rng, 4_000, 10_000)
    assert len(set(values.tolist())) == 4_000
    assert values.min() >= 0
    assert values.max() < 10_000
    with pytest.raises(ValueError, match="distinct"):
        C.unique_ints(rng, 6_000, 10_000)
    group = np.array([0, 0, 1, 0, 1])
    order = np.array([5, 1, 3, 2, 1])
    numbers = C.serials(rng, group, order, 999)
    assert numbers[1] < numbers[3] < numbers[0]  # increasing with order within group 0
    assert numbers[4] < numbers[2]
    assert numbers.min() >= 1
    assert numbers.max() <= 999
