"""A referral: who sent a person to the program, when, and the case it opened.

Outcomes are counted from referral (DESIGN.md, "honest outcomes"), so the referral is a
record of its own, written once by ``referrals.services.take_referral`` together with the
person and the case, and never edited: a correction is a note on the case.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from ontrack.cases.models import Case
from ontrack.people.models import Person


class ReferralSource(models.TextChoices):
    """Who referred the person (issue 9, item 1). Back on Track took referrals from the
    police, the filing deputy, the defence and the bench."""

    POLICE = "police", "Police"
    FILING_DEPUTY = "filing_deputy", "Filing deputy (district attorney)"
    DEFENSE = "defense", "Defense counsel"
    COURT = "court", "Court"


class Referral(models.Model):
    source = models.CharField(max_length=20, choices=ReferralSource.choices)
    referral_date = models.DateField()
    # The person who made the referral; blank is "not recorded", never a guess.
    referrer_name = models.CharField(max_length=200, blank=True)
    referrer_agency = models.CharField(max_length=200, blank=True)  # agency or role
    referrer_contact = models.CharField(max_length=200, blank=True)  # phone or email
    notes = models.TextField(blank=True)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="referrals")
    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="referral")
    # True: the referral was linked to a person already on file (after the duplicate check);
    # False: it created the person.
    linked_existing_person = models.BooleanField()
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="referrals_taken"
    )
    taken_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-referral_date", "-id"]

    def __str__(self) -> str:
        return f"{self.get_source_display()} referral of {self.referral_date.isoformat()}"
