"""Editing a case and its charges. Thin: each POST calls one service through
``common.submit``. Charges are part of the case: every form carries the CASE's version
(ADR 0047), so an edit of a charge and an edit of the case never pass each other unseen.
"""

from __future__ import annotations

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
from ontrack.cases.edit_forms import CaseForm, ChargeForm, ChargeFormBase, RemoveForm
from ontrack.cases.models import Case, Charge
from ontrack.cases.services import CASE_FIELDS, NewCharge
from ontrack.common.access import requires
from ontrack.common.errors import NotFound
from ontrack.common.submit import BAD_INPUT, CONFLICT, Submitted, submit


def _case(request: HttpRequest, case_id: int) -> Case:
    note_access(request, "case.edit_viewed", "cases.case", case_id)  # CJIS AU-2
    try:
        return selectors.get_case(actor=request.user, case_id=case_id)
    except NotFound:
        raise Http404 from None


def _charge(case: Case, charge_id: int) -> Charge:
    found = case.charges.filter(pk=charge_id).first()
    if found is None:
        raise Http404  # another case's charge looks like a missing one
    return found


def _back(request: HttpRequest, case: Case) -> str:
    return safe_next(request, reverse("cases:detail", args=[case.pk]))


def _page(
    request: HttpRequest,
    case: Case,
    *,
    title: str,
    form: forms.Form,
    action: str,
    conflict: list[OtherEdit] | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "case": case,
        "title": title,
        "form": form,
        "action": action,
        "conflict": conflict,
        "next": _back(request, case),
    }
    return render(request, "cases/record_edit.html", context, status=status)


def _answer(
    request: HttpRequest,
    case: Case,
    form: forms.Form,
    done: Submitted[Any] | None,
    **page: Any,
) -> HttpResponse:
    if done is not None and done.ok:
        return redirect(_back(request, case))
    status = done.status if done is not None else BAD_INPUT
    conflict = None
    if status == CONFLICT:
        form, conflict = conflict_for(request, form, case)
    return _page(request, case, form=form, conflict=conflict, status=status, **page)


@requires("cases.change_case")
def edit_case(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id)
    page: dict[str, Any] = {
        "title": f"Edit case {case}",
        "action": reverse("cases:edit", args=[case.pk]),
    }
    if request.method != "POST":
        initial = {n: getattr(case, n) for n in CASE_FIELDS}
        return _page(
            request,
            case,
            form=CaseForm(initial={**initial, "expected_version": case.row_version}),
            **page,
        )
    form = CaseForm(request.POST)
    done = None
    if form.is_valid():
        done = submit(
            form,
            lambda: services.update_case(
                actor=request.user,
                case=case,
                expected_version=form.cleaned_data["expected_version"],
                **form.changes(),
            ),
        )
    return _answer(request, case, form, done, **page)


@requires("cases.change_case")
def add_charge(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id)
    page: dict[str, Any] = {
        "title": f"Add a charge to case {case}",
        "action": reverse("cases:add_charge", args=[case.pk]),
    }
    if request.method != "POST":
        return _page(
            request, case, form=ChargeForm(initial={"expected_version": case.row_version}), **page
        )
    form = ChargeForm(request.POST)
    done = None
    if form.is_valid():
        values = form.changes()
        done = submit(
            form,
            lambda: services.add_charge(
                actor=request.user,
                case=case,
                expected_version=form.cleaned_data["expected_version"],
                charge=NewCharge(**values),
            ),
        )
    return _answer(request, case, form, done, **page)


@requires("cases.change_case")
def edit_charge(request: HttpRequest, case_id: int, charge_id: int) -> HttpResponse:
    case = _case(request, case_id)
    charge = _charge(case, charge_id)
    page: dict[str, Any] = {
        "title": f"Edit count {charge.count_number} of case {case}",
        "action": reverse("cases:edit_charge", args=[case.pk, charge.pk]),
    }
    if request.method != "POST":
        initial = {**ChargeFormBase.initial_for(charge), "expected_version": case.row_version}
        return _page(request, case, form=ChargeForm(initial=initial), **page)
    form = ChargeForm(request.POST)
    done = None
    if form.is_valid():
        done = submit(
            form,
            lambda: services.update_charge(
                actor=request.user,
                case=case,
                charge_id=charge.pk,
                expected_version=form.cleaned_data["expected_version"],
                **form.changes(),
            ),
        )
    return _answer(request, case, form, done, **page)


@requires("cases.change_case")
@require_POST
def remove_charge(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id)
    form = RemoveForm(request.POST)
    done = None
    if form.is_valid():
        done = submit(
            form,
            lambda: services.remove_charge(
                actor=request.user,
                case=case,
                charge_id=form.cleaned_data["item"],
                expected_version=form.cleaned_data["expected_version"],
            ),
        )
    page: dict[str, Any] = {
        "title": f"Remove a charge from case {case}",
        "action": reverse("cases:remove_charge", args=[case.pk]),
    }
    return _answer(request, case, form, done, **page)
