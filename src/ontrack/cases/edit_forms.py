"""Parsing of the edit forms for a person, a case, its charges and a person's history.

The services own the rules; these only turn the POST into typed values. Labels come from
the models' verbose names and choice labels (words, never field names or stored values); a
blank choice is "not known" (ADR 0004: unknown is stored as blank/NULL, never a default).
Every form carries the version of the record it read (``expected_version``): the CASE's for
the case and its charges, the PERSON's for the person and their history (ADR 0047).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models

from ontrack.cases.conflicts import ALLEGATIONS, field_label
from ontrack.cases.history_services import CHECK_FIELDS, MAX_COUNT, PRIOR_FIELDS
from ontrack.cases.models import Case, Charge, PriorCountSummary, PriorRecord
from ontrack.cases.services import CASE_FIELDS, CHARGE_FIELDS
from ontrack.people.models import IdentifierType, Person, PersonAlias, PersonIdentifier
from ontrack.people.services import ALIAS_KINDS, EDITABLE_FIELDS

NOT_KNOWN = "not known"
ISO = ["%Y-%m-%d"]
# The allegation choices: recorded alleged, recorded not alleged, not recorded.
ALLEGATION_CHOICES = [("", NOT_KNOWN), ("yes", "alleged"), ("no", "not alleged")]
_ALLEGATION_VALUES = {"": None, "yes": True, "no": False}


def _as_choice(value: bool | None) -> str:
    return {None: "", True: "yes", False: "no"}[value]


class VersionedForm(forms.Form):
    expected_version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)

    def changes(self) -> dict[str, Any]:
        """The cleaned values the service takes (everything but the version)."""
        return {k: v for k, v in self.cleaned_data.items() if k != "expected_version"}


def _model_fields(
    model: type[models.Model], names: tuple[str, ...], required: tuple[str, ...] = ()
) -> dict[str, forms.Field]:
    """Form fields from the model (its labels and choices), blank choices in words."""
    fields = forms.fields_for_model(model, fields=names)
    for name, field in fields.items():
        if field is None:
            continue
        field.required = name in required
        if isinstance(field, forms.DateField):
            field.input_formats = ISO
            field.widget = forms.DateInput(attrs={"type": "date"})
            field.error_messages["invalid"] = "enter a date as YYYY-MM-DD"
        if isinstance(field, forms.TypedChoiceField | forms.ChoiceField):
            choices: Any = field.choices
            # A required choice has no blank; an optional one offers "not known" for it.
            field.choices = [
                ("", NOT_KNOWN) if value == "" else (value, label)
                for value, label in choices
                if value != "" or name not in required
            ]
        if isinstance(field, forms.CharField) and not field.required:
            field.empty_value = ""
        label = str(field.label or name)
        field.label = label[:1].upper() + label[1:]
    return {k: v for k, v in fields.items() if v is not None}


def _form_class(
    name: str,
    model: type[models.Model],
    names: tuple[str, ...],
    required: tuple[str, ...] = (),
    base: type[forms.Form] = VersionedForm,
) -> type[VersionedForm]:
    made: type[VersionedForm] = type(name, (base,), _model_fields(model, names, required))
    return made


PersonForm = _form_class("PersonForm", Person, EDITABLE_FIELDS, ("given_name", "family_name"))
# A staff-edited case has a status (``update_case`` refuses a blank one).
CaseForm = _form_class("CaseForm", Case, CASE_FIELDS, ("docket_number", "court", "status"))
PriorRecordForm = _form_class(
    "PriorRecordForm", PriorRecord, PRIOR_FIELDS, ("record_type", "jurisdiction", "source")
)


class ChargeFormBase(VersionedForm):
    def changes(self) -> dict[str, Any]:
        values = super().changes()
        for name in ALLEGATIONS:
            values[name] = _ALLEGATION_VALUES[values.get(name) or ""]
        return values

    @staticmethod
    def initial_for(charge: Charge) -> dict[str, Any]:
        values: dict[str, Any] = {n: getattr(charge, n) for n in CHARGE_FIELDS}
        for name in ALLEGATIONS:
            values[name] = _as_choice(getattr(charge, name))
        return values


_charge_fields = _model_fields(Charge, CHARGE_FIELDS, ("level",))
for _name in ALLEGATIONS:
    _charge_fields[_name] = forms.ChoiceField(
        label=field_label(_name),
        choices=ALLEGATION_CHOICES,
        required=False,
    )
ChargeForm: type[ChargeFormBase] = type("ChargeForm", (ChargeFormBase,), _charge_fields)


class HistoryCheckForm(VersionedForm):
    source = forms.CharField(
        label="Which check (e.g. CA DOJ rap sheet)",
        max_length=PriorCountSummary._meta.get_field("source").max_length,
        error_messages={"required": "say which check this was"},
    )
    as_of = forms.DateField(
        label="Date of the check",
        required=False,
        input_formats=ISO,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "enter a date as YYYY-MM-DD"},
    )
    total = forms.IntegerField(
        label="Prior offenses it reported (0: the check found none; blank: not known)",
        required=False,
        min_value=0,
        max_value=MAX_COUNT,
    )
    juvenile_felonies = forms.IntegerField(
        label="Of which juvenile felonies", required=False, min_value=0, max_value=MAX_COUNT
    )
    juvenile_misdemeanors = forms.IntegerField(
        label="Of which juvenile misdemeanors", required=False, min_value=0, max_value=MAX_COUNT
    )

    @staticmethod
    def initial_for(check: PriorCountSummary | None) -> dict[str, Any]:
        if check is None:
            return {"source": "CA DOJ rap sheet"}
        return {n: getattr(check, n) for n in CHECK_FIELDS}


class AliasForm(VersionedForm):
    given_name = forms.CharField(
        label="Given name", max_length=PersonAlias._meta.get_field("given_name").max_length,
        required=False,
    )  # fmt: skip
    family_name = forms.CharField(
        label="Family name", max_length=PersonAlias._meta.get_field("family_name").max_length,
        error_messages={"required": "an alias needs a family name"},
    )  # fmt: skip
    kind = forms.ChoiceField(label="Kind of name", choices=list(ALIAS_KINDS.items()))


class IdentifierForm(VersionedForm):
    id_type = forms.ChoiceField(label="Type", choices=IdentifierType.choices)
    issuer = forms.CharField(
        label="Issued by (e.g. CA, SFSO)",
        max_length=PersonIdentifier._meta.get_field("issuer").max_length,
        error_messages={"required": "say who issued it"},
    )
    value = forms.CharField(
        label="Number",
        max_length=PersonIdentifier._meta.get_field("value").max_length,
        error_messages={"required": "enter the number"},
    )


class RemoveForm(VersionedForm):
    """Removing a member of the record (an alias, an identifier, a charge, a prior record)."""

    item = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
