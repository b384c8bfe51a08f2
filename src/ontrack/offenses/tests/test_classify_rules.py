"""The charge classifier one charge at a time: statute codes, description rules and their
evidence, abstention, and the rule file as data."""

from __future__ import annotations

from pathlib import Path

import pytest

from ontrack.offenses.classify import (
    ChargePatternError,
    Classification,
    Classifier,
    Evidence,
    normalise_text,
)
from ontrack.offenses.models import OffenseCategory


def cats(result: Classification) -> set[str]:
    return set(result.categories)


# ---------------------------------------------------------------- statute codes


def test_robbery_code_cites_both_lists(classifier: Classifier) -> None:
    result = classifier.classify(statute_code="PC 211")
    assert result == Classification(
        categories=frozenset({"violent", "serious"}),
        evidence=(
            Evidence("catalog", "serious", "PC 211", "PC 1192.7(c)(19)"),
            Evidence("catalog", "violent", "PC 211", "PC 667.5(c)(9)"),
        ),
        source="statute_code",
    )


def test_code_is_normalised_before_lookup(classifier: Classifier) -> None:
    result = classifier.classify(statute_code="h&s 11351")
    assert result.categories == {"drug_possession_for_sale"}
    assert result.evidence == (
        Evidence("catalog", "drug_possession_for_sale", "HS 11351", "HS 11351"),
    )
    assert result.source == "statute_code"


def test_subdivision_falls_back_to_covering_parent(classifier: Classifier) -> None:
    result = classifier.classify(statute_code="HS 11351(a)")
    assert result.evidence == (
        Evidence("catalog", "drug_possession_for_sale", "HS 11351(a)", "HS 11351"),
    )


def test_attempts_go_through_the_catalog(classifier: Classifier) -> None:
    result = classifier.classify(statute_code="664/187(a) PC")
    assert result.categories == {"violent", "serious"}
    assert ("violent", "PC 667.5(c)(12)") in {(e.category, e.basis) for e in result.evidence}


def test_code_wins_over_description(classifier: Classifier) -> None:
    result = classifier.classify(statute_code="HS 11350", description="Sell Cocaine")
    assert result.categories == {"drug_possession"}
    assert result.source == "statute_code"


def test_unknown_code_falls_back_to_description(classifier: Classifier) -> None:
    result = classifier.classify(statute_code="FS 893.13", description="Possession of Cocaine")
    assert result.categories == {"drug_possession"}
    assert result.source == "description"
    assert [e.rule for e in result.evidence] == ["drug-possession"]
    assert result.notes == (
        "statute code FS 893.13 is not in the catalog; not used",
        "classified from the description instead",
    )


def test_known_code_in_no_category_is_other(classifier: Classifier) -> None:
    result = classifier.classify(statute_code="PC 148(a)(1)", description="Possession of Cocaine")
    assert result.categories == {"other"}
    assert result.source == "statute_code"


def test_possible_categories_are_notes_not_categories(classifier: Classifier) -> None:
    # Bare PC 245: serious only under some subdivisions; the classifier does not guess.
    result = classifier.classify(statute_code="PC 245")
    assert result.unclassified
    assert result.source == "statute_code"
    assert "may also be serious (PC 1192.7(c)(31)): only under PC 245(a)(1)" in result.notes


@pytest.mark.parametrize(
    "garbage", ["not a code!!", "ARREST 11351", "11351", "PC 245(a)(1) and more"]
)
def test_unreadable_code_is_treated_as_absent(classifier: Classifier, garbage: str) -> None:
    result = classifier.classify(statute_code=garbage, description="Battery")
    assert result.categories == {"violent"}
    assert result.source == "description"
    assert result.notes[0] == f"statute code {garbage!r} is not readable; not used"
    alone = classifier.classify(statute_code=garbage)
    assert (alone.categories, alone.source) == (frozenset(), "none")


def test_nothing_given_is_unclassified(classifier: Classifier) -> None:
    assert classifier.classify() == Classification(frozenset(), (), "none")
    unknown = classifier.classify(description="arrest case no charge")
    assert unknown.unclassified
    assert unknown.notes == ("no rule recognises the description",)


# ---------------------------------------------------------------- description rules


def test_evidence_names_rule_text_and_reason(classifier: Classifier) -> None:
    result = classifier.classify(description="Poss Cocaine/Intent To Del/Sel")
    basis = {r.id: r.description for r in classifier.rules}
    assert result.evidence == (
        Evidence(
            "drug-possession-with-intent",
            "drug_possession_for_sale",
            "intent to del",
            basis["drug-possession-with-intent"],
        ),
    )


@pytest.mark.parametrize(
    ("description", "expected", "rules"),
    [
        # Only the most specific drug category survives, and only its evidence.
        ("Sell/Man/Del Pos/w/int Heroin", {"drug_sale"}, ["drug-sale"]),
        (
            "Pos Cannabis W/Intent Sel/Del",
            {"drug_possession_for_sale"},
            ["drug-possession-with-intent"],
        ),
        ("Trafficking In Cocaine 28><200", {"drug_trafficking"}, ["drug-trafficking"]),
        ("Manufacture Cannabis", {"drug_trafficking"}, ["drug-manufacture"]),
        ("Poss/Sell/Del/Man Amobarbital", {"drug_sale"}, ["drug-sale"]),
        (
            "Possess Drug Paraphernalia",
            {"drug_possession"},
            ["drug-possession", "drug-paraphernalia"],
        ),
        ("Deliver Cannabis 1000FT Sch", {"drug_sale", "near_school"}, ["drug-sale", "near-school"]),
        ("Deliver Cocaine 1000FT Church", {"drug_sale"}, ["drug-sale"]),
        # "other" only when nothing else applies; near_school does not displace it.
        ("Trespass Structure w/Dang Weap", {"weapon"}, ["weapon-named"]),
        (
            "Trespass On School Grounds",
            {"near_school", "other"},
            ["near-school", "other-trespass-loitering"],
        ),
    ],
)
def test_precedence_and_residual(
    classifier: Classifier, description: str, expected: set[str], rules: list[str]
) -> None:
    result = classifier.classify(description=description)
    assert cats(result) == expected
    assert [e.rule for e in result.evidence] == rules


@pytest.mark.parametrize(
    ("description", "expected"),
    [
        ("Aggravated Assault W/o Firearm", {"violent"}),
        ("Aggravated Assault W/Firearm", {"violent", "weapon", "serious"}),
        ("Carjacking w/o Deadly Weapon", {"violent", "serious"}),
        ("Robbery / No Weapon", {"violent", "serious"}),
        ("Strong Armed  Robbery", {"violent", "serious"}),
        ("Resist Merchant W Or W/O Viol", {"other"}),
        ("Resist Officer w/Violence", {"violent"}),
        ("Lewd/Lasc Battery Pers 12+/<16", {"sex_registrable"}),
        ("Sex Batt Faml/Cust Vict 12-17Y", {"violent", "sex_registrable"}),
        ("Sex Battery Deft 18+/Vict 11-", {"violent", "sex_registrable", "serious"}),
        ("Burgl Dwel/Struct/Convey Armed", {"property", "weapon"}),
        ("Burglary Dwelling Armed", {"property", "weapon", "serious"}),
        ("Obtain Control Substance By Fraud", {"drug_possession"}),
        ("Purchase/P/W/Int Cannabis", {"drug_possession"}),
        ("Neglect/Abuse Elderly Person", set()),
        ("Driving Under The Influence of Cocaine", {"other"}),
        ("Under The Influence of Methamphetamine", {"drug_possession"}),
        ("Gambling/Gamb Paraphernalia", {"other"}),
        ("Traffic Counterfeit Cred Cards", {"property"}),
    ],
)
def test_unless_exclusions(classifier: Classifier, description: str, expected: set[str]) -> None:
    assert cats(classifier.classify(description=description)) == expected


@pytest.mark.parametrize(
    ("description", "expected"),
    [
        # Rules with no example in the Broward data.
        ("Criminal Street Gang Participation", {"gang"}),
        ("Battery - Gang Related", {"violent", "gang"}),
        ("Voluntary Manslaughter", {"violent", "serious"}),
        ("Sale of Cocaine to a Minor", {"drug_sale", "serious"}),
        ("Felony w/ Personal Use of a Firearm", {"weapon", "serious"}),
        ("Lewd Act Upon Child Under 14", {"sex_registrable", "serious"}),
        ("Rape", {"violent", "serious", "sex_registrable"}),
        ("Maintaining a Dwelling for Cocaine Sales", {"drug_sale"}),
        ("Luring or Enticing a Child", {"sex_registrable"}),
        ("Cultivation of Marijuana", {"drug_trafficking"}),
        ("POSSESSION OF COCAINE", {"drug_possession"}),
        ("Possession  of   Cocaine  & Paraphernalia", {"drug_possession"}),
        ("Something Nobody Has Heard Of", set()),
    ],
)
def test_rules_beyond_the_broward_sample(
    classifier: Classifier, description: str, expected: set[str]
) -> None:
    assert cats(classifier.classify(description=description)) == expected


def test_normalise_text() -> None:
    assert normalise_text("  Poss\tCocaine &  Para ") == "poss cocaine and para"
    assert normalise_text("\uff30\uff2f\uff33\uff33") == "poss"  # full-width letters


# ---------------------------------------------------------------- the rule file


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_invalid_pattern_file_names_every_problem(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """
version: 1
terms:
  drug: ['\\bcocaine\\b']
precedence:
  - [drug_sale, drugs_possession]
residual: {category: other, alongside: [nowhere]}
rules:
  - id: good-rule
    category: drug_sale
    description: fine
    patterns: ['\\bsell\\b.*{drug}']
  - id: good-rule
    category: drug_sale
    description: listed twice
    patterns: ['x']
  - id: wrong-category
    category: drugs
    description: typo in the category
    patterns: ['x']
  - id: no-description
    category: violent
    patterns: ['battery']
  - id: bad-regex
    category: violent
    description: unbalanced
    patterns: ['batt(ery']
    unles: ['typo in a field name']
  - id: unknown-term
    category: violent
    description: refers to a term never defined
    patterns: ['{weapon} x']
  - id: no-patterns
    category: violent
    description: nothing to match
    patterns: []
  - id: matches-everything
    category: other
    description: empty match
    patterns: ['x?']
    requires: ['x']
  - id: Bad_Id
    category: other
    description: id spelled wrongly
    patterns: ['x']
""",
    )
    with pytest.raises(ChargePatternError) as raised:
        Classifier.load(path)
    assert str(raised.value).splitlines() == [
        "bad.yaml: precedence: chain #1: ['drugs_possession'] not known categories",
        "bad.yaml: residual: alongside: ['nowhere'] must list known categories",
        "bad.yaml: rule good-rule: id: listed twice",
        "bad.yaml: rule wrong-category: category: 'drugs' is not one of "
        + str(sorted(OffenseCategory.values)),
        "bad.yaml: rule no-description: description: required (say why the rule holds)",
        "bad.yaml: rule bad-regex: unles: unknown field (expected "
        "['category', 'description', 'id', 'patterns', 'requires', 'unless'])",
        "bad.yaml: rule bad-regex: patterns #1: invalid regex 'batt(ery': "
        "missing ), unterminated subpattern at position 4",
        "bad.yaml: rule unknown-term: patterns #1: unknown term {weapon}",
        "bad.yaml: rule no-patterns: patterns: expected a non-empty list of regexes",
        "bad.yaml: rule matches-everything: patterns #1: 'x?' matches empty text",
        "bad.yaml: rule #9: id: 'Bad_Id' must be lower-case letters, digits, '-'",
    ]


def test_pattern_file_must_have_rules(tmp_path: Path) -> None:
    with pytest.raises(ChargePatternError, match=r"bad\.yaml: expected a mapping with a 'rules'"):
        Classifier.load(_write(tmp_path, "version: 1\n"))
    with pytest.raises(ChargePatternError, match="cannot read"):
        Classifier.load(tmp_path / "missing.yaml")


def test_semantics_are_data(tmp_path: Path) -> None:
    """patterns (any), requires (all), unless (none), precedence chains, residual."""
    text = """
version: 1
terms: {drug: ['cocaine', 'heroin']}
precedence: [[drug_sale, drug_possession]]
residual: {category: other, alongside: [near_school]}
rules:
  - {id: poss, category: drug_possession, description: p, patterns: ['poss.{0,20}{drug}']}
  - {id: sale, category: drug_sale, description: s, patterns: ['\\bsell\\b', '\\bdeliver\\b'],
     requires: ['{drug}'], unless: ['\\bno sale\\b']}
  - {id: school, category: near_school, description: n, patterns: ['school']}
  - {id: misc, category: other, description: o, patterns: ['trespass', 'sell']}
"""
    classifier = Classifier.load(_write(tmp_path, text))
    assert cats(classifier.classify(description="Poss/Sell Heroin")) == {"drug_sale"}
    assert cats(classifier.classify(description="Poss Heroin No Sale Sell")) == {"drug_possession"}
    assert cats(classifier.classify(description="Deliver Bread")) == set()
    assert cats(classifier.classify(description="Sell bread")) == {"other"}
    assert cats(classifier.classify(description="Trespass School")) == {"other", "near_school"}
    assert cats(classifier.classify(description="Deliver Heroin School")) == {
        "drug_sale",
        "near_school",
    }
    without_chain = Classifier.load(
        _write(tmp_path, text.replace("precedence: [[drug_sale, drug_possession]]", ""))
    )
    assert cats(without_chain.classify(description="Poss/Sell Heroin")) == {
        "drug_sale",
        "drug_possession",
        # "sell" also fires misc; other is displaced by the drug categories.
    }
