"""Eligibility pages: screening a case, a screening's explanation, policies and their changes.

Thin: reads go through selectors (and the policy files), every write is a POST to a service.
A refused write re-renders its form with the service's messages beside the fields (HTTP 400)
and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from ontrack.accounts.session_limits import requires_recent_auth
from ontrack.audit.access import note_access
from ontrack.cases.models import Case
from ontrack.cases.selectors import get_case
from ontrack.common.access import requires
from ontrack.common.errors import NotFound
from ontrack.common.http import HtmxHttpRequest
from ontrack.common.submit import BAD_INPUT, submit
from ontrack.common.words import in_words
from ontrack.eligibility import services
from ontrack.eligibility.decision import Decision, decision_in_force
from ontrack.eligibility.describe import (
    PolicyDiff,
    describe,
    diff_versions,
    operator_call,
)
from ontrack.eligibility.forms import (
    RESULT_LABELS,
    WORK_AUTHORIZATION_LABELS,
    OverrideForm,
    ScreenForm,
    WithdrawForm,
    WorkAuthorizationForm,
)
from ontrack.eligibility.models import (
    PolicyVersionRecord,
    Screening,
    ScreeningOverride,
)
from ontrack.eligibility.operators import MET, NOT_MET, UNKNOWN
from ontrack.eligibility.policy import (
    Criterion,
    PolicyError,
    PolicyVersion,
    case_policies,
    load_policy,
    policy_slugs,
)
from ontrack.eligibility.selectors import (
    decision_of,
    get_screening,
    recorded_facts,
    screenings_of,
)
from ontrack.eligibility.supply import needed_facts
from ontrack.eligibility.vocabulary import VOCABULARY

STATUS_LABELS = {MET: "Met", NOT_MET: "Not met", UNKNOWN: "Needs information"}
WORK_AUTHORIZATION = "work_authorization"


# --- reads the pages share ---------------------------------------------------------------------


def _visible_case(actor: Any, case_id: int) -> Case:
    """The case, or 404 when it is missing or the actor may not see it (the two look alike)."""
    try:
        return get_case(actor=actor, case_id=case_id)
    except NotFound:
        raise Http404 from None


def _visible_screening(actor: Any, screening_id: int) -> Screening:
    try:
        return get_screening(actor=actor, screening_id=screening_id)
    except NotFound:
        raise Http404 from None


def override_state(override: ScreeningOverride, decision: Decision | None) -> str:
    """Whether an override decides the case, in words: in force, withdrawn, or replaced."""
    if override.withdrawn_at is not None:
        by = override.withdrawn_by.get_username() if override.withdrawn_by else "unknown"
        return (
            f"Withdrawn by {by} on {timezone.localdate(override.withdrawn_at).isoformat()}: "
            f"{override.withdrawal_reason}"
        )
    in_force = decision.override if decision is not None else None
    if in_force is not None and in_force.pk == override.pk:
        return "In force"
    return "Replaced by a newer override"


def _screenable_policies() -> list[str]:
    """Policies offered for a real case: valid and not an example (``policy.case_policies``)."""
    return case_policies()


def _display(value: Any) -> str:
    """A fact's value as the page shows it; ``None`` is "unknown", never blank."""
    if value is None:
        return "unknown"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value) if value else "none"
    return str(value)


# --- the case page's screening section ---------------------------------------------------------


@dataclass(frozen=True)
class PastScreening:
    screening: Screening
    result_label: str
    current: bool
    overrides: list[tuple[ScreeningOverride, str, str]]  # override, result label, state


def _override_rows(
    screening: Screening, decision: Decision | None
) -> list[tuple[ScreeningOverride, str, str]]:
    """A screening's overrides, newest first (prefetched in that order: no query)."""
    return [
        (o, RESULT_LABELS.get(o.result, o.result), override_state(o, decision))
        for o in screening.overrides.all()
    ]


def _render_case_screenings(
    request: HtmxHttpRequest, case: Case, form: ScreenForm, status: int = 200
) -> HttpResponse:
    screenings = screenings_of(actor=request.user, case=case)
    decision = decision_in_force(screenings)
    rows = [
        PastScreening(
            s,
            RESULT_LABELS.get(s.result, s.result),
            decision is not None and decision.current.pk == s.pk,
            _override_rows(s, decision),
        )
        for s in screenings
    ]
    current = decision.current if decision is not None else None
    context = {
        "case": case,
        "decision": decision,
        # What the screening in force waits for, each linked to the form that supplies it.
        "missing": needed_facts(
            case,
            current.missing if current is not None else [],
            list(case.charges.order_by("count_number")),
            back=reverse("cases:detail", args=[case.pk]),
        ),
        "form": form,
        "policies": form.fields["policy"].choices,  # type: ignore[attr-defined]
        "selected_policy": form.data.get("policy") or form.initial.get("policy", ""),
        "as_of_value": form.data.get("as_of", form.initial.get("as_of", "")),
        "screenings": rows,
    }
    # Loaded into the case page by HTMX; without JavaScript it is a page of its own.
    template = (
        "eligibility/_case_screenings.html" if request.htmx else "eligibility/case_screenings.html"
    )
    return render(request, template, context, status=status)


@requires("cases.view_case")
def case_screenings(request: HtmxHttpRequest, case_id: int) -> HttpResponse:
    note_access(request, "case.screenings_viewed", "cases.case", case_id)  # CJIS AU-2
    case = _visible_case(request.user, case_id)
    policies = _screenable_policies()
    form = ScreenForm(
        policies=policies,
        initial={
            "policy": policies[0] if policies else "",
            "as_of": timezone.localdate().isoformat(),
        },
    )
    return _render_case_screenings(request, case, form)


@requires("cases.change_case")
@require_POST
def screen(request: HtmxHttpRequest, case_id: int) -> HttpResponse:
    case = _visible_case(request.user, case_id)
    form = ScreenForm(request.POST, policies=_screenable_policies())
    status = BAD_INPUT
    if form.is_valid():
        as_of: dt.date | None = form.cleaned_data.get("as_of")
        done = submit(
            form,
            lambda: services.screen_case(
                actor=request.user, case=case, policy=form.cleaned_data["policy"], as_of=as_of
            ),
            errors={
                PolicyError: ("as_of", None),
                PolicyVersionRecord.DoesNotExist: (
                    "policy",
                    "this policy version is not loaded yet: run ontrack migrate",
                ),
            },
        )
        if done.ok and done.value is not None:
            return redirect("eligibility:screening", screening_id=done.value.pk)
        status = done.status
    return _render_case_screenings(request, case, form, status=status)


# --- one screening -----------------------------------------------------------------------------


@dataclass(frozen=True)
class FactUsed:
    name: str
    value: str
    unknown: bool

    @property
    def label(self) -> str:
        """The fact's meaning; a key the engine adds for an explanation, in words."""
        known = VOCABULARY.get(self.name)
        return known.meaning if known else in_words(self.name)


@dataclass(frozen=True)
class CriterionRow:
    id: str
    label: str
    citation: str
    status: str
    status_label: str
    facts: list[FactUsed]
    missing: list[str]


def _fact_label(name: str) -> str:
    fact = VOCABULARY.get(name)
    return fact.label if fact is not None else name.replace("_", " ")


def _criterion_rows(screening: Screening) -> list[CriterionRow]:
    rows = []
    for c in screening.criteria:
        used = c.get("facts_used") or []  # [[fact, value], ...] in the criterion's order
        rows.append(
            CriterionRow(
                id=c["id"],
                label=c["label"],
                citation=c["citation"],
                status=c["status"],
                status_label=STATUS_LABELS.get(c["status"], c["status"]),
                facts=[FactUsed(k, in_words(_display(v)), v is None) for k, v in used],
                missing=list(c.get("missing") or []),
            )
        )
    return rows


def _render_screening(
    request: HttpRequest,
    screening: Screening,
    *,
    fact_form: WorkAuthorizationForm | None = None,
    override_form: OverrideForm | None = None,
    withdraw_form: WithdrawForm | None = None,
    status: int = 200,
) -> HttpResponse:
    decision = decision_of(actor=request.user, case=screening.case)
    recorded = recorded_facts(actor=request.user, case_id=screening.case_id)
    work_authorization = screening.facts.get(WORK_AUTHORIZATION)
    context = {
        "screening": screening,
        "case": screening.case,
        "result_label": RESULT_LABELS.get(screening.result, screening.result),
        "decision": decision,
        "superseded": decision is not None and decision.current.pk != screening.pk,
        "overrides": _override_rows(screening, decision),
        "withdraw_form": withdraw_form or WithdrawForm(),
        "criteria": _criterion_rows(screening),
        "missing": needed_facts(
            screening.case,
            screening.missing,
            list(screening.case.charges.order_by("count_number")),
            back=reverse("eligibility:screening", args=[screening.pk]),
        ),
        "recorded": [
            (f, _fact_label(f.fact), WORK_AUTHORIZATION_LABELS.get(f.value, f.value))
            for f in recorded
        ],
        "work_authorization_missing": WORK_AUTHORIZATION in screening.missing,
        "work_authorization_label": (
            WORK_AUTHORIZATION_LABELS.get(work_authorization, work_authorization)
            if work_authorization
            else ""
        ),
        "work_authorization_options": list(WORK_AUTHORIZATION_LABELS.items()),
        "result_options": list(RESULT_LABELS.items()),
        "fact_form": fact_form or WorkAuthorizationForm(),
        "override_form": override_form or OverrideForm(),
        # The fact form opens itself when it is what the screening waits for or was refused.
        "fact_form_open": WORK_AUTHORIZATION in screening.missing or fact_form is not None,
    }
    return render(request, "eligibility/screening_detail.html", context, status=status)


@requires("cases.view_case")
def screening_detail(request: HttpRequest, screening_id: int) -> HttpResponse:
    note_access(request, "screening.viewed", "eligibility.screening", screening_id)  # CJIS AU-2
    return _render_screening(request, _visible_screening(request.user, screening_id))


@requires("cases.change_case")
@require_POST
def record_work_authorization(request: HttpRequest, screening_id: int) -> HttpResponse:
    """Record the fact, then screen again with the same policy and as-of date (one transaction:
    either both happen or neither)."""
    screening = _visible_screening(request.user, screening_id)
    form = WorkAuthorizationForm(request.POST)
    status = BAD_INPUT
    if form.is_valid():

        def record_and_screen() -> Screening:
            with transaction.atomic():
                services.record_case_fact(
                    actor=request.user,
                    case=screening.case,
                    fact=WORK_AUTHORIZATION,
                    value=form.cleaned_data["value"],
                    method=form.cleaned_data["method"],
                    document=form.cleaned_data["document"],
                )
                return services.screen_case(
                    actor=request.user,
                    case=screening.case,
                    policy=screening.policy_version.policy,
                    as_of=screening.as_of,
                )

        done = submit(form, record_and_screen, errors={PolicyError: (None, None)})
        if done.ok and done.value is not None:
            return redirect("eligibility:screening", screening_id=done.value.pk)
        status = done.status
    return _render_screening(request, screening, fact_form=form, status=status)


@requires("eligibility.override_screening")
@require_POST
@requires_recent_auth  # CJIS IA-11: overriding a screening decides a person's eligibility
def override(request: HttpRequest, screening_id: int) -> HttpResponse:
    """Two steps: the first POST shows what would change and asks to confirm (nothing is
    written); the second, with ``confirm``, overrides. The service checks both times."""
    screening = _visible_screening(request.user, screening_id)
    form = OverrideForm(request.POST)
    status = BAD_INPUT
    if form.is_valid():
        result, reason = form.cleaned_data["result"], form.cleaned_data["reason"]
        if request.POST.get("confirm") != "yes":
            checked = submit(
                form,
                lambda: services.check_override(
                    actor=request.user, screening=screening, result=result, reason=reason
                ),
            )
            if checked.ok:
                return render(
                    request,
                    "eligibility/override_confirm.html",
                    {
                        "screening": screening,
                        "case": screening.case,
                        "before": checked.value,
                        "result": result,
                        "result_label": RESULT_LABELS[result],
                        "reason": reason.strip(),
                    },
                )
            status = checked.status
        else:
            done = submit(
                form,
                lambda: services.override_screening(
                    actor=request.user, screening=screening, result=result, reason=reason
                ),
            )
            if done.ok:
                return redirect("eligibility:screening", screening_id=screening.pk)
            status = done.status
    return _render_screening(request, screening, override_form=form, status=status)


# --- policies ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PolicyListing:
    slug: str
    versions: list[PolicyVersion]
    error: str


@requires("offenses.view_statute")
def policy_list(request: HttpRequest) -> HttpResponse:
    listings = []
    for slug in policy_slugs():
        try:
            listings.append(PolicyListing(slug, load_policy(slug), ""))
        except PolicyError as exc:
            listings.append(PolicyListing(slug, [], str(exc)))
    return render(request, "eligibility/policy_list.html", {"policies": listings})


@dataclass(frozen=True)
class VersionView:
    version: PolicyVersion
    criteria: list[tuple[Criterion, str, str]]  # criterion, operator call, in words


@requires("offenses.view_statute")
def policy_detail(request: HttpRequest, slug: str) -> HttpResponse:
    if slug not in policy_slugs():
        raise Http404
    try:
        versions = load_policy(slug)
    except PolicyError as exc:
        return render(request, "eligibility/policy_detail.html", {"slug": slug, "error": str(exc)})
    labels = [v.label for v in versions]
    by_label = {v.label: v for v in versions}
    older = request.GET.get("from") or (labels[-2] if len(labels) >= 2 else "")
    newer = request.GET.get("to") or (labels[-1] if len(labels) >= 2 else "")
    diff: PolicyDiff | None = None
    diff_error = ""
    status = 200
    if older and newer:
        if older in by_label and newer in by_label:
            diff = diff_versions(by_label[older], by_label[newer])
        else:
            unknown = [x for x in (older, newer) if x not in by_label]
            diff_error = (
                f"no version {', '.join(unknown)} of {slug}; available: {', '.join(labels)}"
            )
            status = 400
    context = {
        "slug": slug,
        "versions": [
            VersionView(v, [(c, operator_call(c), describe(c)) for c in v.criteria])
            for v in versions
        ],
        "labels": labels,
        "from_label": older,
        "to_label": newer,
        "diff": diff,
        "diff_added": [(c, operator_call(c), describe(c)) for c in diff.added] if diff else [],
        "diff_removed": [(c, operator_call(c), describe(c)) for c in diff.removed] if diff else [],
        "diff_error": diff_error,
    }
    return render(request, "eligibility/policy_detail.html", context, status=status)
