"""Compliance, derived from events only (never typed in), for many participants at once.

``compliance_frame`` takes one frame of requirements and one of events (all participants:
columnar, not a loop per participant) and returns one row per requirement with its status,
the reason in words and the dates it looked at. Recomputed on every read; nothing is stored.

Statuses: ``on_track``, ``behind``, ``violated`` and ``unknown``. Unknown is not yes: when the
plan has not run a full window yet (a week for contacts, tests and hours; 30 days for service,
classes, hearings and child support), or the requirement names no target for the current
phase, the status is ``unknown`` unless the events already show the target met. Windows end
today: the last 7 days, the last 30 days (rolling, so a Monday is judged like a Friday).
Where the targets come from: ``plans/kinds.py`` (BJA FS 000316; All Rise (NADCP) Adult
Treatment Court Best Practice Standards, vol. I, standard VII for drug testing).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

import polars as pl

from ontrack.plans.models import EventKind as E
from ontrack.plans.models import RequirementKind as K

WEEK = 7
MONTH = 30
HEARING_LOOKBACK = 90  # a missed hearing counts against the participant for 90 days

REQUIREMENT_COLUMNS = (
    "requirement_id",
    "enrollment_id",
    "kind",
    "label",
    "parameters",
    "starts_on",
    "phase",
)
EVENT_COLUMNS = ("enrollment_id", "kind", "occurred_on", "hours", "result", "details")
# Kinds judged by what is done in total (complete at graduation), not by the recent pace.
CUMULATIVE = (K.COMMUNITY_SERVICE, K.CLASS, K.PHASES)


def _targets(kind: str, p: dict[str, Any], phase: int | None) -> tuple[Any, ...]:
    """(target, class_name, verify_required, missed_positive, dilute_positive)."""
    by_phase = p.get("per_week_by_phase") or p.get("per_month_by_phase")
    targets: dict[str, Any] = {
        K.EMPLOYMENT_OR_SCHOOL: p.get("hours_per_week"),
        K.COMMUNITY_SERVICE: p.get("total_hours"),
        K.CLASS: p.get("sessions_required"),
        K.CHILD_SUPPORT: p.get("monthly"),
        K.CONTACTS: p.get("per_week"),
        K.PHASES: p.get("count"),
    }
    target = targets.get(kind)
    if kind in (K.HEARINGS, K.DRUG_TESTS):
        target = by_phase.get(str(phase)) if by_phase and phase is not None else None
    return (
        None if target is None else float(target),
        p.get("class_name"),
        p.get("verified_by_required") is True,
        p.get("missed_counts_as") == "positive",
        p.get("dilute_counts_as") == "positive",
    )


def requirements_frame(rows: Iterable[Sequence[Any]]) -> pl.DataFrame:
    """Rows of ``REQUIREMENT_COLUMNS`` → the frame, each kind's parameters as columns."""
    data = [(*r[:4], r[5], r[6], *_targets(r[2], r[4] or {}, r[6])) for r in rows]
    schema = {
        "requirement_id": pl.Int64,
        "enrollment_id": pl.Int64,
        "kind": pl.Utf8,
        "label": pl.Utf8,
        "starts_on": pl.Date,
        "phase": pl.Int64,
        "target": pl.Float64,
        "class_name": pl.Utf8,
        "verify_required": pl.Boolean,
        "missed_positive": pl.Boolean,
        "dilute_positive": pl.Boolean,
    }
    return pl.DataFrame(data, schema=schema, orient="row")


def events_frame(rows: Iterable[Sequence[Any]]) -> pl.DataFrame:
    """Rows of ``EVENT_COLUMNS`` (voided events already left out) → the frame."""
    data = [
        (
            r[0],
            r[1],
            r[2],
            None if r[3] is None else float(r[3]),
            r[4] or None,
            (r[5] or {}).get("class_name"),
            _amount((r[5] or {}).get("amount")),
        )
        for r in rows
    ]
    schema = {
        "enrollment_id": pl.Int64,
        "kind": pl.Utf8,
        "occurred_on": pl.Date,
        "hours": pl.Float64,
        "result": pl.Utf8,
        "class_name": pl.Utf8,
        "amount": pl.Float64,
    }
    return pl.DataFrame(data, schema=schema, orient="row")


def _amount(value: Any) -> float | None:
    try:
        return float(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def _features(events: pl.DataFrame, today: dt.date) -> tuple[pl.DataFrame, pl.DataFrame]:
    week = today - dt.timedelta(days=WEEK - 1)
    month = today - dt.timedelta(days=MONTH - 1)
    kind, on = pl.col("kind"), pl.col("occurred_on")
    in_week, in_month = on.is_between(week, today), on.is_between(month, today)
    test = kind == E.DRUG_TEST

    def last(condition: pl.Expr) -> pl.Expr:
        return on.filter(condition).max()

    per_enrollment = events.group_by("enrollment_id").agg(
        svc_total=pl.col("hours").filter(kind == E.SERVICE_HOURS).sum(),
        svc_last=last(kind == E.SERVICE_HOURS),
        ws_week=pl.col("hours").filter(kind.is_in([E.WORK_HOURS, E.SCHOOL_HOURS]) & in_week).sum(),
        verified_on=last(kind.is_in([E.EMPLOYMENT_VERIFIED, E.SCHOOL_VERIFIED])),
        contacts_week=(kind == E.CONTACT).and_(in_week).sum(),
        hearings_month=(kind == E.HEARING_ATTENDED).and_(in_month).sum(),
        missed_hearing_on=last(
            (kind == E.HEARING_MISSED)
            & on.is_between(today - dt.timedelta(days=HEARING_LOOKBACK), today)
        ),
        tests_week=test.and_(in_week).sum(),
        positive_on=last(test & (pl.col("result") == "positive") & in_month),
        missed_on=last(test & (pl.col("result") == "missed") & in_month),
        dilute_on=last(test & (pl.col("result") == "dilute") & in_month),
        support_month=pl.col("amount").filter((kind == E.CHILD_SUPPORT_PAID) & in_month).sum(),
    )
    classes = (
        events.filter(kind.is_in([E.CLASS_ATTENDED, E.CLASS_COMPLETED]))
        .group_by("enrollment_id", "class_name")
        .agg(
            class_done=(kind == E.CLASS_ATTENDED).sum().cast(pl.Float64),
            class_last=last(kind == E.CLASS_ATTENDED),
            class_completed_on=last(kind == E.CLASS_COMPLETED),
        )
    )
    return per_enrollment, classes


def _fmt(value: pl.Expr) -> pl.Expr:
    return value.round(1).cast(pl.Utf8).str.strip_suffix(".0")


def compliance_frame(
    requirements: pl.DataFrame, events: pl.DataFrame, today: dt.date
) -> pl.DataFrame:
    """One row per requirement: ``status``, ``reason``, ``done``, ``target``, ``complete``
    (done in full: what graduation asks of service, classes and phases), ``window_from`` /
    ``window_to`` (the days looked at) and ``last_on`` (the event the reason names)."""
    per_enrollment, classes = _features(events, today)
    week_from = today - dt.timedelta(days=WEEK - 1)
    month_from = today - dt.timedelta(days=MONTH - 1)
    f = requirements.join(per_enrollment, on="enrollment_id", how="left").join(
        classes, on=["enrollment_id", "class_name"], how="left"
    )
    kind, target, starts = pl.col("kind"), pl.col("target"), pl.col("starts_on")
    weekly = kind.is_in([K.EMPLOYMENT_OR_SCHOOL, K.CONTACTS, K.DRUG_TESTS])
    window_from = pl.when(weekly).then(pl.lit(week_from)).otherwise(pl.lit(month_from))
    full_window = starts.is_not_null() & (starts <= window_from)
    done = (
        pl.when(kind == K.EMPLOYMENT_OR_SCHOOL)
        .then(pl.col("ws_week"))
        .when(kind == K.COMMUNITY_SERVICE)
        .then(pl.col("svc_total"))
        .when(kind == K.CLASS)
        .then(pl.col("class_done"))
        .when(kind == K.CHILD_SUPPORT)
        .then(pl.col("support_month"))
        .when(kind == K.HEARINGS)
        .then(pl.col("hearings_month").cast(pl.Float64))
        .when(kind == K.CONTACTS)
        .then(pl.col("contacts_week").cast(pl.Float64))
        .when(kind == K.DRUG_TESTS)
        .then(pl.col("tests_week").cast(pl.Float64))
        .when(kind == K.PHASES)
        .then(pl.col("phase").cast(pl.Float64))
    ).fill_null(pl.when(kind == K.PHASES).then(None).otherwise(0.0))
    f = f.with_columns(done=done, window_from=window_from, window_to=pl.lit(today))
    d = pl.col("done")
    positive_on = pl.max_horizontal(
        pl.col("positive_on"),
        pl.when(pl.col("missed_positive")).then(pl.col("missed_on")),
        pl.when(pl.col("dilute_positive")).then(pl.col("dilute_on")),
    )
    recent = (
        pl.when(kind == K.COMMUNITY_SERVICE)
        .then(pl.col("svc_last"))
        .when(kind == K.CLASS)
        .then(pl.col("class_last"))
    )
    complete = (
        pl.when(kind == K.CLASS)
        .then(pl.col("class_completed_on").is_not_null() | (d >= target))
        .when(kind.is_in([K.COMMUNITY_SERVICE, K.PHASES]))
        .then(d >= target)
        .otherwise(None)
    ).fill_null(pl.when(kind.is_in(list(CUMULATIVE))).then(False))
    f = f.with_columns(complete=complete, positive_counted_on=positive_on, recent_on=recent)
    verified_ok = pl.col("verified_on").is_not_null() | ~pl.col("verify_required")
    progress = pl.format("{} of {}", _fmt(d), _fmt(target))
    since = pl.format("since {}", pl.col("window_from").dt.strftime("%d %b %Y"))
    rules = (
        pl.when(kind == K.PHASES)
        .then(
            pl.when(pl.col("phase").is_null())
            .then(pl.lit("unknown|not in a phase (not active)"))
            .otherwise(pl.format("on_track|phase {}", progress))
        )
        .when((kind == K.HEARINGS) & pl.col("missed_hearing_on").is_not_null())
        .then(
            pl.format(
                "violated|missed the hearing of {}",
                pl.col("missed_hearing_on").dt.strftime("%d %b %Y"),
            )
        )
        .when((kind == K.DRUG_TESTS) & pl.col("positive_counted_on").is_not_null())
        .then(
            pl.format(
                "violated|a test counted as positive on {}",
                pl.col("positive_counted_on").dt.strftime("%d %b %Y"),
            )
        )
        .when((kind == K.DRUG_TESTS) & pl.col("missed_on").is_not_null())
        .then(pl.format("behind|a missed test on {}", pl.col("missed_on").dt.strftime("%d %b %Y")))
        .when(target.is_null())
        .then(
            pl.format(
                "unknown|the plan sets no target for phase {}",
                pl.col("phase").cast(pl.Utf8).fill_null("—"),
            )
        )
        .when(pl.col("complete").fill_null(False))
        .then(pl.format("on_track|complete: {}", progress))
        .when((kind == K.EMPLOYMENT_OR_SCHOOL) & (d >= target) & ~verified_ok)
        .then(pl.lit("behind|hours recorded but no verification by an employer or school"))
        .when(
            (d >= target)
            & kind.is_in(
                [K.EMPLOYMENT_OR_SCHOOL, K.CHILD_SUPPORT, K.HEARINGS, K.CONTACTS, K.DRUG_TESTS]
            )
        )
        .then(pl.format("on_track|{} {}", progress, since))
        .when(pl.col("recent_on").is_not_null() & (pl.col("recent_on") >= pl.col("window_from")))
        .then(
            pl.format(
                "on_track|{}; last on {}", progress, pl.col("recent_on").dt.strftime("%d %b %Y")
            )
        )
        .when(~full_window)
        .then(
            pl.format(
                "unknown|the plan began {}: not a full {} to judge yet",
                starts.dt.strftime("%d %b %Y").fill_null("on an unknown day"),
                pl.when(weekly).then(pl.lit("week")).otherwise(pl.lit("30 days")),
            )
        )
        .otherwise(pl.format("behind|{} {}", progress, since))
    )
    f = f.with_columns(
        rules.str.split_exact("|", 1).struct.rename_fields(["status", "reason"]).alias("judged")
    ).unnest("judged")
    last_on = pl.coalesce("missed_hearing_on", "positive_counted_on", "recent_on")
    return f.select(
        "requirement_id",
        "enrollment_id",
        "kind",
        "label",
        "status",
        "reason",
        "done",
        "target",
        "complete",
        "window_from",
        "window_to",
        last_on.alias("last_on"),
        "phase",
        pl.col("verified_on"),
    )


def met_for_graduation(row: dict[str, Any]) -> bool:
    """Cumulative kinds must be complete; the others on track. Unknown is not yes."""
    if row["kind"] in CUMULATIVE:
        return bool(row["complete"] is True)
    return bool(row["status"] == "on_track")


def frames_for(enrollments: Any, today: dt.date) -> pl.DataFrame:
    """Compliance for every requirement of ``enrollments`` (a queryset the caller has already
    narrowed to what the actor may see): one query for requirements, one for events."""
    from ontrack.plans.models import Event, Requirement

    requirements = Requirement.objects.filter(
        enrollment__in=enrollments, removed_at__isnull=True
    ).values_list(
        "pk", "enrollment_id", "kind", "label", "parameters", "starts_on", "enrollment__phase"
    )
    events = Event.objects.filter(
        enrollment__in=enrollments, voided_at__isnull=True, occurred_on__lte=today
    ).values_list(*EVENT_COLUMNS)
    return compliance_frame(requirements_frame(requirements), events_frame(events), today)


def left_before_graduation(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """What is left before graduation, from one enrollment's compliance rows: hours and
    classes left, the phase, hearings, whether a job or full-time school is verified, and the
    requirements not yet met (unknown counts as not met)."""
    service = [r for r in rows if r["kind"] == K.COMMUNITY_SERVICE]
    classes = [r for r in rows if r["kind"] == K.CLASS and not r["complete"]]
    phases = next((r for r in rows if r["kind"] == K.PHASES), None)
    hearings = next((r for r in rows if r["kind"] == K.HEARINGS), None)
    verified = [r["verified_on"] for r in rows if r["verified_on"] is not None]
    return {
        "service_hours_left": (
            max(service[0]["target"] - service[0]["done"], 0.0) if service else None
        ),
        "classes_left": [
            {"label": r["label"], "sessions_left": max(r["target"] - r["done"], 0.0)}
            for r in classes
        ],
        "phase": phases["phase"] if phases else None,
        "phases": phases["target"] if phases else None,
        "hearings": hearings["reason"] if hearings else None,
        "verified_on": max(verified) if verified else None,
        "not_met": [r["label"] for r in rows if not met_for_graduation(r)],
        "has_plan": bool(rows),
    }


def promotion_problems(
    criteria: dict[str, int],
    events: pl.DataFrame,
    *,
    phase_since: dt.date,
    today: dt.date,
    missed_positive: bool,
    dilute_positive: bool,
) -> list[str]:
    """What the current phase's promotion criteria still lack (empty: promotion may go
    ahead). All Rise (NADCP) standard I: phase advancement on objective, stated criteria.
    ``negative_tests_days``: days since the last test counted as positive (or the phase
    start), with at least one negative test in them — no tests is not a clean record."""
    problems: list[str] = []
    in_phase = events.filter(pl.col("occurred_on") >= phase_since)
    days_in_phase = (today - phase_since).days
    if (need := criteria.get("min_days")) is not None and days_in_phase < need:
        problems.append(f"{need} days in the phase ({days_in_phase} so far)")
    if (need := criteria.get("negative_tests_days")) is not None:
        counted = (
            ["positive"]
            + (["missed"] if missed_positive else [])
            + (["dilute"] if dilute_positive else [])
        )
        tests = in_phase.filter(pl.col("kind") == E.DRUG_TEST)
        last_bad: Any = tests.filter(pl.col("result").is_in(counted))["occurred_on"].max()
        clean_since: dt.date = phase_since if last_bad is None else last_bad + dt.timedelta(days=1)
        negatives = tests.filter(
            (pl.col("occurred_on") >= clean_since) & (pl.col("result") == "negative")
        ).height
        clean_days = (today - clean_since).days
        if clean_days < need or negatives == 0:
            problems.append(
                f"{need} days of negative tests ({clean_days} days, {negatives} negative tests)"
            )
    if (need := criteria.get("hearings_attended")) is not None:
        attended = in_phase.filter(pl.col("kind") == E.HEARING_ATTENDED).height
        if attended < need:
            problems.append(f"{need} hearings attended in the phase ({attended} so far)")
    return problems
