"""Offense categories: a plain enumeration, importable without Django's app registry or even
``django.db`` (``ontrack screen`` on a facts file never sets up the apps, and importing
``django.db.models`` alone costs a tenth of its run, ADR 0021). It offers what Django's
``TextChoices`` would (``values``, ``choices``, ``label``), so model fields use it as is.

Each category membership carries its legal basis (e.g. robbery is *violent* because
PC 667.5(c)(9) lists it), so a screening can cite why a charge counted.
"""

from __future__ import annotations

from enum import EnumType, StrEnum

from ontrack.common.words import in_words


class _Choices(EnumType):
    @property
    def values(cls) -> list[str]:
        return [str(member) for member in cls]  # type: ignore[var-annotated]

    @property
    def choices(cls) -> list[tuple[str, str]]:
        return [(str(member), member.label) for member in cls]  # type: ignore[var-annotated]


class OffenseCategory(StrEnum, metaclass=_Choices):
    label: str

    def __new__(cls, value: str, label: str) -> OffenseCategory:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member

    DRUG_POSSESSION = "drug_possession", "Drug possession"
    DRUG_POSSESSION_FOR_SALE = "drug_possession_for_sale", "Drug possession for sale"
    DRUG_SALE = "drug_sale", "Drug sale, transport or delivery"
    DRUG_TRAFFICKING = "drug_trafficking", "Drug trafficking (quantity or manufacture)"
    VIOLENT = "violent", "Violent felony (PC 667.5(c))"
    SERIOUS = "serious", "Serious felony (PC 1192.7(c))"
    SEX_REGISTRABLE = "sex_registrable", "Sex offense requiring registration (PC 290(c))"
    WEAPON = "weapon", "Weapon offense or enhancement"
    GANG = "gang", "Criminal street gang (PC 186.22)"
    NEAR_SCHOOL = "near_school", "School zone: near a school (HS 11353.6) or on school grounds"
    PROPERTY = "property", "Property offense"
    OTHER = "other", "Other"


def category_label(value: str) -> str:
    """A category's label; a category only a site overlay names shows its name in words."""
    for member in OffenseCategory:
        if member.value == value:
            return member.label
    return in_words(value)
