"""Writes for eligibility: policy versions, screenings, overrides, recorded facts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from ontrack.audit.services import jsonable, record_event
from ontrack.cases.models import Case
from ontrack.cases.visibility import case_for_update, ensure_visible_case
from ontrack.common.errors import ServiceError, ValidationFailed
from ontrack.common.services import bump_version, ensure_permission
from ontrack.common.text import reason_problem
from ontrack.eligibility.charges import current_catalog
from ontrack.eligibility.decision import Decision
from ontrack.eligibility.engine import ELIGIBLE, INELIGIBLE, NEEDS_INFORMATION, explain
from ontrack.eligibility.facts import check_plausible
from ontrack.eligibility.models import (
    MAX_OVERRIDE_REASON,
    CaseFact,
    PolicyVersionRecord,
    Screening,
    ScreeningOverride,
)
from ontrack.eligibility.policy import (
    PolicyError,
    PolicyVersion,
    load_policy,
    policy_slugs,
    refusal_for_cases,
)
from ontrack.eligibility.selectors import case_facts, decision_of
from ontrack.eligibility.vocabulary import FACTS

# Facts staff may record on a case, and their allowed values: from the vocabulary.
RECORDABLE_FACTS = {f.name: f.allowed for f in FACTS if f.recordable}


@transaction.atomic
def sync_policies(*, actor: Any) -> list[str]:
    """Record every policy version file; an approved version whose file changed is refused."""
    changed: list[str] = []
    for slug in policy_slugs():
        for version in load_policy(slug):
            record = PolicyVersionRecord.objects.filter(policy=slug, label=version.label).first()
            fields = {
                "title": version.title, "effective_from": version.effective_from,
                "effective_to": version.effective_to, "status": version.status,
                "sha256": version.sha256, "document": jsonable_document(version.document),
            }  # fmt: skip
            if record is None:
                record = PolicyVersionRecord.objects.create(
                    policy=slug, label=version.label, **fields
                )
                record_event(
                    actor=actor,
                    action="policy_version.loaded",
                    target=record,
                    details={"sha256": version.sha256},
                )
                changed.append(f"{slug} {version.label}")
            elif record.sha256 != version.sha256:
                if record.status == "approved" and version.status != "retired":
                    raise PolicyError(
                        f"{slug} {version.label} is approved and its file changed; approved "
                        "versions never change: add a new version instead"
                    )
                before = {"status": record.status, "sha256": record.sha256}
                for name, value in fields.items():
                    setattr(record, name, value)
                record.save()
                record_event(
                    actor=actor,
                    action="policy_version.updated",
                    target=record,
                    changes={k: [before[k], fields[k]] for k in before},
                )
                changed.append(f"{slug} {version.label}")
    return changed


def jsonable_document(document: dict[str, Any]) -> dict[str, Any]:
    return {
        k: jsonable(v) if not isinstance(v, dict | list) else _deep(v) for k, v in document.items()
    }


def _deep(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _deep(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_deep(v) for v in value]
    return jsonable(value)


def sync_policies_after_migrate(**kwargs: object) -> None:
    from ontrack.accounts.services import system_actor

    sync_policies(actor=system_actor())


def _version_in_force(slug: str, day: dt.date) -> PolicyVersion:
    for version in load_policy(slug):
        if version.in_force(day):
            return version
    raise PolicyError(f"no version of {slug} is in force on {day}")


@transaction.atomic
def screen_case(*, actor: Any, case: Case, policy: str, as_of: dt.date | None = None) -> Screening:
    ensure_permission(actor, "cases.change_case")
    ensure_visible_case(actor, case)  # CJIS AC-3: who cannot see a case cannot screen it
    day = as_of or timezone.localdate()  # the office's date, not the server's UTC date
    version = _version_in_force(policy, day)
    if refusal := refusal_for_cases(version):  # an example never decides a real case
        raise ServiceError(refusal)
    record = PolicyVersionRecord.objects.filter(policy=policy, label=version.label).first()
    if record is None:
        raise ServiceError(f"{policy} {version.label} is not loaded yet; run ontrack migrate")
    if record.sha256 != version.sha256:
        raise ServiceError(
            f"{policy} {version.label} changed since it was loaded; run ontrack migrate"
        )
    facts = case_facts(actor=actor, case=case, referral_date=day)
    # Dates that cannot be right are refused, not screened (FactsRejected names the fact).
    check_plausible(facts, f"case {case}")
    explanation = explain(facts, version)
    screening = Screening.objects.create(
        case=case, policy_version=record, as_of=day, result=explanation.result,
        catalog_version=current_catalog().version,
        criteria=[
            {"id": c.id, "label": c.label, "citation": c.citation, "status": c.status,
             # A list of pairs, not an object: PostgreSQL's jsonb reorders object keys.
             "facts_used": [[k, jsonable(v)] for k, v in c.facts_used.items()],
             "missing": c.missing}
            for c in explanation.criteria
        ],
        missing=explanation.missing,
        facts={k: jsonable(v) for k, v in explanation.facts.items() if k != "__row__"},
        actor=actor,
    )  # fmt: skip
    # The override in force (if any) still decides; a different computed result is flagged
    # for the supervisor's review (``Decision.conflict``), never silently applied or dropped.
    decision = decision_of(actor=actor, case=case)
    assert decision is not None  # the screening just made is visible to its author
    record_event(
        actor=actor,
        action="case.screened",
        target=case,
        details={
            "screening": screening.pk,
            "policy": policy,
            "version": version.label,
            "result": explanation.result,
            "missing": explanation.missing,
            "catalog_version": screening.catalog_version,
            "decision_in_force": decision.result,
            "for_review": decision.conflict,
        },
    )
    return screening


def _reason(reason: str, what: str, problems: dict[str, str], missing: str) -> str:
    reason = reason.strip()
    if problem := reason_problem(reason, what=what, limit=MAX_OVERRIDE_REASON, missing=missing):
        problems["reason"] = problem
    return reason


def check_override(*, actor: Any, screening: Screening, result: str, reason: str) -> Decision:
    """Everything ``override_screening`` refuses, without writing anything: the confirmation
    step shows what would change only for an override that would be accepted. Returns the
    decision in force now (the one the override would replace)."""
    ensure_permission(actor, "eligibility.override_screening")
    ensure_visible_case(actor, screening.case)  # CJIS AC-3
    problems: dict[str, str] = {}
    if result not in {ELIGIBLE, INELIGIBLE, NEEDS_INFORMATION}:
        problems["result"] = f"{result!r} is not a screening result"
    _reason(reason, "an override reason", problems, "an override needs a reason")
    decision = decision_of(actor=actor, case=screening.case)
    assert decision is not None  # the case has this screening, and the actor sees it
    if decision.current.pk != screening.pk:
        problems["screening"] = (
            f"this screening is superseded by screening {decision.current.pk}; "
            "override the current screening"
        )
    elif result == decision.result:
        problems["result"] = (
            f"the decision in force is already {decision.result_label}: an override must change it"
        )
    if problems:
        raise ValidationFailed(problems)
    return decision


@transaction.atomic
def override_screening(
    *, actor: Any, screening: Screening, result: str, reason: str
) -> ScreeningOverride:
    """A supervisor's decision in place of the current screening's; it stays in force across
    re-screens until withdrawn (``withdraw_override``) or replaced by a newer override."""
    ensure_permission(actor, "eligibility.override_screening")
    # The case row locked first (CJIS AC-3: NotFound when not visible): two supervisors
    # confirming at once are judged one after the other against the decision then in force.
    case_for_update(actor, screening.case)
    before = check_override(actor=actor, screening=screening, result=result, reason=reason)
    reason = reason.strip()
    override = ScreeningOverride.objects.create(
        screening=screening, result=result, reason=reason, actor=actor
    )
    record_event(
        actor=actor,
        action="screening.overridden",
        target=screening.case,
        changes={"result": [before.result, result]},
        details={
            "screening": screening.pk,
            "computed_result": screening.result,
            "replaces_override": before.override.pk if before.override else None,
            "reason": reason,
        },
    )
    return override


@transaction.atomic
def withdraw_override(
    *, actor: Any, override: ScreeningOverride, expected_version: int, reason: str
) -> ScreeningOverride:
    """End the override in force: the case's decision becomes its latest screening's result.

    Optimistic locking (``row_version``): a supervisor who read an older version of the
    override (someone else withdrew or it changed) is told to reload, nothing changed.
    """
    ensure_permission(actor, "eligibility.override_screening")
    override = ScreeningOverride.objects.select_related("screening__case").get(pk=override.pk)
    case = case_for_update(actor, override.screening.case)  # CJIS AC-3; one writer per case
    problems: dict[str, str] = {}
    reason = _reason(reason, "a withdrawal reason", problems, "a withdrawal needs a reason")
    if problems:
        raise ValidationFailed(problems)
    bump_version(override, expected_version)
    decision = decision_of(actor=actor, case=case)
    assert decision is not None
    if decision.override is None or decision.override.pk != override.pk:
        raise ServiceError(
            f"override {override.pk} is not in force (withdrawn or replaced by a newer one); "
            "reload the case"
        )
    override.withdrawn_at = timezone.now()
    override.withdrawn_by = actor
    override.withdrawal_reason = reason
    override.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])
    after = decision.current.result
    record_event(
        actor=actor,
        action="screening.override_withdrawn",
        target=case,
        changes={"result": [override.result, after]},
        details={
            "override": override.pk,
            "screening": override.screening_id,
            "current_screening": decision.current.pk,
            "reason": reason,
        },
    )
    return override


@transaction.atomic
def record_case_fact(
    *,
    actor: Any,
    case: Case,
    fact: str,
    value: str,
    method: str,
    document: str = "",
    expected_version: int | None = None,
) -> CaseFact:
    """Record a fact staff established. A fact is part of the case: the fact form passes the
    CASE's ``expected_version`` it read, so a fact recorded since is never silently
    superseded (ADR 0047); ``None`` for callers that hold no version (the screening page's
    quick form, the API's POST of a new fact)."""
    ensure_permission(actor, "cases.change_case")
    ensure_visible_case(actor, case)  # CJIS AC-3
    problems = {}
    if fact not in RECORDABLE_FACTS:
        problems["fact"] = f"{fact!r} cannot be recorded here"
    elif value not in RECORDABLE_FACTS[fact]:
        problems["value"] = f"must be one of {', '.join(RECORDABLE_FACTS[fact])}"
    if not method.strip():
        problems["method"] = "say how the fact was established"
    if problems:
        raise ValidationFailed(problems)
    details: dict[str, Any] = {}
    if expected_version is not None:
        case = case_for_update(actor, case)
        bump_version(case, expected_version)
        case.save(update_fields=["updated_at"])
        details["version"] = case.row_version
    previous = CaseFact.objects.filter(case=case, fact=fact).first()
    recorded = CaseFact.objects.create(
        case=case,
        fact=fact,
        value=value,
        method=method.strip(),
        document=document.strip(),
        actor=actor,
    )
    record_event(
        actor=actor,
        action="case.fact_recorded",
        target=case,
        changes={fact: [previous.value if previous else None, value]},
        details={"method": recorded.method, "document": recorded.document, **details},
    )
    return recorded
