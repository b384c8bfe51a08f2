"""A tiny pure-Python evaluator of the same policies: a test oracle only, never used by the
product. Written from the policy text, row by row, so that the compiled Polars engine has
an independent implementation to agree with (see test_agreement.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ontrack.eligibility.policy import PolicyVersion
from ontrack.offenses import codes as code_parser
from ontrack.offenses import lookup
from ontrack.offenses.codes import StatuteCode, StatuteCodeError


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


def _parse(text: str) -> StatuteCode | None:
    try:
        return code_parser.parse(text)
    except StatuteCodeError:
        return None


def _codes(facts: dict[str, Any]) -> list[StatuteCode | None] | None:
    text = facts.get("charge_codes")
    if not text:
        return None
    out = [_parse(raw.strip()) for raw in str(text).split(";") if raw.strip()]
    return out or None


def _in_set(code: StatuteCode | None, members: set[str]) -> bool:
    """The code, or its target with fewer subdivisions (modifier kept), is listed."""
    if code is None:
        return False
    for n in range(len(code.subdivisions) + 1):
        shorter = StatuteCode(
            code.book, code.section, code.subdivisions[:n], code.modifier, code.modifier_code
        )
        if shorter.text in members:
            return True
    return False


def _members(listed: tuple[str, ...]) -> set[str]:
    return {c.text if (c := _parse(m)) is not None else m for m in listed}


def _categories(facts: dict[str, Any]) -> tuple[set[str] | None, set[str], bool]:
    """(certain categories, possible ones, every code known)."""
    given = facts.get("charge_categories")
    if given:
        return {c.strip() for c in str(given).split(";") if c.strip()}, set(), True
    codes = _codes(facts)
    if codes is None:
        return None, set(), False
    found: set[str] = set()
    possible: set[str] = set()
    known = True
    for code in codes:
        info = lookup.catalog().lookup(code) if code is not None else None
        if info is None or not info.known:
            known = False
            continue
        found |= info.definite
        possible |= info.possible
    return found, possible - found, known


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
            members = _members(version.value_sets[args["set"]])
            code_ok = None if codes is None else any(_in_set(x, members) for x in codes)
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
            cats, possible, known = _categories(facts)
            wanted = set(args["categories"])
            hit = bool(cats and cats & wanted)
            if cats is None:
                status, need = "unknown", ["charge_codes"]
            elif hit:
                status = "not_met" if c.operator == "none_of_categories" else "met"
            elif not known or possible & wanted:
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
