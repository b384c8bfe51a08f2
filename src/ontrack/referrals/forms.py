"""The three steps of referral intake as forms; ``services.take_referral`` decides.

Labels are the words a problem is reported in: ``problem_label`` turns a service's field
name (``docket_number``, ``charges[2].level``) into them, so every refusal names the field.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.urls import reverse_lazy

from ontrack.cases.services import NewCharge
from ontrack.common.models import Level
from ontrack.people.models import IdentifierType
from ontrack.people.services import NewIdentifier, NewPerson
from ontrack.programs.models import Program
from ontrack.referrals.models import Referral, ReferralSource
from ontrack.referrals.services import MAX_NOTES


def _text(label: str, max_length: int, required: bool = False) -> forms.CharField:
    return forms.CharField(label=label, max_length=max_length, required=required)


class ReferralForm(forms.Form):
    """Step 1: the referral and the person as referred."""

    source = forms.ChoiceField(
        label="Referred by",
        choices=[("", "Choose who referred the person"), *ReferralSource.choices],
    )
    referral_date = forms.DateField(label="Referral date")
    referrer_name = _text("Name of the person referring", 200)
    referrer_agency = _text("Their agency or role", 200)
    referrer_contact = _text("How to reach them (phone or email)", 200)
    notes = forms.CharField(label="Notes", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    program = forms.TypedChoiceField(label="Program", coerce=int, required=True)
    given_name = _text("Given name", 100, required=True)
    middle_name = _text("Middle name", 100)
    family_name = _text("Family name", 100, required=True)
    date_of_birth = forms.DateField(label="Date of birth (blank if not known)", required=False)
    id_type = forms.ChoiceField(
        label="Identifier type",
        choices=[("", "No identifier given"), *IdentifierType.choices],
        required=False,
    )
    id_issuer = _text("Identifier issued by (e.g. CA, SFSO)", 50)
    id_value = _text("Identifier number", 50)

    def __init__(self, *args: Any, programs: list[Program], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.programs = programs
        if len(programs) > 1:
            self.fields["program"].choices = [  # type: ignore[attr-defined]
                ("", "Choose the program"),
                *[(p.pk, p.name) for p in programs],
            ]
        else:  # none to choose: the service places the case in the only one (or says why not)
            del self.fields["program"]

    def clean_notes(self) -> str:
        notes: str = self.cleaned_data["notes"]
        if len(notes) > MAX_NOTES:
            raise forms.ValidationError(f"at most {MAX_NOTES} characters")
        return notes

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        parts = [data.get("id_type"), data.get("id_issuer"), data.get("id_value")]
        if any(parts) and not all(parts):
            self.add_error("id_value", "give the identifier's type, issuer and number, or none")
        return data

    def draft(self) -> dict[str, Any]:
        """What the session keeps between steps (dates as ISO text)."""
        data = dict(self.cleaned_data)
        for name in ("referral_date", "date_of_birth"):
            data[name] = data[name].isoformat() if data.get(name) else ""
        data.setdefault("program", None)
        return data


def _date(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def as_new_person(draft: dict[str, Any]) -> NewPerson:
    identifiers: tuple[NewIdentifier, ...] = ()
    if draft.get("id_type"):
        identifiers = (NewIdentifier(draft["id_type"], draft["id_issuer"], draft["id_value"]),)
    fields: dict[str, Any] = {"date_of_birth": _date(draft["date_of_birth"])}
    if draft["middle_name"]:
        fields["middle_name"] = draft["middle_name"]
    return NewPerson(draft["given_name"], draft["family_name"], identifiers, fields)


def birth_date(draft: dict[str, Any]) -> dt.date | None:
    return _date(draft["date_of_birth"])


def referral_date(draft: dict[str, Any]) -> dt.date | None:
    return _date(draft["referral_date"])


class CaseForm(forms.Form):
    """Step 3: the case."""

    docket_number = _text("Docket number", 40, required=True)
    court = _text("Court", 100, required=True)
    filing_date = forms.DateField(label="Filing date (blank if not filed yet)", required=False)


class ChargeForm(forms.Form):
    statute_code = forms.CharField(
        label="Statute code",
        max_length=40,
        required=False,
        # HTMX refreshes the one statute-code list from the catalog while a code is typed.
        widget=forms.TextInput(
            attrs={
                "list": "statute-codes",
                "autocomplete": "off",
                "hx-get": reverse_lazy("referrals:codes"),
                "hx-trigger": "input changed delay:250ms",
                "hx-target": "#statute-codes",
                "hx-sync": "this:replace",
            }
        ),
    )
    level = forms.ChoiceField(
        label="Level", choices=[("", "As the catalog gives it"), *Level.choices], required=False
    )
    description = _text("Description (blank: the catalog's)", 300)
    offense_date = forms.DateField(label="Offense date", required=False)

    def as_charge(self) -> NewCharge:
        data = self.cleaned_data
        return NewCharge(
            statute_code=data["statute_code"],
            level=data["level"],
            description=data["description"],
            offense_date=data["offense_date"],
        )


ChargeFormSet = forms.formset_factory(ChargeForm, extra=3, max_num=10, absolute_max=10)

CHARGE_FIELD = ChargeForm.base_fields
PERSON_WORDS = {"person": "Person", "charges": "Charges", "identifier": "Identifier"}


def problem_label(name: str) -> str:
    """A service's field name in words: ``charges[2].level`` → "Charge 2, level"."""
    if name.startswith("charges[") and "]" in name:
        count, _, rest = name[len("charges[") :].partition("]")
        field = CHARGE_FIELD.get(rest.lstrip("."))
        return (
            f"Charge {count}, {field.label.lower()}" if field and field.label else f"Charge {count}"
        )
    for form in (ReferralForm, CaseForm):
        if name in form.base_fields and form.base_fields[name].label:
            return str(form.base_fields[name].label)
    model_field = {f.name: f for f in Referral._meta.fields}.get(name)
    if model_field is not None:
        return str(model_field.verbose_name).capitalize()
    return PERSON_WORDS.get(name, name.replace("_", " ").capitalize())
