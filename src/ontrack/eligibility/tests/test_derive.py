"""Facts derived from the database as frames (``derive.facts_of_cases``), with the real
catalog (levels from its DOJ rows): priors, enhancements from catalog categories, levels.

The priors cases are regression tests for issue 7: on the old ``_facts_of`` an empty list
of itemised convictions counted as zero felonies when a check reported 3 priors.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from ontrack.cases.models import Case, PriorCountSummary
from ontrack.cases.tests.factories import (
    CaseFactory,
    ChargeFactory,
    PriorRecordFactory,
    assign,
    every_case_reader,
)
from ontrack.eligibility.engine import screen
from ontrack.eligibility.policy import load_policy
from ontrack.eligibility.selectors import case_facts, cases_facts
from ontrack.people.models import Person
from ontrack.people.tests.factories import PersonFactory

pytestmark = pytest.mark.usefixtures("db")

TODAY = dt.date(2026, 11, 30)
HISTORY = ("prior_felony_convictions", "prior_violent_or_serious", "prior_sex_registrable")


def a_case(*, total: int | None = 0, checked: bool = True, **charge: Any) -> Case:
    person = PersonFactory(date_of_birth=dt.date(2001, 5, 5))
    case = CaseFactory(defendant=person)
    fields: dict[str, Any] = {
        "statute_code": "HS 11351", "level": "felony", "offense_date": dt.date(2026, 10, 1),
        "weapon_alleged": False, "gang_alleged": False, "near_school_alleged": False,
    }  # fmt: skip
    fields.update(charge)
    ChargeFactory(case=case, count_number=1, **fields)
    if checked:
        PriorCountSummary.objects.create(person=person, source="rap sheet", total=total)
    return case


def facts(case: Case) -> dict[str, Any]:
    return case_facts(actor=every_case_reader(), case=case, referral_date=TODAY).row(0, named=True)


def history(case: Case) -> tuple[Any, ...]:
    row = facts(case)
    return tuple(row[k] for k in HISTORY)


# --- the priors bug -------------------------------------------------------------------------


def test_a_check_reporting_three_priors_and_listing_none_leaves_history_unknown() -> None:
    case = a_case(total=3)
    assert history(case) == (None, None, None)
    judged = screen(
        case_facts(actor=every_case_reader(), case=case, referral_date=TODAY),
        load_policy("back-on-track"),
    )
    row = judged.row(0, named=True)
    assert (str(row["first_felony"]), str(row["no_violent_or_serious_history"])) == (
        "unknown",
        "unknown",
    )
    assert "prior_felony_convictions" in row["missing"]


def test_three_reported_one_itemised_leaves_the_count_unknown() -> None:
    case = a_case(total=3)
    PriorRecordFactory(
        person=case.defendant, level="misdemeanor", statute_code="VC 23103", category=""
    )
    # VC 23103 is neither violent nor serious, but two priors are not itemised.
    assert history(case) == (None, None, None)


def test_an_itemised_record_still_proves_a_flag() -> None:
    case = a_case(total=3)
    PriorRecordFactory(person=case.defendant, level="felony", statute_code="PC 211", category="")
    # PC 211 is violent (PC 667.5(c)(9)): proven, though the count stays unknown.
    assert history(case) == (None, True, None)


def test_a_zero_total_with_nothing_itemised_is_a_known_clean_history() -> None:
    assert history(a_case(total=0)) == (0, False, False)


def test_no_check_on_file_leaves_the_history_unknown() -> None:
    assert history(a_case(checked=False)) == (None, None, None)


def test_an_unknown_total_leaves_the_count_unknown() -> None:
    case = a_case(total=None)
    PriorRecordFactory(person=case.defendant, level="felony", statute_code="HS 11351", category="")
    assert history(case) == (None, None, None)


def test_a_fully_itemised_history_is_counted() -> None:
    case = a_case(total=2)
    PriorRecordFactory(person=case.defendant, level="felony", statute_code="HS 11351", category="")
    PriorRecordFactory(person=case.defendant, record_type="arrest", level="", statute_code="PC 211")
    # One felony conviction; the arrest for PC 211 is not a conviction.
    assert history(case) == (1, False, False)


def test_a_conviction_of_unknown_level_leaves_the_count_unknown() -> None:
    case = a_case(total=1)
    # PC 148 without its subdivision: DOJ rows 48085/48087 (F) and 48122/48123 (M) are all
    # in force, so the catalog cannot give the level; it has no violent category.
    PriorRecordFactory(person=case.defendant, level="", statute_code="PC 148", category="")
    assert history(case) == (None, False, False)


def test_a_conviction_level_comes_from_the_catalog_on_its_date() -> None:
    case = a_case(total=2)
    # HS 11350(a) before Proposition 47 (2014-11-05): only the felony row (DOJ 35152) is in
    # force. VC 23103 has misdemeanor rows only (54005).
    PriorRecordFactory(
        person=case.defendant, level="", statute_code="HS 11350(a)", category="",
        event_date=dt.date(2013, 1, 1),
    )  # fmt: skip
    PriorRecordFactory(person=case.defendant, level="", statute_code="VC 23103", category="")
    assert history(case) == (1, False, False)
    # After it, a felony and a misdemeanor row (35422) are both in force: level unknown.
    PriorRecordFactory(
        person=case.defendant, level="", statute_code="HS 11350(a)", category="",
        event_date=dt.date(2016, 1, 1),
    )  # fmt: skip
    PriorCountSummary.objects.filter(person=case.defendant).update(total=3)
    assert history(case) == (None, False, False)


def test_a_conviction_whose_category_only_may_apply_leaves_the_flag_unknown() -> None:
    case = a_case(total=1)
    # PC 459 is serious only in the first degree (PC 460(a)); the degree is not given.
    PriorRecordFactory(person=case.defendant, level="felony", statute_code="PC 459", category="")
    assert history(case) == (1, None, False)


# --- enhancements and levels ----------------------------------------------------------------


def test_an_enhancement_code_alleges_it_whatever_the_flags() -> None:
    case = a_case()
    ChargeFactory(case=case, count_number=2, statute_code="PC 12022", weapon_alleged=None)
    ChargeFactory(case=case, count_number=3, statute_code="PC 186.22", gang_alleged=False)
    row = facts(case)
    assert (row["weapon_involved"], row["gang_enhancement"], row["near_school"]) == (
        True,
        True,
        False,
    )


def test_a_flag_counts_and_unrecorded_flags_stay_unknown() -> None:
    row = facts(a_case(weapon_alleged=True, gang_alleged=None))
    assert (row["weapon_involved"], row["gang_enhancement"], row["near_school"]) == (
        True,
        None,
        False,
    )


def test_levels_from_the_catalog_on_the_offense_date() -> None:
    # DOJ rows: HS 11350(a) felony 35152 (from 1984), misdemeanor 35422 (from 2014-11-05);
    # PC 148 bare: felony and misdemeanor subdivision rows; VC 23103: misdemeanor only.
    before = a_case(statute_code="HS 11350(a)", level="", offense_date=dt.date(2014, 11, 4))
    after = a_case(statute_code="HS 11350(a)", level="", offense_date=dt.date(2014, 11, 5))
    wobbler = a_case(statute_code="PC 148", level="")
    misdemeanor = a_case(statute_code="VC 23103", level="")
    assert [facts(c)["charge_level"] for c in (before, after, wobbler, misdemeanor)] == [
        "felony",
        None,  # from 2014-11-05 a felony and a misdemeanor row are both in force
        None,
        "misdemeanor",
    ]


def test_a_case_of_infractions_only_is_an_infraction() -> None:
    case = a_case(statute_code="VC 22350", level="")
    ChargeFactory(case=case, count_number=2, statute_code="VC 4000", level="infraction")
    assert facts(case)["charge_level"] == "infraction"
    ChargeFactory(case=case, count_number=3, statute_code="VC 23103", level="")
    assert facts(case)["charge_level"] == "misdemeanor"


def test_one_unknown_level_below_felony_leaves_the_case_level_unknown() -> None:
    case = a_case(statute_code="VC 23103", level="misdemeanor")
    ChargeFactory(case=case, count_number=2, statute_code="PC 148", level="")
    assert facts(case)["charge_level"] is None
    ChargeFactory(case=case, count_number=3, statute_code="HS 11352", level="felony")
    assert facts(case)["charge_level"] == "felony"


def test_codes_in_count_order_and_offense_date_of_count_one() -> None:
    case = a_case(statute_code="HS 11352(a)", offense_date=dt.date(2026, 10, 2))
    ChargeFactory(
        case=case, count_number=2, statute_code="PC 12022", offense_date=dt.date(2026, 9, 1)
    )
    row = facts(case)
    assert (row["charge_codes"], row["offense_date"], row["charge_categories"]) == (
        "HS 11352(a);PC 12022",
        dt.date(2026, 10, 2),
        None,
    )


def test_many_cases_are_derived_exactly_as_each_one() -> None:
    cases = [a_case(total=3), a_case(total=0, statute_code="PC 211"), a_case(checked=False)]
    PriorRecordFactory(person=cases[0].defendant, level="felony", statute_code="PC 211")
    many = cases_facts(actor=every_case_reader(), cases=Case.objects.all(), referral_date=TODAY)
    ones = [facts(c) for c in sorted(cases, key=lambda c: c.pk)]
    rows = many.drop("__row__").to_dicts()
    assert rows == [{k: v for k, v in one.items() if k != "__row__"} for one in ones]
    assert [r["case_id"] for r in rows] == [str(c.pk) for c in sorted(cases, key=lambda c: c.pk)]


# --- screening a case: the catalog version, cited categories, plausible dates ---------------


def test_a_screening_records_the_catalog_version_and_cites_categories(case_manager: Any) -> None:
    from ontrack.eligibility.services import screen_case

    case = assign(a_case(statute_code="PC 211", offense_date=dt.date(2026, 10, 1)), case_manager)
    screening = screen_case(
        actor=case_manager, case=case, policy="back-on-track", as_of=dt.date(2026, 11, 1)
    )
    from ontrack.offenses.lookup import catalog

    assert re.fullmatch("[0-9a-f]{16}", screening.catalog_version)
    assert screening.catalog_version == catalog().version
    criterion = next(
        c for c in screening.criteria if c["id"] == "no_violent_or_serious_current_charge"
    )
    assert criterion["status"] == "not_met"
    assert dict(criterion["facts_used"])["categories (from the catalog)"] == [
        "PC 211: serious — PC 1192.7(c)(19)",
        "PC 211: violent — PC 667.5(c)(9)",
    ]
    from ontrack.audit.models import AuditEvent

    event = AuditEvent.objects.filter(action="case.screened").get()
    assert event.details["catalog_version"] == catalog().version


def test_implausible_dates_are_refused_and_nothing_is_stored(case_manager: Any) -> None:
    from ontrack.audit.models import AuditEvent
    from ontrack.eligibility.errors import FactsRejected
    from ontrack.eligibility.models import Screening
    from ontrack.eligibility.services import screen_case

    case = assign(a_case(offense_date=dt.date(2026, 10, 1)), case_manager)
    events = AuditEvent.objects.count()
    with pytest.raises(FactsRejected) as error:
        # Referred before the offense.
        screen_case(
            actor=case_manager, case=case, policy="back-on-track", as_of=dt.date(2026, 9, 30)
        )
    assert error.value.report() == (
        f"case {case}: 1 problem; nothing was screened\n"
        "  row 1, column 'referral_date', value '2026-09-30': before the offense date: a case "
        "is referred after its offense"
    )
    Person.objects.filter(pk=case.defendant_id).update(date_of_birth=dt.date(2020, 1, 1))
    with pytest.raises(FactsRejected, match="under 10 years old on the offense date"):
        screen_case(actor=case_manager, case=case, policy="back-on-track")
    assert (Screening.objects.count(), AuditEvent.objects.count()) == (0, events)


def test_bulk_screening_refuses_implausible_dates_naming_the_case() -> None:
    from django.core.management import call_command
    from django.core.management.base import CommandError

    fine = a_case(offense_date=dt.date(2026, 10, 1))
    late = a_case(offense_date=dt.date(2026, 11, 15))
    every_case_reader()
    with pytest.raises(CommandError) as error:
        call_command(
            "screen", "--cases-like", "*", "--policy", "back-on-track", "--as-of", "2026-11-01",
            "--actor", "every-case-reader",
        )  # fmt: skip
    assert error.value.returncode == 2
    # Cases are screened in id order: the second is row 2.
    assert str(error.value) == (
        "cases: 1 problem; nothing was screened\n"
        f"  row 2, column 'referral_date', value '2026-11-01': case id {late.pk}: before the "
        "offense date: a case is referred after its offense"
    )
    assert fine.pk < late.pk


def test_cases_like_screens_the_matching_cases_and_star_screens_all(tmp_path: Any) -> None:
    import polars as pl
    from django.core.management import call_command

    wanted = a_case()
    other = a_case()
    Case.objects.filter(pk=wanted.pk).update(source_key="feed:7:screening")
    Case.objects.filter(pk=other.pk).update(source_key="feed:8:booking")
    out = tmp_path / "out.parquet"
    every_case_reader()
    day = ["--as-of", "2026-11-01", "--out", str(out), "--actor", "every-case-reader"]
    call_command("screen", "--cases-like", "feed:*:screening", "--policy", "back-on-track", *day)
    assert pl.read_parquet(out)["case_id"].to_list() == [str(wanted.pk)]
    call_command("screen", "--cases-like", "*", "--policy", "back-on-track", *day)
    assert pl.read_parquet(out)["case_id"].to_list() == [str(wanted.pk), str(other.pk)]
