"""A tiny pure-Python evaluator of the same policies: a test oracle only, never used by the
product. Written from the policy text, row by row, so that the compiled Polars engine has
an independent implementation to agree with (see test_agreement.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ontrack.eligibility.facts import categories_of
from ontrack.eligibility.policy import PolicyVersion
from ontrack.offenses.codes import StatuteCodeError, normalise


def _age(born: dt.date, on: dt.date) -> int:
    # A 29 February birthday is celebrated on 1 March in common years.
    if born.month == 2 and born.day == 29:
        try:
            birthday = dt.date(on.year, 2, 29)
        except ValueError:
            birthday = dt.date(on.year, 3, 1)
    else:
        birthday = born.replace(year=on.year)
    return on.year - born.year - (1 if on < birthday else 0)


def _codes(facts: dict[str, Any]) -> list[str] | None:
    text = facts.get("charge_codes")
    if not text:
        return None
    out = []
    for raw in str(text).split(";"):
        raw = raw.strip()
        if not raw:
            continue
        try:
            out.append(normalise(raw))
        except StatuteCodeError:
            parts = raw.replace(".", " ", 1).split(None, 1) if raw[:1].isalpha() else [raw]
            out.append(" ".join([parts[0].upper(), *parts[1:]]) if len(parts) > 1 else raw.upper())
    return out or None


def _categories(facts: dict[str, Any]) -> tuple[set[str] | None, bool]:
    given = facts.get("charge_categories")
    if given:
        return {c.strip() for c in str(given).split(";") if c.strip()}, True
    codes = _codes(facts)
    if codes is None:
        return None, False
    found: set[str] = set()
    known = True
    for code in codes:
        cats = categories_of(code)
        if cats is None:
            known = False
        else:
            found |= set(cats)
    return found, known


def judge(facts: dict[str, Any], version: PolicyVersion) -> dict[str, Any]:
    statuses: dict[str, str] = {}
    missing: set[str] = set()
    for c in version.criteria:
        args = c.args
        need: list[str] = []
        if c.operator == "age_between":
            born = facts.get("date_of_birth")
            on = facts.get("offense_date")
            ages: tuple[int, int] | None = None
            if born and on:
                ages = (_age(born, on), _age(born, on))
            elif on and facts.get("birth_date_earliest") and facts.get("birth_date_latest"):
                ages = (
                    _age(facts["birth_date_latest"], on),
                    _age(facts["birth_date_earliest"], on),
                )
            if ages is not None and args["min"] <= ages[0] and ages[1] <= args["max"]:
                status = "met"
            elif ages is not None and (ages[1] < args["min"] or ages[0] > args["max"]):
                status = "not_met"
            else:
                status = "unknown"
                need = [f for f in ("date_of_birth", "offense_date") if facts.get(f) is None]
        elif c.operator == "charge_in_set":
            level, codes = facts.get("charge_level"), _codes(facts)
            level_ok = None if level is None else level == args["level"]
            code_ok = (
                None if codes is None else any(x in version.value_sets[args["set"]] for x in codes)
            )
            if level_ok is False or code_ok is False:
                status = "not_met"
            elif level_ok and code_ok:
                status = "met"
            else:
                status = "unknown"
                need = [
                    f for f, v in (("charge_level", level), ("charge_codes", codes)) if v is None
                ]
        elif c.operator in {"none_of_categories", "any_of_categories"}:
            cats, known = _categories(facts)
            hit = bool(cats and cats & set(args["categories"]))
            if cats is None:
                status, need = "unknown", ["charge_codes"]
            elif hit:
                status = "not_met" if c.operator == "none_of_categories" else "met"
            elif not known:
                status, need = "unknown", ["charge_categories"]
            else:
                status = "met" if c.operator == "none_of_categories" else "not_met"
        else:
            value = facts.get(args["fact"])
            if value is None:
                status, need = "unknown", [args["fact"]]
            elif c.operator == "is_zero":
                status = "met" if value == 0 else "not_met"
            elif c.operator == "at_most":
                status = "met" if value <= args["max"] else "not_met"
            elif c.operator == "is_false":
                status = "met" if value is False else "not_met"
            else:
                status = "met" if value == args["value"] else "not_met"
        statuses[c.id] = status
        if status == "unknown":
            missing.update(need)
    values = statuses.values()
    result = (
        "ineligible"
        if "not_met" in values
        else "needs_information"
        if "unknown" in values
        else "eligible"
    )
    return {"result": result, "criteria": statuses, "missing": sorted(missing)}
