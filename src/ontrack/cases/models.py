"""Court cases, arrests, charges and prior record.

A blank fact is unknown, not "no": an enhancement nobody recorded is ``None``, which later
screening reports as *needs information* rather than passing the person through.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from ontrack.common.models import Level, VersionedModel
from ontrack.offenses.models import OffenseCategory
from ontrack.people.models import Person
from ontrack.people.search_keys import code_key
from ontrack.programs.models import Program


class CaseStatus(models.TextChoices):
    OPEN = "open", "Open"
    DIVERTED = "diverted", "In diversion (judgment deferred)"
    DISMISSED = "dismissed", "Dismissed"
    SENTENCED = "sentenced", "Sentenced"
    CLOSED = "closed", "Closed"


class Restriction(models.TextChoices):
    """Why a case is withheld from everyone who has not stated a purpose (``cases/visibility.py``).

    ``sealed``: the arrest record is sealed by law (PC 851.90, PC 1000.4 after dismissal);
    it exists before the sealing workflow so that the rule is in place when that arrives.
    """

    NONE = "", "None"
    SEALED = "sealed", "Sealed"


class Case(VersionedModel):
    defendant = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="cases")
    # NULL when the source gave no case number (then ``source_key`` identifies the case).
    docket_number = models.CharField(max_length=40, unique=True, null=True, blank=True)
    # The feed's own key for a case, e.g. "broward-compas:1234:screening"; "" when none.
    source_key = models.CharField(max_length=100, blank=True)
    # A case number from another system (another county's court), kept as a reference but
    # not trusted as unique: real feeds reuse them (see docs/imports.md).
    external_case_number = models.CharField(max_length=40, blank=True, db_index=True)
    # The two numbers as search keys, punctuation and case dropped ("CRI-2025-000123" →
    # "cri2025000123", ``people.search_keys.code_key``): derived, set by ``save`` and by the
    # bulk writers from the same expression (ADR 0044).
    docket_key = models.CharField(max_length=40, blank=True, db_index=True, editable=False)
    external_key = models.CharField(max_length=40, blank=True, db_index=True, editable=False)
    court = models.CharField(max_length=100)
    filing_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=CaseStatus.choices, blank=True)  # "" unknown
    # The day set for sentencing when a participant is terminated and the case returns to the
    # regular calendar (PC 1000.3); NULL: none set (``services.set_sentencing_date``).
    sentencing_date = models.DateField(null=True, blank=True)

    # The import that created this record (None: entered by staff, or loaded before
    # batches were recorded). Updates by later imports are in the audit trail instead.
    import_batch = models.ForeignKey(
        "ingest.ImportBatch", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    # Who may see the case (``cases/visibility.py``), written only by ``cases.services.
    # assign_case`` and ``set_restriction``. NULL program: not yet placed in a program (seen
    # only by staff who see every program). NULL case manager: unassigned, the program's intake.
    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, null=True, blank=True, related_name="cases"
    )
    case_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_cases",
    )
    restriction = models.CharField(
        max_length=20, choices=Restriction.choices, blank=True, default=Restriction.NONE
    )

    class Meta:
        ordering = ["-filing_date", "docket_number"]
        permissions = [
            # CJIS AC-3/AC-6: seeing beyond one's own programs is a permission of its own.
            ("view_all_cases", "Can see the cases of every program"),
            ("view_restricted", "Can see restricted (sealed) cases, with a stated purpose"),
            ("assign_case", "Can place a case in a program and assign its case manager"),
            ("restrict_case", "Can set or lift a case's restriction"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(case_manager__isnull=True) | models.Q(program__isnull=False),
                name="case_manager_needs_program",
            ),
            models.CheckConstraint(condition=~models.Q(docket_number=""), name="docket_not_blank"),
            models.UniqueConstraint(
                fields=["source_key"], condition=~models.Q(source_key=""), name="case_source_key"
            ),
            models.CheckConstraint(
                condition=models.Q(docket_number__isnull=False) | ~models.Q(source_key=""),
                name="case_has_a_key",
            ),
        ]

    def __str__(self) -> str:
        return self.docket_number or f"(no case number: {self.source_key})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The search keys follow the numbers they are made from, whichever service saves.
        self.docket_key = code_key(self.docket_number)
        self.external_key = code_key(self.external_case_number)
        fields = kwargs.get("update_fields")
        if fields is not None and {"docket_number", "external_case_number"} & set(fields):
            kwargs["update_fields"] = [*fields, "docket_key", "external_key"]
        super().save(*args, **kwargs)


class Arrest(models.Model):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="arrests")
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="arrests", null=True, blank=True
    )
    arrest_date = models.DateField()
    agency = models.CharField(max_length=100)
    booking_number = models.CharField(max_length=40)

    # The import that created this record (None: entered by staff, or loaded before
    # batches were recorded). Updates by later imports are in the audit trail instead.
    import_batch = models.ForeignKey(
        "ingest.ImportBatch", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-arrest_date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "booking_number"], name="booking_per_agency")
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.booking_number}"


class Disposition(models.TextChoices):
    PENDING = "pending", "Pending"
    DIVERTED = "diverted", "Diverted"
    DISMISSED = "dismissed", "Dismissed"
    CONVICTED = "convicted", "Convicted"
    ACQUITTED = "acquitted", "Acquitted"


class Charge(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="charges")
    count_number = models.PositiveSmallIntegerField()
    statute_code = models.CharField(max_length=40, blank=True)  # normalised; "" = none given
    description = models.CharField(max_length=300, blank=True)
    level = models.CharField(max_length=20, choices=Level.choices, blank=True)  # "" unknown
    # The degree as the source wrote it ("F3", "M1", "MO3"), kept because levels lose detail.
    degree = models.CharField(max_length=10, blank=True)
    offense_date = models.DateField(null=True, blank=True)
    # None = not recorded. A recorded False means the court file shows it was not alleged.
    weapon_alleged = models.BooleanField(null=True, blank=True)
    gang_alleged = models.BooleanField(null=True, blank=True)
    near_school_alleged = models.BooleanField(null=True, blank=True)
    disposition = models.CharField(max_length=20, choices=Disposition.choices, blank=True)
    disposition_date = models.DateField(null=True, blank=True)

    # The import that created this record (None: entered by staff, or loaded before
    # batches were recorded). Updates by later imports are in the audit trail instead.
    import_batch = models.ForeignKey(
        "ingest.ImportBatch", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["case_id", "count_number"]
        constraints = [
            models.UniqueConstraint(fields=["case", "count_number"], name="count_once_per_case"),
            models.CheckConstraint(condition=models.Q(count_number__gte=1), name="count_from_1"),
        ]

    def __str__(self) -> str:
        return f"Count {self.count_number}: {self.statute_code}"


class PriorRecordType(models.TextChoices):
    ARREST = "arrest", "Arrest"
    CONVICTION = "conviction", "Conviction"


class PriorRecord(models.Model):
    """An earlier arrest or conviction, as a criminal-history (rap sheet) import reports it."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="prior_records")
    record_type = models.CharField(max_length=20, choices=PriorRecordType.choices)
    event_date = models.DateField(null=True, blank=True)
    level = models.CharField(max_length=20, choices=Level.choices, blank=True)  # "" unknown
    statute_code = models.CharField(max_length=40, blank=True)
    description = models.CharField(max_length=300, blank=True)
    # The category as the source reported it, when it did; otherwise derived from the catalog.
    category = models.CharField(max_length=30, choices=OffenseCategory.choices, blank=True)
    jurisdiction = models.CharField(max_length=50)
    source = models.CharField(max_length=100)  # "CA DOJ rap sheet 2024-03-01", "synthetic"

    # The import that created this record (None: entered by staff, or loaded before
    # batches were recorded). Updates by later imports are in the audit trail instead.
    import_batch = models.ForeignKey(
        "ingest.ImportBatch", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-event_date", "id"]

    def __str__(self) -> str:
        return f"{self.record_type} {self.event_date} {self.statute_code}"


class PriorCountSummary(models.Model):
    """Counts of earlier offenses when a source gives counts but not the events themselves.

    A NULL count is unknown; 0 means the source reported none.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="prior_counts")
    source = models.CharField(max_length=100)
    as_of = models.DateField(null=True, blank=True)
    total = models.PositiveIntegerField(null=True, blank=True)
    juvenile_felonies = models.PositiveIntegerField(null=True, blank=True)
    juvenile_misdemeanors = models.PositiveIntegerField(null=True, blank=True)
    juvenile_other = models.PositiveIntegerField(null=True, blank=True)

    # The import that created this record (None: entered by staff, or loaded before
    # batches were recorded). Updates by later imports are in the audit trail instead.
    import_batch = models.ForeignKey(
        "ingest.ImportBatch", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["person_id", "source"]
        constraints = [
            models.UniqueConstraint(fields=["person", "source"], name="prior_counts_per_source")
        ]

    def __str__(self) -> str:
        return f"{self.source}: {self.total} priors"
