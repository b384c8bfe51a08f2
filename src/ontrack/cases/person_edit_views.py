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


# The POST-only forms of the person page: each validates one form and calls one service with
# the person the actor may see; ``_answer`` turns the outcome into a page.
Call = Callable[[Any, Person, dict[str, Any]], Any]


def _person_post(
    form_class: type[forms.Form],
    call: Call,
    slot: str,
    render_page: Callable[..., HttpResponse],
    viewed: str,
) -> Callable[[HttpRequest, int], HttpResponse]:
    @requires("people.change_person")
    @require_POST
    def view(request: HttpRequest, person_id: int) -> HttpResponse:
        person = _person(request, person_id, viewed)
        form = form_class(request.POST)
        done = None
        if form.is_valid():
            data = form.cleaned_data
            done = submit(form, lambda: call(request.user, person, data))
        return _answer(request, person, form, done, slot, render_page)

    return view


def _removal(remove: Callable[..., Any], key: str) -> Call:
    """A service that removes one item (``key``: its id argument) from the person."""
    return lambda actor, person, data: remove(
        actor=actor,
        person=person,
        expected_version=data["expected_version"],
        **{key: data["item"]},
    )


add_alias = _person_post(
    AliasForm,
    lambda actor, person, data: people_services.add_alias(actor=actor, person=person, **data),
    "alias",
    _render_person_edit,
    "person.edit_viewed",
)
remove_alias = _person_post(
    RemoveForm,
    _removal(people_services.remove_alias, "alias_id"),
    "alias",
    _render_person_edit,
    "person.edit_viewed",
)
add_identifier = _person_post(
    IdentifierForm,
    lambda actor, person, data: people_services.add_identifier(
        actor=actor,
        person=person,
        identifier=NewIdentifier(data["id_type"], data["issuer"], data["value"]),
        expected_version=data["expected_version"],
    ),
    "identifier",
    _render_person_edit,
    "person.edit_viewed",
)
remove_identifier = _person_post(
    RemoveForm,
    _removal(people_services.remove_identifier, "identifier_id"),
    "identifier",
    _render_person_edit,
    "person.edit_viewed",
)


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


record_history_check = _person_post(
    HistoryCheckForm,
    lambda actor, person, data: services.record_history_check(actor=actor, person=person, **data),
    "check",
    _render_history,
    "person.history_viewed",
)
add_prior = _person_post(
    PriorRecordForm,
    lambda actor, person, data: services.record_prior_record(actor=actor, person=person, **data),
    "prior",
    _render_history,
    "person.history_viewed",
)
remove_prior = _person_post(
    RemoveForm,
    _removal(services.remove_prior_record, "prior_id"),
    "prior",
    _render_history,
    "person.history_viewed",
)


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
