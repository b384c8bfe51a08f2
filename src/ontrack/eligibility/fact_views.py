"""Recording a case fact staff establish (every ``Fact.recordable`` fact, e.g. work
authorization from I-9 documents), the form a "needs information" item links to.

Thin: one service (``services.record_case_fact``) through ``common.submit``, with the CASE's
version the form read (ADR 0047); a stale form shows the other user's change (409).
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from ontrack.audit.access import note_access
from ontrack.cases.conflicts import OtherEdit
from ontrack.cases.edit_common import conflict_for, safe_next
from ontrack.cases.models import Case
from ontrack.common.access import requires
from ontrack.common.submit import BAD_INPUT, CONFLICT, submit
from ontrack.eligibility import services
from ontrack.eligibility.forms import CaseFactForm, value_labels
from ontrack.eligibility.selectors import recorded_facts
from ontrack.eligibility.views import _visible_case
from ontrack.eligibility.vocabulary import VOCABULARY, Fact


def _recordable(name: str) -> Fact:
    fact = VOCABULARY.get(name)
    if fact is None or not fact.recordable:
        raise Http404
    return fact


def _render(
    request: HttpRequest,
    case: Case,
    fact: Fact,
    form: CaseFactForm,
    conflict: list[OtherEdit] | None = None,
    status: int = 200,
) -> HttpResponse:
    labels = value_labels(fact)
    on_file = [
        (f, labels.get(f.value, f.value))
        for f in recorded_facts(actor=request.user, case_id=case.pk)
        if f.fact == fact.name
    ]
    context = {
        "case": case,
        "fact": fact,
        "form": form,
        "on_file": on_file,
        "conflict": conflict,
        "next": safe_next(request, reverse("cases:detail", args=[case.pk])),
    }
    return render(request, "eligibility/record_fact.html", context, status=status)


@requires("cases.change_case")
def record_fact(request: HttpRequest, case_id: int, fact: str) -> HttpResponse:
    note_access(request, "case.fact_form_viewed", "cases.case", case_id)  # CJIS AU-2
    case = _visible_case(request.user, case_id)
    declared = _recordable(fact)
    if request.method != "POST":
        form = CaseFactForm(fact=declared, initial={"expected_version": case.row_version})
        return _render(request, case, declared, form)
    form = CaseFactForm(request.POST, fact=declared)
    status = BAD_INPUT
    if form.is_valid():
        done = submit(
            form,
            lambda: services.record_case_fact(
                actor=request.user,
                case=case,
                fact=declared.name,
                value=form.cleaned_data["value"],
                method=form.cleaned_data["method"],
                document=form.cleaned_data["document"],
                expected_version=form.cleaned_data["expected_version"],
            ),
        )
        if done.ok:
            return redirect(safe_next(request, reverse("cases:detail", args=[case.pk])))
        status = done.status
        if status == CONFLICT:
            again, conflict = conflict_for(
                request,
                form,
                case,
                {declared.name: (declared.label, value_labels(declared))},
                fact=declared,
            )
            return _render(request, case, declared, again, conflict, status)  # type: ignore[arg-type]
    return _render(request, case, declared, form, status=status)
