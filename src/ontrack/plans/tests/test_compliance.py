"""Compliance from events only: exact statuses, reasons and dates on small frames."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ontrack.plans.compliance import (
    compliance_frame,
    events_frame,
    left_before_graduation,
    promotion_problems,
    requirements_frame,
)

TODAY = dt.date(2025, 7, 31)
LONG_AGO = dt.date(2025, 1, 1)
TESTS = {
    "per_week_by_phase": {"1": 2},
    "missed_counts_as": "positive",
    "dilute_counts_as": "negative",
}


def _judge(
    requirements: list[tuple[Any, ...]], events: list[tuple[Any, ...]]
) -> list[tuple[Any, ...]]:
    frame = compliance_frame(requirements_frame(requirements), events_frame(events), TODAY)
    return [
        (r["requirement_id"], r["status"], r["reason"])
        for r in frame.sort("requirement_id").to_dicts()
    ]


def _event(kind: str, day: int, month: int = 7, **more: Any) -> tuple[Any, ...]:
    return (
        1,
        kind,
        dt.date(2025, month, day),
        more.get("hours"),
        more.get("result", ""),
        more.get("details", {}),
    )


def test_contacts_are_counted_over_the_last_seven_days() -> None:
    contacts = [(1, 1, "contacts", "C", {"per_week": 3}, LONG_AGO, 1)]
    # 24 July is outside the window 25 to 31 July; 25 and 31 are inside.
    events = [_event("contact", 24), _event("contact", 25), _event("contact", 31)]
    assert _judge(contacts, events) == [(1, "behind", "2 of 3 since 25 Jul 2025")]
    assert _judge(contacts, [*events, _event("contact", 28)]) == [
        (1, "on_track", "3 of 3 since 25 Jul 2025")
    ]


def test_missing_is_unknown_until_a_full_window_has_passed() -> None:
    started = dt.date(2025, 7, 28)
    requirements = [
        (1, 1, "contacts", "C", {"per_week": 3}, started, 1),
        (2, 1, "contacts", "C", {"per_week": 3}, None, 1),
    ]
    assert _judge(requirements, []) == [
        (1, "unknown", "the plan began 28 Jul 2025: not a full week to judge yet"),
        (2, "unknown", "the plan began on an unknown day: not a full week to judge yet"),
    ]


def test_a_missed_test_counts_as_positive_when_the_program_says_so() -> None:
    tests = [(1, 1, "drug_tests", "T", TESTS, LONG_AGO, 1)]
    events = [_event("drug_test", 29, result="negative"), _event("drug_test", 30, result="missed")]
    assert _judge(tests, events) == [(1, "violated", "a test counted as positive on 30 Jul 2025")]
    dilute = [_event("drug_test", 29, result="negative"), _event("drug_test", 30, result="dilute")]
    assert _judge(tests, dilute) == [(1, "on_track", "2 of 2 since 25 Jul 2025")]
    no_phase = [(1, 1, "drug_tests", "T", TESTS, LONG_AGO, None)]
    assert _judge(no_phase, dilute) == [(1, "unknown", "the plan sets no target for phase —")]


def test_service_hours_complete_or_recent() -> None:
    service = [(1, 1, "community_service", "S", {"total_hours": 20}, LONG_AGO, 1)]
    assert _judge(service, [_event("service_hours", 5, hours=8)]) == [
        (1, "on_track", "8 of 20; last on 05 Jul 2025")
    ]
    assert _judge(service, [_event("service_hours", 5, month=6, hours=8)]) == [
        (1, "behind", "8 of 20 since 02 Jul 2025")
    ]
    assert _judge(
        service,
        [
            _event("service_hours", 5, month=3, hours=12),
            _event("service_hours", 6, month=3, hours=8),
        ],
    ) == [(1, "on_track", "complete: 20 of 20")]


def test_work_needs_its_verification() -> None:
    work = [
        (
            1,
            1,
            "employment_or_school",
            "W",
            {"hours_per_week": 30, "verified_by_required": True},
            LONG_AGO,
            1,
        )
    ]
    week = [_event("work_hours", 28, hours=15), _event("school_hours", 29, hours=15)]
    assert _judge(work, week) == [
        (1, "behind", "hours recorded but no verification by an employer or school")
    ]
    assert _judge(work, [*week, _event("employment_verified", 2, month=2)]) == [
        (1, "on_track", "30 of 30 since 25 Jul 2025")
    ]


def test_a_missed_hearing_is_a_violation_for_ninety_days() -> None:
    hearings = [(1, 1, "hearings", "H", {"per_month_by_phase": {"1": 1}}, LONG_AGO, 1)]
    assert _judge(hearings, [_event("hearing_missed", 3, month=5)]) == [
        (1, "violated", "missed the hearing of 03 May 2025")
    ]
    assert _judge(hearings, [_event("hearing_missed", 1, month=5)]) == [
        (1, "behind", "0 of 1 since 02 Jul 2025")
    ]


def test_classes_are_matched_by_name_and_what_is_left() -> None:
    requirements = [
        (
            1,
            1,
            "class",
            "Parenting",
            {"class_name": "parenting", "sessions_required": 2},
            LONG_AGO,
            1,
        ),
        (2, 1, "class", "GED", {"class_name": "GED", "sessions_required": 3}, LONG_AGO, 1),
        (3, 1, "phases", "Phases", {"count": 2, "promotion": {"1": {"min_days": 1}}}, LONG_AGO, 1),
    ]
    events = [
        _event("class_attended", 2, details={"class_name": "parenting"}),
        _event("class_attended", 9, details={"class_name": "parenting"}),
        _event("class_attended", 10, month=5, details={"class_name": "GED"}),
    ]
    assert _judge(requirements, events) == [
        (1, "on_track", "complete: 2 of 2"),
        (2, "behind", "1 of 3 since 02 Jul 2025"),
        (3, "on_track", "phase 1 of 2"),
    ]
    rows = compliance_frame(
        requirements_frame(requirements), events_frame(events), TODAY
    ).to_dicts()
    left = left_before_graduation(rows)
    assert left["classes_left"] == [{"label": "GED", "sessions_left": 2.0}]
    assert (left["phase"], left["phases"], left["verified_on"], left["not_met"]) == (
        1,
        2.0,
        None,
        ["GED", "Phases"],
    )


def test_promotion_criteria() -> None:
    since = dt.date(2025, 6, 1)
    events = events_frame(
        [
            _event("drug_test", 10, month=6, result="positive"),
            _event("drug_test", 20, month=7, result="negative"),
            _event("hearing_attended", 15, month=6),
        ]
    )
    criteria = {"min_days": 90, "negative_tests_days": 30, "hearings_attended": 2}
    assert promotion_problems(
        criteria, events, phase_since=since, today=TODAY, missed_positive=True, dilute_positive=True
    ) == [
        # 50 clean days since the positive of 10 June, with a negative test: met.
        "90 days in the phase (60 so far)",
        "2 hearings attended in the phase (1 so far)",
    ]
    no_tests = events_frame([])
    assert promotion_problems(
        {"negative_tests_days": 30},
        no_tests,
        phase_since=since,
        today=TODAY,
        missed_positive=True,
        dilute_positive=True,
    ) == ["30 days of negative tests (60 days, 0 negative tests)"]
