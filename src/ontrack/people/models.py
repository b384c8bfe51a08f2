"""People: anyone who appears in a case, participant or not.

Facts may be unknown: a blank date of birth or sex means "not known", never a default.
Race and ethnicity are kept for equity reporting only (who is referred, admitted, graduated).
"""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Lower

from ontrack.common.models import VersionedModel


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    NONBINARY = "nonbinary", "Non-binary"


class Race(models.TextChoices):
    """Categories as recorded by California justice agencies (DOJ OpenJustice)."""

    BLACK = "black", "Black"
    HISPANIC = "hispanic", "Hispanic"
    WHITE = "white", "White"
    ASIAN = "asian", "Asian"
    PACIFIC_ISLANDER = "pacific_islander", "Pacific Islander"
    NATIVE_AMERICAN = "native_american", "American Indian or Alaska Native"
    OTHER = "other", "Other"


class Person(VersionedModel):
    # Names can be unknown: de-identified or partial feeds identify a person only by a
    # source record number. Staff-entered people always have a family name (services).
    given_name = models.CharField(max_length=100, blank=True)
    middle_name = models.CharField(max_length=100, blank=True)
    family_name = models.CharField(max_length=100, blank=True)
    suffix = models.CharField(max_length=20, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)  # null = not known
    # When only an age is known ("34 on 2013-01-27"), the birth date lies in a range; an
    # age computed from it is known only where both ends agree (never a midpoint guess).
    birth_date_earliest = models.DateField(null=True, blank=True)
    birth_date_latest = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=20, choices=Sex.choices, blank=True)  # "" = not known
    race = models.CharField(max_length=20, choices=Race.choices, blank=True)  # "" = not known
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)
    street_address = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=2, blank=True)
    postal_code = models.CharField(max_length=10, blank=True)

    # The import that created this record (None: entered by staff, or loaded before
    # batches were recorded). Updates by later imports are in the audit trail instead.
    import_batch = models.ForeignKey(
        "ingest.ImportBatch", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["family_name", "given_name", "id"]
        indexes = [
            models.Index(Lower("family_name"), Lower("given_name"), name="person_name_ci"),
            models.Index(fields=["date_of_birth"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(birth_date_earliest__lte=models.F("birth_date_latest"))
                | models.Q(birth_date_earliest__isnull=True)
                | models.Q(birth_date_latest__isnull=True),
                name="birth_range_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        parts = [self.given_name, self.middle_name, self.family_name, self.suffix]
        return " ".join(p for p in parts if p) or self.unnamed

    @property
    def list_name(self) -> str:
        """Family name first, as lists sort ("Garcia, Eric"); a missing part leaves no stray
        comma, and a person with no name recorded still gets a label that identifies them."""
        if self.family_name and self.given_name:
            return f"{self.family_name}, {self.given_name}"
        return self.family_name or self.given_name or self.unnamed

    @property
    def unnamed(self) -> str:
        """The label of a person with no name recorded (unknown is not blank: say so)."""
        return f"unnamed person #{self.pk}"


class PersonAlias(models.Model):
    """Another name the person is known by or booked under (AKA, maiden name, nickname)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="aliases")
    given_name = models.CharField(max_length=100, blank=True)
    family_name = models.CharField(max_length=100)
    kind = models.CharField(max_length=20, default="aka")  # aka, nickname, maiden, booking

    class Meta:
        ordering = ["family_name", "given_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "given_name", "family_name"], name="alias_unique_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()


class IdentifierType(models.TextChoices):
    """Identifier types; each value is unique within its type and issuer."""

    STATE_ID = "state_id", "State criminal-history ID (CII)"
    FBI = "fbi", "FBI number"
    DRIVER_LICENSE = "driver_license", "Driver license"
    LOCAL_ID = "local_id", "Local person number (SF No.)"
    BOOKING = "booking", "Booking number"
    # The record number in the system a feed came from (issuer = the feed), which is how
    # a re-import finds the same person again.
    SOURCE_RECORD = "source_record", "Record number in a source system"


class PersonIdentifier(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="identifiers")
    id_type = models.CharField(max_length=20, choices=IdentifierType.choices)
    # Who issued it: "CA" for a CII number, an agency code for a booking number.
    issuer = models.CharField(max_length=50)
    value = models.CharField(max_length=50)

    # The import that created this record (None: entered by staff, or loaded before
    # batches were recorded). Updates by later imports are in the audit trail instead.
    import_batch = models.ForeignKey(
        "ingest.ImportBatch", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["id_type", "value"]
        constraints = [
            # One identifier value belongs to one person: the rule that keeps two records of
            # the same human from silently coexisting.
            models.UniqueConstraint(
                fields=["id_type", "issuer", "value"], name="identifier_unique_per_type"
            ),
            models.CheckConstraint(condition=~models.Q(value=""), name="identifier_not_blank"),
        ]

    def __str__(self) -> str:
        return f"{self.get_id_type_display()} {self.issuer} {self.value}"


class SearchKeyKind(models.TextChoices):
    """What a search key was made from (``people/search_keys.py`` makes them)."""

    NAME = "n", "Name word"
    SOUND = "s", "Sound of a name word"
    BIRTH_DATE = "d", "Date of birth"
    IDENTIFIER = "i", "Identifier"


class PersonSearchKey(models.Model):
    """One normalised key a search may find a person by: a name word without accents or
    punctuation, its sound, the birth date, an identifier. Derived data, never edited: every
    writer of people calls ``people.search_keys`` so the keys follow the record (ADR 0044)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="search_keys")
    kind = models.CharField(max_length=1, choices=SearchKeyKind.choices)
    key = models.CharField(max_length=100)

    class Meta:
        # No unique constraint: ``person_keys`` writes each key once, and a second index
        # would slow every import for nothing (the person_id index serves the deletes).
        indexes = [models.Index(fields=["kind", "key", "person"], name="person_search_key")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.key}"
