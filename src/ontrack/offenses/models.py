"""The offense catalog: statute codes and the categories the law puts them in.

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


class Statute(models.Model):
    code = models.CharField(max_length=40, unique=True)  # normalised: "PC 245(a)(1)"
    jurisdiction = models.CharField(max_length=10)  # "CA"
    description = models.CharField(max_length=300)
    level = models.CharField(max_length=20, choices=StatuteLevel.choices)
    # True when the entry stands for every subdivision not listed separately
    # ("HS 11351" covers "HS 11351(a)"); false where subdivisions differ in law.
    includes_subdivisions = models.BooleanField()

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.description}"


class StatuteCategory(models.Model):
    statute = models.ForeignKey(Statute, on_delete=models.CASCADE, related_name="categories")
    category = models.CharField(max_length=30, choices=OffenseCategory.choices)
    basis = models.CharField(max_length=100)  # the clause that puts it there: "PC 667.5(c)(9)"

    class Meta:
        ordering = ["category"]
        constraints = [
            models.UniqueConstraint(fields=["statute", "category"], name="statute_category_once")
        ]

    def __str__(self) -> str:
        return f"{self.statute.code}: {self.category} ({self.basis})"
