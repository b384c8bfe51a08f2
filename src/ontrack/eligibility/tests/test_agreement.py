"""The compiled Polars engine and the pure-Python reference always agree (Hypothesis)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from ontrack.eligibility.engine import evaluate
from ontrack.eligibility.facts import FACT_TYPES, parse_facts, prepare
from ontrack.eligibility.policy import load_policy, policy_slugs
from ontrack.eligibility.tests.reference import judge

VERSIONS = [v for slug in policy_slugs() for v in load_policy(slug)]
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
]
CATEGORIES = ["violent", "serious", "drug_sale", "drug_possession", "property", "weapon"]


def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), strategy)


DATES = st.dates(dt.date(1950, 1, 1), dt.date(2030, 12, 31))
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
        "charge_level": maybe(st.sampled_from(["felony", "misdemeanor"])),
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


@settings(max_examples=300, deadline=None)
@given(
    rows=st.lists(FACTS, min_size=1, max_size=20), version_index=st.integers(0, len(VERSIONS) - 1)
)
def test_engine_and_reference_agree(rows: list[dict[str, Any]], version_index: int) -> None:
    version = VERSIONS[version_index]
    raw = [
        {**r, "case_id": str(i), "referral_date": version.effective_from}
        for i, r in enumerate(rows)
    ]
    for r in raw:  # a range needs both ends, the later one after the earlier
        if r["birth_date_earliest"] is not None:
            r["birth_date_latest"] = r["birth_date_earliest"] + dt.timedelta(days=200)
    frame = parse_facts(
        pl.DataFrame(
            [{k: text(r.get(k)) for k in FACT_TYPES} for r in raw],
            schema=dict.fromkeys(FACT_TYPES, pl.String),
        )
    )
    judged = evaluate(prepare(frame), version)
    typed = frame.to_dicts()
    for engine_row, facts in zip(judged.iter_rows(named=True), typed, strict=True):
        expected = judge(facts, version)
        got = {
            "result": str(engine_row["result"]),
            "criteria": {c: str(engine_row[c]) for c in version.criterion_ids},
            "missing": list(engine_row["missing"]),
        }
        assert got == expected, facts
