"""The auditors' filters (page, CSV export and ``ontrack audit export`` read the same ones)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from ontrack.audit.export import day_bounds
from ontrack.audit.models import Outcome
from ontrack.audit.selectors import STREAMS, AuditFilters


def parse_day(value: str, name: str) -> dt.date:
    """A day as ``YYYY-MM-DD``; ``ValueError`` names the field and what was given."""
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"{name}: {value!r} is not a date (YYYY-MM-DD)") from None


class AuditFilterForm(forms.Form):
    stream = forms.ChoiceField(choices=[(s, s) for s in STREAMS], required=False)
    actor = forms.CharField(max_length=150, required=False)
    action = forms.CharField(max_length=100, required=False)
    object_type = forms.CharField(max_length=100, required=False)
    object_id = forms.CharField(max_length=64, required=False)
    outcome = forms.ChoiceField(choices=[("", "any"), *Outcome.choices], required=False)
    since = forms.DateField(required=False, input_formats=["%Y-%m-%d"])
    until = forms.DateField(required=False, input_formats=["%Y-%m-%d"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", "the last day is before the first")
        return data

    def filters(self) -> AuditFilters:
        """The valid filters (call after ``is_valid()``)."""
        data = self.cleaned_data
        since, until = day_bounds(data.get("since"), data.get("until"))
        return AuditFilters(
            stream=data.get("stream") or "both",
            actor=data.get("actor", "").strip(),
            action=data.get("action", "").strip(),
            object_type=data.get("object_type", "").strip(),
            object_id=data.get("object_id", "").strip(),
            outcome=data.get("outcome", ""),
            since=since,
            until=until,
        )
