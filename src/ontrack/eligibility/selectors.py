"""Case facts from OnTrack's own records, so intake and CLI screening share one path.

Rules for deriving a fact (each can leave it unknown; none defaults to a pass):
- ``offense_date``: count 1's offense date, else the earliest recorded.
- ``charge_codes``: the codes of all current charges. When a charge has only a description
  (free text), ``charge_categories`` is derived for all charges from the catalog and the
  charge classifier; one unclassified description leaves the categories unknown.
- ``charge_level``: felony if any charge is; misdemeanor only if every level is known.
- Priors: known only when a criminal-history check is on file (a prior-count summary):
  felony convictions counted from prior records; a conviction whose level is unknown, or a
  count without details, leaves the fact unknown unless the total is zero.
- Enhancements: true if any charge alleges it (flag or statute code), false only when every
  charge records "not alleged".
- ``work_authorization``: the latest recorded case fact.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import polars as pl
from django.db.models import Prefetch, QuerySet

from ontrack.cases.models import Case, Charge, PriorCountSummary, PriorRecord
from ontrack.common.errors import NotFound
from ontrack.eligibility.facts import FACT_TYPES, categories_of, parse_facts
from ontrack.eligibility.models import CaseFact, Screening
from ontrack.offenses.classify import default_classifier
from ontrack.offenses.codes import parents

WEAPON_CODES = ("PC 12022", "PC 12022.5", "PC 12022.53", "HS 11370.1")
GANG_CODES = ("PC 186.22",)
SCHOOL_CODES = ("HS 11353.6",)


def _matches(code: str, roots: tuple[str, ...]) -> bool:
    return code in roots or any(p in roots for p in parents(code))


def _alleged(charges: list[Charge], flag: str, codes: tuple[str, ...]) -> bool | None:
    """True if a charge alleges it (its flag, or an enhancement code such as PC 12022);
    false only when every charge records "not alleged"; otherwise unknown."""
    if any(c.statute_code and _matches(c.statute_code, codes) for c in charges):
        return True
    return _any_true([getattr(c, flag) for c in charges])


def _any_true(flags: list[bool | None]) -> bool | None:
    if any(f is True for f in flags):
        return True
    if flags and all(f is False for f in flags):
        return False
    return None


def _facts_of(case: Case, referral_date: dt.date, recorded: dict[str, str]) -> dict[str, Any]:
    person = case.defendant
    charges: list[Charge] = list(case.charges.all())
    codes = [c.statute_code for c in charges if c.statute_code]
    all_coded = bool(charges) and len(codes) == len(charges)
    # Only when some charge has no code are categories derived here (codes alone go to the
    # engine, which looks them up in the catalog itself).
    categories = None if all_coded else _charge_categories(charges)
    lead = next((c for c in charges if c.count_number == 1 and c.offense_date), None)
    dates = [c.offense_date for c in charges if c.offense_date]
    levels = [c.level for c in charges]
    level = "felony" if "felony" in levels else ("misdemeanor" if levels and all(levels) else None)
    weapon = _alleged(charges, "weapon_alleged", WEAPON_CODES)
    gang = _alleged(charges, "gang_alleged", GANG_CODES)
    school = _alleged(charges, "near_school_alleged", SCHOOL_CODES)
    history = list(person.prior_counts.all())
    priors: list[PriorRecord] = list(person.prior_records.all())
    convictions = [p for p in priors if p.record_type == "conviction"]
    checked = bool(history)
    total_zero = checked and all(h.total == 0 for h in history)
    felony_count: int | None = None
    violent: bool | None = None
    sex: bool | None = None
    if total_zero and not priors:
        felony_count, violent, sex = 0, False, False
    elif checked:
        if all(p.level for p in convictions):
            felony_count = sum(p.level == "felony" for p in convictions)
        prior_cats = [_prior_categories(p) for p in convictions]
        violent = _history_flag(prior_cats, {"violent", "serious"})
        sex = _history_flag(prior_cats, {"sex_registrable"})
    return {
        "case_id": str(case.pk),
        "referral_date": referral_date,
        "date_of_birth": person.date_of_birth,
        "birth_date_earliest": person.birth_date_earliest,
        "birth_date_latest": person.birth_date_latest,
        "offense_date": lead.offense_date if lead else (min(dates) if dates else None),
        "charge_codes": ";".join(codes) or None,
        "charge_level": level,
        "prior_felony_convictions": felony_count,
        "prior_violent_or_serious": violent,
        "prior_sex_registrable": sex,
        "weapon_involved": weapon,
        "gang_enhancement": gang,
        "near_school": school,
        "work_authorization": recorded.get("work_authorization"),
        "charge_categories": ";".join(categories) if categories else None,
        "prior_count": history[0].total if len(history) == 1 else None,
    }  # fmt: skip


def _charge_categories(charges: list[Charge]) -> list[str] | None:
    """The union of every charge's categories (catalog for codes, classifier for text), or
    None — unknown — as soon as one charge cannot be placed."""
    found: set[str] = set()
    for charge in charges:
        if charge.statute_code:
            cats = categories_of(charge.statute_code)
        elif charge.description:
            result = default_classifier().classify(description=charge.description)
            cats = None if result.unclassified else tuple(result.categories)
        else:
            cats = None
        if cats is None:
            return None
        found |= set(cats)
    return sorted(found) if charges else None


def _prior_categories(prior: PriorRecord) -> set[str] | None:
    found = set(categories_of(prior.statute_code) or ()) if prior.statute_code else set()
    if prior.category:
        found.add(prior.category)
    return found or None


def _history_flag(categories: list[set[str] | None], wanted: set[str]) -> bool | None:
    if any(c is not None and c & wanted for c in categories):
        return True
    if all(c is not None for c in categories):
        return False
    return None


def _with_related(cases: QuerySet[Case]) -> QuerySet[Case]:
    return cases.select_related("defendant").prefetch_related(
        Prefetch("charges", queryset=Charge.objects.order_by("count_number")),
        Prefetch("defendant__prior_counts", queryset=PriorCountSummary.objects.order_by("source")),
        "defendant__prior_records",
    )


def facts_frame(rows: Iterable[dict[str, Any]]) -> pl.DataFrame:
    as_text = [
        {
            k: (None if v is None else str(v).lower() if isinstance(v, bool) else str(v))
            for k, v in r.items()
        }
        for r in rows
    ]
    schema = dict.fromkeys(FACT_TYPES, pl.String)
    return parse_facts(pl.DataFrame(as_text, schema=schema))


def case_facts(*, case: Case, referral_date: dt.date) -> pl.DataFrame:
    """One case's facts as a typed one-row frame (the engine's input)."""
    case = _with_related(Case.objects.filter(pk=case.pk)).get()
    recorded = {}
    for fact in CaseFact.objects.filter(case=case).order_by("recorded_at", "id"):
        recorded[fact.fact] = fact.value
    return facts_frame([_facts_of(case, referral_date, recorded)])


def cases_facts(*, cases: QuerySet[Case], referral_date: dt.date) -> pl.DataFrame:
    """Facts for many cases (bulk screening of an imported caseload)."""
    recorded: dict[int, dict[str, str]] = {}
    for fact in CaseFact.objects.filter(case__in=cases).order_by("recorded_at", "id"):
        recorded.setdefault(fact.case_id, {})[fact.fact] = fact.value
    return facts_frame(
        _facts_of(c, referral_date, recorded.get(c.pk, {}))
        for c in _with_related(cases).iterator(chunk_size=2000)
    )


def screenings_of(*, actor: Any, case: Case) -> list[Screening]:
    if not actor.has_perm("cases.view_case"):
        return []
    return list(
        Screening.objects.filter(case=case).select_related("policy_version", "actor")
        .prefetch_related("overrides__actor").order_by("-created_at", "-id")
    )  # fmt: skip


def get_screening(*, actor: Any, screening_id: int) -> Screening:
    """One screening the actor may see, with its case, version, author and overrides (three
    queries); ``NotFound`` when it is missing or not visible (the two look alike)."""
    from ontrack.cases.selectors import visible_cases
    from ontrack.eligibility.models import ScreeningOverride

    screening = (
        Screening.objects.filter(pk=screening_id, case__in=visible_cases(actor=actor))
        .select_related("case__defendant", "policy_version", "actor")
        .prefetch_related(
            Prefetch(
                "overrides",
                queryset=ScreeningOverride.objects.select_related("actor").order_by(
                    "-created_at", "-id"
                ),
            )
        )
        .first()
    )
    if screening is None:
        raise NotFound
    return screening


def recorded_facts(*, actor: Any, case_id: int) -> list[CaseFact]:
    if not actor.has_perm("cases.view_case"):
        return []
    return list(
        CaseFact.objects.filter(case_id=case_id)
        .select_related("actor")
        .order_by("-recorded_at", "-id")
    )
