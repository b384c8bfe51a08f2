"""The charge classifier against an independent labeller, on the Broward charge descriptions.

``data/broward_charge_labels.csv`` was labelled by hand, independently of the rules, from the
category definitions below, for every distinct charge description in the Broward County
COMPAS two-year cohort. Every labelled row must agree exactly with the classifier, except
those listed in ``DISPUTED`` — rows where we believe the label is wrong — and the test checks
that each of those is still a disagreement, so the list cannot go stale.

Category definitions (the labelling contract):
- drug_possession: simple possession, purchase or use of a controlled substance or cannabis,
  paraphernalia, obtaining by fraud/forged prescription, under the influence.
- drug_possession_for_sale: possession with intent to sell/deliver/distribute.
- drug_sale: sale, delivery, distribution, transport, offer to sell, sell/manufacture/deliver
  combinations, maintaining a dwelling/vehicle for drugs.
- drug_trafficking: trafficking (F.S. 893.135), manufacture or cultivation alone, conspiracy
  to traffic. Only the most specific drug category survives.
- violent: force or threat of force against a person.
- serious: only where the text itself names conduct on California's PC 1192.7(c) list.
- sex_registrable, weapon, gang, near_school, property: as named.
- other: recognised offenses in none of the above; unclassified: anything not recognised.
"""

from __future__ import annotations

import csv
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ontrack.offenses.classify import Classifier
from ontrack.offenses.models import OffenseCategory

# Labelled rows we believe are labelled wrongly: description → why. Kept as short as honestly
# possible; each must still disagree with the classifier (see test_disputed_rows_still_disagree).
DISPUTED: dict[str, str] = {}

LABELS = Path(__file__).resolve().parent / "data" / "broward_charge_labels.csv"
BROWARD_COLUMNS = ["c_charge_desc", "r_charge_desc", "vr_charge_desc"]


def _read_labels() -> list[tuple[str, int, frozenset[str]]]:
    with LABELS.open(newline="", encoding="utf-8") as handle:
        rows = []
        for row in csv.DictReader(handle):
            label = row["categories"].strip()
            categories = frozenset() if label == "unclassified" else frozenset(label.split(";"))
            rows.append((row["description"], int(row["count"]), categories))
    return rows


LABELLED = _read_labels()


# ---------------------------------------------------------------- the independent labels


def test_labels_file_is_well_formed() -> None:
    known = set(OffenseCategory.values)
    descriptions = [d for d, _, _ in LABELLED]
    assert len(descriptions) == len(set(descriptions)) == 583
    for description, count, categories in LABELLED:
        assert count > 0, description
        assert categories <= known, description


def test_labels_cover_every_distinct_broward_description(broward_csv: Path) -> None:
    frame = pl.read_csv(broward_csv, columns=BROWARD_COLUMNS, infer_schema_length=0)
    distinct = set(pl.concat([frame[c] for c in BROWARD_COLUMNS]).drop_nulls().to_list())
    assert distinct == {d for d, _, _ in LABELLED}


@pytest.mark.parametrize(
    ("description", "expected"),
    [(d, c) for d, _, c in LABELLED if d not in DISPUTED],
    ids=[d for d, _, _ in LABELLED if d not in DISPUTED],
)
def test_classifier_agrees_with_label(
    classifier: Classifier, description: str, expected: frozenset[str]
) -> None:
    result = classifier.classify(description=description)
    assert result.categories == expected
    assert result.unclassified == (not expected)


def test_disputed_rows_still_disagree(classifier: Classifier) -> None:
    labelled = {d: c for d, _, c in LABELLED}
    for description in DISPUTED:
        assert description in labelled, f"{description!r} is no longer labelled"
        assert classifier.classify(description=description).categories != labelled[description]


def test_agreement_counts(classifier: Classifier) -> None:
    agreeing = sum(classifier.classify(description=d).categories == c for d, _, c in LABELLED)
    unclassified = sum(classifier.classify(description=d).unclassified for d, _, _ in LABELLED)
    assert (len(LABELLED), agreeing, len(DISPUTED)) == (583, 583 - len(DISPUTED), len(DISPUTED))
    # arrest case no charge, Extradition/Defendants, Crim Attempt/Solicit/Consp,
    # Crim Attempt/Solic/Consp, Criminal Attempt 3rd Deg Felon, Solicitation On Felony 3 Deg,
    # Principal In The First Degree, Neglect/Abuse Elderly Person
    assert unclassified == 8


def test_every_rule_is_exercised(classifier: Classifier) -> None:
    texts = [d for d, _, _ in LABELLED] + [
        "Criminal Street Gang Participation",
        "Voluntary Manslaughter",
        "Sale of Cocaine to a Minor",
        "Felony w/ Personal Use of a Firearm",
        "Under The Influence of Methamphetamine",
        "Luring or Enticing a Child",
    ]
    fired = {e.rule for t in texts for e in classifier.classify(description=t).evidence}
    assert {r.id for r in classifier.rules} - fired == set()


# ---------------------------------------------------------------- bulk path


def test_classify_many_equals_classify_on_every_broward_row(
    classifier: Classifier, broward_csv: Path
) -> None:
    frame = pl.read_csv(broward_csv, columns=BROWARD_COLUMNS, infer_schema_length=0)
    column = pl.concat([frame[c] for c in BROWARD_COLUMNS])
    assert column.null_count() > 0  # nulls are part of the test
    result = classifier.classify_many(column)
    assert result.schema == pl.Schema(
        {
            "description": pl.String(),
            "categories": pl.List(pl.String()),
            "rules": pl.List(pl.String()),
            "unclassified": pl.Boolean(),
        }
    )
    assert result.height == column.len()
    assert result["description"].to_list() == column.to_list()
    for description, categories, rules, unclassified in result.iter_rows():
        one = classifier.classify(description=description or "")
        assert categories == sorted(one.categories)
        assert rules == list(dict.fromkeys(e.rule for e in one.evidence))
        assert unclassified == one.unclassified


def test_classify_many_small(classifier: Classifier) -> None:
    series = pl.Series(
        "charge", ["Battery", None, "Battery", "arrest case no charge", "Deliver Cocaine"]
    )
    result = classifier.classify_many(series)
    assert result.to_dicts() == [
        {
            "description": "Battery",
            "categories": ["violent"],
            "rules": ["violent-battery"],
            "unclassified": False,
        },
        {"description": None, "categories": [], "rules": [], "unclassified": True},
        {
            "description": "Battery",
            "categories": ["violent"],
            "rules": ["violent-battery"],
            "unclassified": False,
        },
        {
            "description": "arrest case no charge",
            "categories": [],
            "rules": [],
            "unclassified": True,
        },
        {
            "description": "Deliver Cocaine",
            "categories": ["drug_sale"],
            "rules": ["drug-sale"],
            "unclassified": False,
        },
    ]
    assert classifier.classify_many(pl.Series("x", [], dtype=pl.String)).height == 0


# ---------------------------------------------------------------- robustness

# Words of real charge descriptions, recombined: texts that come close to firing rules.
_CHARGE_WORDS = st.sampled_from(sorted({w for d, _, _ in LABELLED for w in d.split()}))


@settings(max_examples=300, deadline=None)
@given(
    description=st.one_of(st.text(), st.lists(_CHARGE_WORDS, max_size=12).map(" ".join)),
    code=st.one_of(st.just(""), st.text(max_size=30), st.sampled_from(["PC 211", "HS 11351(a)"])),
)
def test_classify_never_raises_and_is_consistent(description: str, code: str) -> None:
    classifier = _shared_classifier()
    result = classifier.classify(statute_code=code, description=description)
    assert result.categories <= set(OffenseCategory.values)
    assert {e.category for e in result.evidence} == result.categories
    assert result.unclassified == (not result.categories)
    assert result.source in {"statute_code", "description", "none"}
    assert (result.source == "none") == result.unclassified
    assert classifier.classify(statute_code=code, description=description) == result


_CLASSIFIER: list[Classifier] = []


def _shared_classifier() -> Classifier:
    if not _CLASSIFIER:
        _CLASSIFIER.append(Classifier.load())
    return _CLASSIFIER[0]
