"""Offense categories and statute levels as choices: plain enumerations, importable without
Django's app registry (``ontrack screen`` on a facts file never sets up the apps, ADR 0021).

Each category membership carries its legal basis (e.g. robbery is *violent* because
PC 667.5(c)(9) lists it), so a screening can cite why a charge counted.
"""

from __future__ import annotations

from django.db import models


class OffenseCategory(models.TextChoices):
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


class StatuteLevel(models.TextChoices):
    FELONY = "felony", "Felony"
    WOBBLER = "wobbler", "Felony or misdemeanor (wobbler)"
    MISDEMEANOR = "misdemeanor", "Misdemeanor"
    INFRACTION = "infraction", "Infraction"
    ENHANCEMENT = "enhancement", "Sentence enhancement"
