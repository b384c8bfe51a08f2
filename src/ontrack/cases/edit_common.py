"""What every edit page shares: the safe return address, the stale-form conflict, rendering.

A refused stale form (HTTP 409) shows the other user's change (``cases.conflicts``) above
the form, keeps what this user entered, and now carries the record's current version: saving
again is a decision taken with the other change in view, never a silent overwrite.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

from ontrack.cases.conflicts import OtherEdit, Words, other_edits
from ontrack.cases.models import Case
from ontrack.cases.selectors import edits_since
from ontrack.people.models import Person


def safe_next(request: HttpRequest, default: str) -> str:
    """Where to go after saving: the page that sent the user (same site only), else ``default``."""
    target = request.POST.get("next") or request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def conflict_for(
    request: HttpRequest,
    form: forms.Form,
    record: Case | Person,
    words_for: Words | None = None,
    **form_kwargs: Any,
) -> tuple[forms.Form, list[OtherEdit]]:
    """The other user's change since the version ``form`` read, and the form re-bound with
    the same entries and the record's current version."""
    read = int(form.cleaned_data["expected_version"])
    events = edits_since(actor=request.user, record=record, version=read)
    current = (
        type(record)._default_manager.filter(pk=record.pk).values_list("row_version", flat=True)
    )
    data = request.POST.copy()
    data["expected_version"] = str(current.first() or read)
    again = type(form)(data, **_form_kwargs(form), **form_kwargs)
    again.is_valid()
    for error in form.non_field_errors():
        again.add_error(None, error)
    return again, other_edits(events, words_for)


def _form_kwargs(form: forms.Form) -> dict[str, Any]:
    return {"prefix": form.prefix} if form.prefix else {}
