"""The fact vocabulary: every fact a criterion can read, declared once.

Each fact has a name, a type, its allowed values (text facts), what it means, who can
supply it when it is missing, and where OnTrack derives it from its own records. The
engine's operator checks, the facts file format (``facts.parse_facts``), explanations and
the "missing facts" checklist all read this table; nothing else lists facts.

Adding a fact (programs, compliance and monitoring will): add a ``Fact`` here, derive it in
``derive.py`` if OnTrack holds it, and a policy can read it. The engine has no limit on
the number of facts.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

# The types a fact can have, and the column type of the typed facts frame.
TYPES: dict[str, pl.DataType] = {
    "text": pl.String(),
    "date": pl.Date(),
    "integer": pl.Int64(),
    "boolean": pl.Boolean(),
    "codes": pl.String(),  # ";"-separated statute codes, as charged
    "categories": pl.String(),  # ";"-separated offense categories
}

# Charge levels, from the highest: a case is as high as its highest charge. Infractions are
# not crimes (PC 16, 19.6): a case of infractions only is "infraction", not "misdemeanor".
LEVELS = ("felony", "misdemeanor", "infraction")


@dataclass(frozen=True)
class Fact:
    name: str
    type: str  # a key of TYPES
    meaning: str
    supplied_by: str  # who can supply it when it is missing
    derived_from: str  # where OnTrack derives it from its own records ("" = not derived)
    allowed: tuple[str, ...] = ()  # text facts: the values allowed (empty: any text)
    required: bool = False  # a facts file row without it is refused
    recordable: bool = False  # staff may record it on a case (eligibility.CaseFact)
    # Boolean enhancement facts: the catalog categories of a charge code that allege it.
    categories: tuple[str, ...] = ()
    # Personal: in the audit trail its values are shown only to those who may read the case
    # (birth dates, work authorization and immigration facts; ADR 0033).
    sensitive: bool = False
    # Which form supplies it when it is missing (a key of ``eligibility.supply.FORMS``: the
    # person, their criminal history, the case, its charges, or a recorded case fact); ""
    # when no form does (the screening itself, or derived from others).
    form: str = ""

    @property
    def label(self) -> str:
        """The fact in words, as pages name it (never ``name``)."""
        return self.meaning

    @property
    def dtype(self) -> pl.DataType:
        return TYPES[self.type]


FACTS: tuple[Fact, ...] = (
    Fact(
        "case_id", "text", "The case screened", "", "the case's id", required=True
    ),
    Fact(
        "referral_date", "date", "Date of the referral (the as-of date of the screening)",
        "Whoever refers the case (the screening's as-of date)", "the screening's as-of date",
        required=True,
    ),
    Fact(
        "date_of_birth", "date", "Date of birth",
        "The defendant, or the booking sheet (entered by the case manager)",
        "the defendant's date of birth", sensitive=True, form="person",
    ),
    Fact(
        "birth_date_earliest", "date", "Earliest possible date of birth (when only an age is "
        "known)", "The defendant, or the booking sheet (entered by the case manager)",
        "the defendant's birth-date range", sensitive=True, form="person",
    ),
    Fact(
        "birth_date_latest", "date", "Latest possible date of birth (when only an age is known)",
        "The defendant, or the booking sheet (entered by the case manager)",
        "the defendant's birth-date range", sensitive=True, form="person",
    ),
    Fact(
        "offense_date", "date", "Date of the current offense",
        "The complaint or police report (the filing deputy)",
        "count 1's offense date, else the earliest of the charges", form="charges",
    ),
    Fact(
        "charge_codes", "codes", "Statute codes of the current charges",
        "The charging document (the filing deputy)", "the statute codes of the case's charges",
        form="charges",
    ),
    Fact(
        "charge_level", "text", "Felony, misdemeanor or infraction (highest current charge)",
        "The charging document (the filing deputy)",
        "each charge's level, else the catalog's level for its code on its offense date "
        "(when exactly one is possible); the highest, known only when every charge's is "
        "(or one is a felony)",
        allowed=LEVELS, form="charges",
    ),
    Fact(
        "prior_felony_convictions", "integer", "Number of prior felony convictions",
        "A criminal-history (rap sheet) check from CA DOJ, entered by the case manager",
        "the itemised prior convictions, when a criminal-history check is on file and it "
        "itemises every prior it counts and every conviction's level is known",
        form="history",
    ),
    Fact(
        "prior_violent_or_serious", "boolean",
        "Any prior conviction on PC 667.5(c) or 1192.7(c)",
        "A criminal-history (rap sheet) check from CA DOJ, entered by the case manager",
        "the catalog categories of the itemised prior convictions (true as soon as one "
        "is; false only when the check itemises every prior and none is)",
        form="history",
    ),
    Fact(
        "prior_sex_registrable", "boolean",
        "Any prior conviction requiring registration under PC 290(c)",
        "A criminal-history (rap sheet) check from CA DOJ, or the sex-offender registry",
        "as prior_violent_or_serious, for the category sex_registrable", form="history",
    ),
    Fact(
        "weapon_involved", "boolean", "Current offense armed or with a weapon enhancement",
        "The charging document or police report (the filing deputy)",
        "a charge's weapon flag, or a charge code in the catalog category weapon; false "
        "only when every charge records not alleged",
        categories=("weapon",), form="charges",
    ),
    Fact(
        "gang_enhancement", "boolean", "PC 186.22 alleged",
        "The charging document (the filing deputy)",
        "a charge's gang flag, or a charge code in the catalog category gang",
        categories=("gang",), form="charges",
    ),
    Fact(
        "near_school", "boolean", "HS 11353.6 (or another school-zone provision) alleged",
        "The charging document (the filing deputy)",
        "a charge's school-zone flag, or a charge code in the catalog category near_school",
        categories=("near_school",), form="charges",
    ),
    Fact(
        "work_authorization", "text", "Legal authorization to work in the United States",
        "The case manager, from I-9 documents", "the latest recorded case fact",
        allowed=("verified", "not_authorized"), recordable=True, sensitive=True, form="fact",
    ),
    Fact(
        "charge_categories", "categories",
        "Offense categories of the current charges (when the catalog cannot tell)",
        "The charging document (a statute code), or an analyst classifying the charge",
        "when a charge has no code: the catalog's categories for the coded charges and the "
        "charge classifier's for the described ones",
        form="charges",
    ),
    Fact(
        "prior_count", "integer", "Number of earlier offenses (when only counts are known)",
        "A criminal-history (rap sheet) check from CA DOJ, entered by the case manager",
        "the total of the criminal-history check, when exactly one is on file", form="history",
    ),
)  # fmt: skip

VOCABULARY: dict[str, Fact] = {f.name: f for f in FACTS}
REQUIRED = tuple(f.name for f in FACTS if f.required)
SENSITIVE = tuple(f.name for f in FACTS if f.sensitive)
SCHEMA = pl.Schema({f.name: f.dtype for f in FACTS})


def fact(name: str) -> Fact:
    """The declared fact; ``KeyError`` names it when it is not in the vocabulary."""
    return VOCABULARY[name]


def names_of_type(*types: str) -> tuple[str, ...]:
    return tuple(f.name for f in FACTS if f.type in types)
