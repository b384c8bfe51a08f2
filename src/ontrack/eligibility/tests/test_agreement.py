"""The compiled Polars engine and the pure-Python reference always agree (Hypothesis)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from ontrack.eligibility.engine import explain, screen
from ontrack.eligibility.policy import PolicyVersion, load_policy, policy_slugs
from ontrack.eligibility.tests.reference import judge
from ontrack.eligibility.vocabulary import SCHEMA
from ontrack.ingest.validate import ROW

POLICIES = {slug: load_policy(slug) for slug in policy_slugs()}
VERSIONS = [v for versions in POLICIES.values() for v in versions]
CODES = [
    "HS 11351",
    "h&s 11352",
    "HS 11378",
    "HS 11350",
    "PC 211",
    "PC 245(a)(1)",
    "PC 148(a)(1)",
    "HS 11364",
    "HS 11353",
    "PC 187",
    "NV 453.336",
    "PC 12022(a)(1)",
    "HS 11351(a)",
    "PC 290",
    "PC 459",
    "HS 11352(a)",
    "PC 664/187(a)",
    "PC 664/HS 11352",
    "VC 22350",
]
CATEGORIES = ["violent", "serious", "drug_sale", "drug_possession", "property", "weapon"]


def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), strategy)


# Plausible dates, and now and then far ones: the engine reads ages from a table spanning
# the facts' own dates (the ends of the calendar: test_ages_at_the_ends_of_the_calendar).
DATES = st.one_of(
    st.dates(dt.date(1950, 1, 1), dt.date(2030, 12, 31)),
    st.sampled_from([dt.date(1900, 1, 1), dt.date(2099, 12, 31)]),
)
FACTS = st.fixed_dictionaries(
    {
        "date_of_birth": maybe(
            st.one_of(DATES, st.sampled_from([dt.date(1988, 2, 29), dt.date(2000, 2, 29)]))
        ),
        "birth_date_earliest": maybe(DATES),
        "offense_date": maybe(
            st.one_of(
                DATES,
                st.sampled_from([dt.date(2018, 2, 28), dt.date(2018, 3, 1), dt.date(2031, 3, 1)]),
            )
        ),
        "charge_codes": maybe(
            st.lists(st.sampled_from(CODES), min_size=1, max_size=3).map(";".join)
        ),
        "charge_level": maybe(st.sampled_from(["felony", "misdemeanor", "infraction"])),
        "prior_felony_convictions": maybe(st.integers(0, 3)),
        "prior_count": maybe(st.integers(0, 12)),
        "prior_violent_or_serious": maybe(st.booleans()),
        "prior_sex_registrable": maybe(st.booleans()),
        "weapon_involved": maybe(st.booleans()),
        "gang_enhancement": maybe(st.booleans()),
        "near_school": maybe(st.booleans()),
        "work_authorization": maybe(st.sampled_from(["verified", "not_authorized"])),
        "charge_categories": maybe(
            st.lists(st.sampled_from(CATEGORIES), min_size=1, max_size=2).map(";".join)
        ),
    }
)


def text(value: Any) -> str | None:
    return None if value is None else str(value).lower() if isinstance(value, bool) else str(value)


def facts_frame(rows: list[dict[str, Any]], referral: list[dt.date]) -> pl.DataFrame:
    raw = [
        {**r, "case_id": str(i), "referral_date": day}
        for i, (r, day) in enumerate(zip(rows, referral, strict=True))
    ]
    for r in raw:  # a range needs both ends, the later one after the earlier
        if r["birth_date_earliest"] is not None:
            r["birth_date_latest"] = r["birth_date_earliest"] + min(
                dt.timedelta(days=200), dt.date(9999, 12, 31) - r["birth_date_earliest"]
            )
    # The typed frame as the engine receives it; implausible dates (refused by parse_facts,
    # test_facts.py) are kept here: the engine must judge any typed input correctly.
    return pl.DataFrame([{k: r.get(k) for k in SCHEMA} for r in raw], schema=SCHEMA).with_row_index(
        ROW, offset=1
    )


def as_reference(engine_row: dict[str, Any], version: PolicyVersion) -> dict[str, Any]:
    return {
        "result": str(engine_row["result"]),
        "criteria": {c: str(engine_row[c]) for c in version.criterion_ids},
        "missing": list(engine_row["missing"]),
    }


@settings(max_examples=300, deadline=None)
@given(
    rows=st.lists(FACTS, min_size=1, max_size=20), version_index=st.integers(0, len(VERSIONS) - 1)
)
def test_engine_and_reference_agree(rows: list[dict[str, Any]], version_index: int) -> None:
    version = VERSIONS[version_index]
    frame = facts_frame(rows, [version.effective_from] * len(rows))
    judged = screen(frame, VERSIONS, label=version.label)
    for engine_row, facts in zip(judged.iter_rows(named=True), frame.to_dicts(), strict=True):
        assert as_reference(engine_row, version) == judge(facts, version), facts


@settings(max_examples=200, deadline=None)
@given(
    rows=st.lists(st.tuples(FACTS, st.integers(0, 9)), min_size=1, max_size=20),
    slug=st.sampled_from(sorted(POLICIES)),
    explained=st.integers(0, 19),
)
def test_rows_judged_by_the_version_in_force_and_explained_alike(
    rows: list[tuple[dict[str, Any], int]], slug: str, explained: int
) -> None:
    """Mixed referral dates in one screening: each row under its own version, criteria of
    other versions blank; and ``explain`` on one row says what ``screen`` says."""
    versions = POLICIES[slug]
    chosen = [versions[i % len(versions)] for _, i in rows]
    frame = facts_frame([r for r, _ in rows], [v.effective_from for v in chosen])
    judged = screen(frame, versions)
    all_ids = list(dict.fromkeys(c for v in versions if v in chosen for c in v.criterion_ids))
    assert judged.columns == [
        "__row__",
        "case_id",
        "policy",
        "version",
        "result",
        *all_ids,
        "missing",
    ]
    typed = frame.to_dicts()
    for engine_row, facts, version in zip(judged.iter_rows(named=True), typed, chosen, strict=True):
        assert engine_row["version"] == version.label
        assert as_reference(engine_row, version) == judge(facts, version), facts
        assert all(engine_row[c] is None for c in all_ids if c not in version.criterion_ids)
    i = explained % len(rows)
    told = explain(frame.slice(i, 1), chosen[i])
    assert {
        "result": told.result,
        "criteria": {c.id: c.status for c in told.criteria},
        "missing": told.missing,
    } == judge(typed[i], chosen[i])


def test_ages_at_the_ends_of_the_calendar() -> None:
    version = POLICIES["back-on-track"][0]
    rows = [
        {**dict.fromkeys(SCHEMA), "date_of_birth": born, "offense_date": on}
        for born, on in [
            (dt.date(1, 1, 1), dt.date(9999, 12, 31)),
            (dt.date(1, 1, 2), dt.date(19, 1, 1)),
            (dt.date(9981, 12, 31), dt.date(9999, 12, 31)),
            (dt.date(9980, 2, 29), dt.date(9998, 2, 28)),
        ]
    ]
    frame = facts_frame(rows, [version.effective_from] * len(rows))
    judged = screen(frame, [version], label=version.label)
    assert judged["age_at_offense"].cast(pl.String).to_list() == [
        "not_met",  # 9998
        "not_met",  # 17: one day short of 18
        "met",  # 18
        "not_met",  # 17: a 29 February birthday falls on 1 March
    ]
    assert explain(frame.slice(2, 1), version).criteria[0].facts_used["age at offense"] == 18
