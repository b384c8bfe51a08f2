"""Referral intake in three steps: the referral and person as referred → the people it may
already be → the case and its charges; then the new case page.

The wizard's state lives in the session (server side), never in the page: a person id
chosen in step 2 is checked against the possible matches the actor was shown, and the
service checks visibility again when it writes (CJIS AC-3).
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from ontrack.audit.access import note_access
from ontrack.common.access import requires
from ontrack.common.errors import NotFound, ValidationFailed
from ontrack.common.services import Forbidden
from ontrack.people.selectors import get_person
from ontrack.referrals import forms, selectors, services
from ontrack.search.selectors import possible_matches

DRAFT = "referral_intake"  # the session key
SEARCH_MAX = 100  # characters of a code search kept (ADR 0024)


def _draft(request: HttpRequest) -> dict[str, Any] | None:
    draft = request.session.get(DRAFT)
    return draft if isinstance(draft, dict) and "referral" in draft else None


def _save(request: HttpRequest, draft: dict[str, Any]) -> None:
    request.session[DRAFT] = draft
    request.session.modified = True


@requires("cases.add_case")
def referral_step(request: HttpRequest) -> HttpResponse:
    """Step 1: who referred whom, and when."""
    programs = selectors.intake_programs(actor=request.user)
    draft = _draft(request)
    if request.method == "POST":
        form = forms.ReferralForm(request.POST, programs=programs)
        if form.is_valid():
            data = form.draft()
            # A changed person means a new duplicate check: the earlier choice is dropped.
            _save(request, {"referral": data, "choice": None})
            return redirect("referrals:person")
        status = 400
    else:
        initial = draft["referral"] if draft else {}
        form = forms.ReferralForm(initial=initial, programs=programs)
        status = 200
    context = {"form": form, "programs": programs, "step": 1}
    return render(request, "referrals/step_referral.html", context, status=status)


def _matches(request: HttpRequest, data: dict[str, Any]) -> list[Any]:
    return possible_matches(
        actor=request.user,
        given_name=data["given_name"],
        family_name=data["family_name"],
        date_of_birth=forms.birth_date(data),
    )


@requires("cases.add_case")
def person_step(request: HttpRequest) -> HttpResponse:
    """Step 2: before anyone is created, the people this may already be, side by side."""
    draft = _draft(request)
    if draft is None:
        return redirect("referrals:new")
    data = draft["referral"]
    matches = _matches(request, data)
    # CJIS AU-2: the candidates shown are people's records; which ones is part of the row.
    note_access(
        request,
        "referral.matches_viewed",
        "people.person",
        row_count=len(matches),
        details={"people": [m.person.pk for m in matches]},
    )
    problem = ""
    may_create = request.user.has_perm("people.add_person")
    if request.method == "POST":
        choice = request.POST.get("choice", "")
        shown = {str(m.person.pk): m.person.pk for m in matches}
        if choice == "new" and may_create:
            _save(request, {**draft, "choice": "new"})
            return redirect("referrals:case")
        if choice in shown:
            _save(request, {**draft, "choice": shown[choice]})
            return redirect("referrals:case")
        problem = (
            "Person: choose one of the people listed or confirm a new person"
            if may_create
            else "Person: choose one of the people listed (you may not create people)"
        )
    context = {
        "data": data,
        "birth_date": forms.birth_date(data),
        "matches": matches,
        "chosen": str(draft.get("choice") or ""),
        "may_create": may_create,
        "problem": problem,
        "step": 2,
    }
    return render(request, "referrals/step_person.html", context, status=400 if problem else 200)


def _chosen_person(request: HttpRequest, draft: dict[str, Any]) -> Any:
    """The person picked in step 2, looked up again as the actor (None: a new person)."""
    choice = draft.get("choice")
    if choice == "new" or choice is None:
        return None
    return get_person(actor=request.user, person_id=int(choice))


@requires("cases.add_case")
def case_step(request: HttpRequest) -> HttpResponse:
    """Step 3: the case and its charges; taking the referral opens the case page."""
    draft = _draft(request)
    if draft is None:
        return redirect("referrals:new")
    if draft.get("choice") is None:
        return redirect("referrals:person")
    data = draft["referral"]
    if isinstance(draft.get("choice"), int):  # CJIS AU-2: the page names a person on file
        note_access(request, "person.viewed", "people.person", draft["choice"])
    try:
        person = _chosen_person(request, draft)
    except NotFound:
        # Gone from the actor's sight since step 2: choose again (nothing was written).
        _save(request, {**draft, "choice": None})
        return redirect("referrals:person")
    problems: dict[str, str] = {}
    if request.method == "POST":
        case_form = forms.CaseForm(request.POST)
        charges = forms.ChargeFormSet(request.POST, prefix="charges")
        program, program_gone = _program(request, data)
        if program_gone:
            problems = {"Program": "you are no longer in the program chosen: choose again"}
        elif case_form.is_valid() and charges.is_valid():
            entered = [f.as_charge() for f in charges.forms if f.has_changed()]
            try:
                referral = services.take_referral(
                    actor=request.user,
                    source=data["source"],
                    referral_date=forms.referral_date(data),
                    referrer_name=data["referrer_name"],
                    referrer_agency=data["referrer_agency"],
                    referrer_contact=data["referrer_contact"],
                    notes=data["notes"],
                    program=program,
                    person=person,
                    new_person=forms.as_new_person(data) if person is None else None,
                    docket_number=case_form.cleaned_data["docket_number"],
                    court=case_form.cleaned_data["court"],
                    filing_date=case_form.cleaned_data["filing_date"],
                    charges=entered,
                )
            except ValidationFailed as exc:
                problems = _place_problems(exc.problems, case_form, charges)
            except Forbidden:
                problems = {"Person": "you may not create people: choose one on file"}
            except NotFound:
                raise Http404 from None
            else:
                request.session.pop(DRAFT, None)
                return redirect("cases:detail", case_id=referral.case_id)
        status = 400
    else:
        case_form = forms.CaseForm()
        charges = forms.ChargeFormSet(prefix="charges")
        status = 200
    context = {
        "data": data,
        "person": person,
        "case_form": case_form,
        "charges": charges,
        "problems": problems,
        "step": 3,
    }
    return render(request, "referrals/step_case.html", context, status=status)


def _program(request: HttpRequest, data: dict[str, Any]) -> tuple[Any, bool]:
    """The program chosen in step 1, and whether it is no longer the actor's to choose (a
    membership ended since): then the case must not silently go to another one."""
    wanted = data.get("program")
    if wanted is None:
        return None, False
    found = next((p for p in selectors.intake_programs(actor=request.user) if p.pk == wanted), None)
    return found, found is None


def _place_problems(
    problems: dict[str, str], case_form: forms.CaseForm, charges: Any
) -> dict[str, str]:
    """Each problem on its field where the field is on this page; the rest (step 1's),
    in words, for the summary."""
    elsewhere: dict[str, str] = {}
    for name, message in problems.items():
        if name in case_form.fields:
            case_form.add_error(name, message)
            continue
        if name.startswith("charges[") and "]" in name:
            count, _, rest = name[len("charges[") :].partition("]")
            field = rest.lstrip(".")
            index = int(count) - 1 if count.isdigit() else -1
            changed = [f for f in charges.forms if f.has_changed()]
            if 0 <= index < len(changed):
                changed[index].add_error(field if field in changed[index].fields else None, message)
                continue
        elsewhere[forms.problem_label(name)] = message
    return elsewhere


@requires("cases.add_case")
def code_suggestions(request: HttpRequest) -> HttpResponse:
    """The options of the statute-code list while a code is typed (HTMX, one input's value)."""
    keys = [k for k in request.GET if k == "q" or k.endswith("statute_code")]
    typed = request.GET.get(keys[0], "")[:SEARCH_MAX] if keys else ""
    found = selectors.code_suggestions(actor=request.user, query=typed)
    return render(request, "referrals/_codes.html", {"suggestions": found})
