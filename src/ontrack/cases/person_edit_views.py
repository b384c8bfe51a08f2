"""Editing a person: details (names, birth date or range, contact, demographics), aliases,
identifiers, prior records and criminal-history checks. Thin: each POST calls one service
through ``common.submit``; every form carries the PERSON's version (ADR 0047).

Served by the cases app, as the person page is (the history lives in ``cases``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from ontrack.audit.access import note_access
from ontrack.cases import selectors, services
from ontrack.cases.conflicts import OtherEdit
from ontrack.cases.edit_common import conflict_for, safe_next
from ontrack.cases.edit_forms import (
    AliasForm,
    HistoryCheckForm,
    IdentifierForm,
    PersonForm,
    PriorRecordForm,
    RemoveForm,
)
from ontrack.cases.history_services import PRIOR_FIELDS
from ontrack.common.access import requires
from ontrack.common.errors import NotFound
from ontrack.common.submit import BAD_INPUT, CONFLICT, Submitted, submit
from ontrack.people import services as people_services
from ontrack.people.models import Person
from ontrack.people.selectors import get_person
from ontrack.people.services import EDITABLE_FIELDS, NewIdentifier


def _person(request: HttpRequest, person_id: int, action: str) -> Person:
    note_access(request, action, "people.person", person_id)  # CJIS AU-2, whatever follows
    try:
        return get_person(actor=request.user, person_id=person_id)
    except NotFound:
        raise Http404 from None


def _version(person: Person) -> dict[str, Any]:
    return {"expected_version": person.row_version}


# --- details, aliases, identifiers -------------------------------------------------------------


def _render_person_edit(
    request: HttpRequest,
    person: Person,
    *,
    details: forms.Form | None = None,
    alias: forms.Form | None = None,
    identifier: forms.Form | None = None,
    conflict: list[OtherEdit] | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "person": person,
        "details": details
        or PersonForm(
            initial={**{n: getattr(person, n) for n in EDITABLE_FIELDS}, **_version(person)}
        ),
        "alias_form": alias or AliasForm(initial=_version(person)),
        "identifier_form": identifier or IdentifierForm(initial=_version(person)),
        "conflict": conflict,
        "next": safe_next(request, reverse("people:detail", args=[person.pk])),
        "here": reverse("people:edit", args=[person.pk]),
    }
    return render(request, "people/person_edit.html", context, status=status)


def _answer(
    request: HttpRequest,
    person: Person,
    form: forms.Form,
    done: Submitted[Any] | None,
    slot: str,
    render_page: Callable[..., HttpResponse],
) -> HttpResponse:
    """Success → back where the user came from; a conflict → the other user's change beside
    this user's entries (409); bad input → the form with its messages (400)."""
    if done is not None and done.ok:
        return redirect(safe_next(request, reverse("people:detail", args=[person.pk])))
    status = done.status if done is not None else BAD_INPUT
    conflict = None
    if status == CONFLICT:
        form, conflict = conflict_for(request, form, person)
    return render_page(request, person, **{slot: form}, conflict=conflict, status=status)


@requires("people.change_person")
def edit_person(request: HttpRequest, person_id: int) -> HttpResponse:
    person = _person(request, person_id, "person.edit_viewed")
    if request.method != "POST":
        return _render_person_edit(request, person)
    form = PersonForm(request.POST)
    done = None
    if form.is_valid():
        done = submit(
            form,
            lambda: people_services.update_person(
                actor=request.user,
                person=person,
                expected_version=form.cleaned_data["expected_version"],
                **form.changes(),
            ),
        )
    return _answer(request, person, form, done, "details", _render_person_edit)


@requires("people.change_person")
@require_POST
def add_alias(request: HttpRequest, person_id: int) -> HttpResponse:
    person = _person(request, person_id, "person.edit_viewed")
    form = AliasForm(request.POST)
    done = None
    if form.is_valid():
        done = submit(
            form,
            lambda: people_services.add_alias(
                actor=request.user, person=person, **form.cleaned_data
            ),
        )
    return _answer(request, person, form, done, "alias", _render_person_edit)


@requires("people.change_person")
@require_POST
def remove_alias(request: HttpRequest, person_id: int) -> HttpResponse:
    person = _person(request, person_id, "person.edit_viewed")
    form = RemoveForm(request.POST)
    done = None
    if form.is_valid():
        done = submit(
            form,
            lambda: people_services.remove_alias(
                actor=request.user,
                person=person,
                alias_id=form.cleaned_data["item"],
                expected_version=form.cleaned_data["expected_version"],
            ),
        )
    return _answer(request, person, form, done, "alias", _render_person_edit)


@requires("people.change_person")
@require_POST
def add_identifier(request: HttpRequest, person_id: int) -> HttpResponse:
    person = _person(request, person_id, "person.edit_viewed")
    form = IdentifierForm(request.POST)
    done = None
    if form.is_valid():
        data = form.cleaned_data
        done = submit(
            form,
            lambda: people_services.add_identifier(
                actor=request.user,
                person=person,
                identifier=NewIdentifier(data["id_type"], data["issuer"], data["value"]),
                expected_version=data["expected_version"],
            ),
        )
    return _answer(request, person, form, done, "identifier", _render_person_edit)


@requires("people.change_person")
@require_POST
def remove_identifier(request: HttpRequest, person_id: int) -> HttpResponse:
    person = _person(request, person_id, "person.edit_viewed")
    form = RemoveForm(request.POST)
    done = None
    if form.is_valid():
        done = submit(
            form,
            lambda: people_services.remove_identifier(
                actor=request.user,
                person=person,
                identifier_id=form.cleaned_data["item"],
                expected_version=form.cleaned_data["expected_version"],
            ),
        )
    return _answer(request, person, form, done, "identifier", _render_person_edit)


# --- criminal history ---------------------------------------------------------------------------


def _render_history(
    request: HttpRequest,
    person: Person,
    *,
    prior: forms.Form | None = None,
    check: forms.Form | None = None,
    conflict: list[OtherEdit] | None = None,
    status: int = 200,
) -> HttpResponse:
    checks = selectors.history_checks_of_person(actor=request.user, person=person)
    context = {
        "person": person,
        "priors": selectors.priors_of_person(actor=request.user, person=person),
        "checks": checks,
        "prior_form": prior or PriorRecordForm(initial=_version(person)),
        "check_form": check
        or HistoryCheckForm(
            initial={
                **HistoryCheckForm.initial_for(checks[0] if checks else None),
                **_version(person),
            }
        ),
        "conflict": conflict,
        "next": safe_next(request, reverse("people:history", args=[person.pk])),
    }
    return render(request, "people/history_edit.html", context, status=status)


@requires("people.change_person")
def edit_history(request: HttpRequest, person_id: int) -> HttpResponse:
    """The person's prior records and criminal-history checks, with the forms that add them."""
    return _render_history(request, _person(request, person_id, "person.history_viewed"))


@requires("people.change_person")
@require_POST
def record_history_check(request: HttpRequest, person_id: int) -> HttpResponse:
    person = _person(request, person_id, "person.history_viewed")
    form = HistoryCheckForm(request.POST)
    done = None
    if form.is_valid():
        done = submit(
            form,
            lambda: services.record_history_check(
                actor=request.user, person=person, **form.cleaned_data
            ),
        )
    return _answer(request, person, form, done, "check", _render_history)


@requires("people.change_person")
@require_POST
def add_prior(request: HttpRequest, person_id: int) -> HttpResponse:
    person = _person(request, person_id, "person.history_viewed")
    form = PriorRecordForm(request.POST)
    done = None
    if form.is_valid():
        done = submit(
            form,
            lambda: services.record_prior_record(
                actor=request.user, person=person, **form.cleaned_data
            ),
        )
    return _answer(request, person, form, done, "prior", _render_history)


@requires("people.change_person")
@require_POST
def remove_prior(request: HttpRequest, person_id: int) -> HttpResponse:
    person = _person(request, person_id, "person.history_viewed")
    form = RemoveForm(request.POST)
    done = None
    if form.is_valid():
        done = submit(
            form,
            lambda: services.remove_prior_record(
                actor=request.user,
                person=person,
                prior_id=form.cleaned_data["item"],
                expected_version=form.cleaned_data["expected_version"],
            ),
        )
    return _answer(request, person, form, done, "prior", _render_history)


def _render_prior(
    request: HttpRequest,
    person: Person,
    *,
    prior_id: int,
    prior: forms.Form | None = None,
    conflict: list[OtherEdit] | None = None,
    status: int = 200,
) -> HttpResponse:
    found = next(
        (
            p
            for p in selectors.priors_of_person(actor=request.user, person=person)
            if p.pk == prior_id
        ),
        None,
    )
    if found is None:
        raise Http404  # another person's prior looks like a missing one
    form = prior or PriorRecordForm(
        initial={**{n: getattr(found, n) for n in PRIOR_FIELDS}, **_version(person)}
    )
    context = {
        "person": person,
        "prior": found,
        "form": form,
        "conflict": conflict,
        "next": safe_next(request, reverse("people:history", args=[person.pk])),
    }
    return render(request, "people/prior_edit.html", context, status=status)


@requires("people.change_person")
def edit_prior(request: HttpRequest, person_id: int, prior_id: int) -> HttpResponse:
    person = _person(request, person_id, "person.history_viewed")
    if request.method != "POST":
        return _render_prior(request, person, prior_id=prior_id)
    form = PriorRecordForm(request.POST)
    done = None
    if form.is_valid():
        done = submit(
            form,
            lambda: services.update_prior_record(
                actor=request.user,
                person=person,
                prior_id=prior_id,
                expected_version=form.cleaned_data["expected_version"],
                **form.changes(),
            ),
        )
    if done is not None and done.ok:
        return redirect(safe_next(request, reverse("people:history", args=[person.pk])))
    status = done.status if done is not None else BAD_INPUT
    conflict = None
    if status == CONFLICT:
        form, conflict = conflict_for(request, form, person)  # type: ignore[assignment]
    return _render_prior(
        request, person, prior_id=prior_id, prior=form, conflict=conflict, status=status
    )
