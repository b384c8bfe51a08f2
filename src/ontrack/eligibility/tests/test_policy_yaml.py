"""The policies' own YAML test cases (OpenFisca style): facts in, results out.

Each file ``policies/<slug>/tests/<label>.yaml`` holds cases for one version; every case
is judged by the compiled engine (version chosen by referral date, as in production) and by
the reference oracle, and both must give exactly the expected result, per-criterion
statuses and missing facts.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import polars as pl
import pytest
import yaml

from ontrack.eligibility.engine import screen
from ontrack.eligibility.facts import parse_facts
from ontrack.eligibility.policy import POLICY_DIR, load_policy, version_by_label
from ontrack.eligibility.tests.reference import judge
from ontrack.eligibility.vocabulary import VOCABULARY

CASES = [
    (path, case)
    for path in sorted(POLICY_DIR.glob("*/tests/*.yaml"))
    for case in yaml.safe_load(path.read_text())
]


def as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


def typed_facts(facts: dict[str, Any]) -> pl.DataFrame:
    row = {k: as_text(facts.get(k)) for k in VOCABULARY}
    return parse_facts(pl.DataFrame([row], schema=dict.fromkeys(VOCABULARY, pl.String)))


def test_every_version_has_test_cases() -> None:
    files = {(p.parent.parent.name, p.stem) for p, _ in CASES}
    for slug in {p.parent.parent.name for p, _ in CASES}:
        for version in load_policy(slug):
            assert (slug, version.label) in files
    assert len(CASES) >= 100


@pytest.mark.parametrize(
    ("path", "case"), CASES, ids=[f"{p.parent.parent.name}/{p.stem}: {c['name']}" for p, c in CASES]
)
def test_case(path: Path, case: dict[str, Any]) -> None:
    slug, label = path.parent.parent.name, path.stem
    versions = load_policy(slug)
    facts = typed_facts(case["facts"])
    judged = screen(facts, versions).row(0, named=True)
    expected = case["expected"]
    assert judged["version"] == label, "the referral date selects the file's version"
    got_criteria = {c: str(judged[c]) for c in expected["criteria"]}
    assert (str(judged["result"]), got_criteria, list(judged["missing"])) == (
        expected["result"],
        expected["criteria"],
        expected["missing"],
    )
    assert list(expected["criteria"]) == version_by_label(versions, label).criterion_ids
    oracle = judge(facts.row(0, named=True), version_by_label(versions, label))
    assert oracle == {
        "result": expected["result"],
        "criteria": expected["criteria"],
        "missing": expected["missing"],
    }


def test_a_referral_before_every_version_is_an_input_error() -> None:
    from ontrack.eligibility.errors import FactsRejected

    facts = typed_facts({"case_id": "early", "referral_date": dt.date(2004, 12, 31)})
    with pytest.raises(FactsRejected) as error:
        screen(facts, load_policy("back-on-track"))
    assert [(p.row, p.column) for p in error.value.problems] == [(1, "referral_date")]
    assert "no version of the policy is in force (the first starts 2005-01-01)" in str(error.value)
