"""Parsing of the eligibility forms. The services own the rules; these only read the input.

Templates render the inputs by hand (Pico, labels, ``aria-invalid``); the forms turn the
POST into typed values and messages per field. A service's ``ValidationFailed`` is added to
the same fields, so every refusal is shown next to the input it concerns.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from ontrack.eligibility.engine import ELIGIBLE, INELIGIBLE, NEEDS_INFORMATION
from ontrack.eligibility.models import MAX_OVERRIDE_REASON
from ontrack.eligibility.policy import policy_name
from ontrack.eligibility.vocabulary import VOCABULARY, Fact

RESULT_LABELS = {
    ELIGIBLE: "Eligible",
    INELIGIBLE: "Ineligible",
    NEEDS_INFORMATION: "Needs information",
}


def value_labels(fact: Fact) -> dict[str, str]:
    """A text fact's allowed values (the vocabulary's, one list), each in words."""
    return {v: v.replace("_", " ").capitalize() for v in fact.allowed}


WORK_AUTHORIZATION_LABELS = value_labels(VOCABULARY["work_authorization"])


class ScreenForm(forms.Form):
    policy = forms.ChoiceField(error_messages={"required": "choose a policy"})
    as_of = forms.DateField(
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": "enter a date as YYYY-MM-DD"},
    )

    def __init__(self, *args: Any, policies: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["policy"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(slug, policy_name(slug)) for slug in policies]

    def as_of_or_today(self) -> dt.date:
        day = self.cleaned_data.get("as_of")
        return day if isinstance(day, dt.date) else dt.date.today()


class WorkAuthorizationForm(forms.Form):
    value = forms.ChoiceField(
        choices=list(WORK_AUTHORIZATION_LABELS.items()),
        error_messages={"required": "choose verified or not authorized"},
    )
    method = forms.CharField(
        max_length=200, error_messages={"required": "say how the fact was established"}
    )
    document = forms.CharField(max_length=200, required=False)


class OverrideForm(forms.Form):
    result = forms.ChoiceField(
        choices=list(RESULT_LABELS.items()),
        error_messages={"required": "choose the result"},
    )
    reason = forms.CharField(
        max_length=MAX_OVERRIDE_REASON,  # also refused by the service and the database
        error_messages={"required": "an override needs a reason"},
    )


class WithdrawForm(forms.Form):
    override = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    expected_version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    reason = forms.CharField(
        max_length=MAX_OVERRIDE_REASON,  # also refused by the service and the database
        error_messages={"required": "a withdrawal needs a reason"},
    )


class CaseFactForm(forms.Form):
    """Any recordable fact (``Fact.recordable``): its value, how it was established, and the
    case's version the form read (a fact recorded since is never silently superseded)."""

    value = forms.ChoiceField(error_messages={"required": "choose a value"})
    method = forms.CharField(
        label="How it was established",
        max_length=200,
        error_messages={"required": "say how the fact was established"},
    )
    document = forms.CharField(label="Document (optional)", max_length=200, required=False)
    expected_version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, fact: Fact, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["value"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = list(value_labels(fact).items())
        field.label = fact.label
        field.widget = forms.RadioSelect(choices=field.choices)
