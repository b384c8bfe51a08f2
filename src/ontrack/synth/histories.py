"""Synthetic program histories: what happened to each demo participant, as Polars frames.

Pure and deterministic like ``generate.py``: no Django, no database; the same
``(participants, seed, today)`` gives the same frames. ``synth/play.py`` then plays the
frames through the real services as the demo accounts, so every demo history obeys the
rules a real one must (an offer needs an eligible decision, a plea every advisement,
graduation a complete plan) and leaves the audit trail a real one would.

The shape follows the program it imitates (BJA FS 000316, 2009): a six-week
community-service trial, a plea, then phases with case-manager contact about three times a
week and progress hearings about three times a month early on, fewer later; drug tests at
least twice weekly in the first phase (All Rise Adult Treatment Court Best Practice
Standards). Paths end in every state, so the demo shows each: referred and waiting, on the
waitlist, declined, ineligible, in the trial period, active in each phase, absconded,
terminated after a new arrest, withdrawn, graduated, and one graduate whose arrest is sealed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl

# The final state of each participant's path, in the order the demo's cases are taken. Long
# enough for the default demo; ``generate_histories`` cycles through it for more.
PATHS: tuple[str, ...] = (
    "graduated_sealed", "active_3", "active_1", "terminated", "trial_period",
    "graduated", "active_2", "referred", "screened", "waitlisted", "offered", "declined",
    "ineligible", "absconded", "withdrawn", "plea_entered", "active_1", "active_2",
    "active_3", "graduated", "active_1", "trial_period", "active_2", "terminated",
    "active_1", "graduated", "referred", "active_3", "active_2", "active_1",
)  # fmt: skip

TRIAL_DAYS = 42  # the six-week community-service trial before the plea (BJA FS 000316)
PHASE_DAYS = (120, 120, 150)  # about 13 months in three phases: 12-18 months in all
SERVICE_HOURS = 220  # "up to 220 community-service hours" (BJA FS 000316)
# Per week, by phase: case-manager contacts, drug tests, and hearings per 4 weeks.
CONTACTS_PER_WEEK = (3, 2, 1)
TESTS_PER_WEEK = (2, 1, 1)
HEARINGS_PER_4_WEEKS = (3, 2, 1)
CLASSES = ("Parenting class", "GED preparation", "Counseling")
SUBSTANCES = ("cannabis", "cocaine", "methamphetamine", "alcohol")
NOTE_LINES = (
    "Met at the office; reports steady hours at work.",
    "Called to reschedule the class; new date agreed.",
    "Asked for a letter for the employer about hearing dates.",
    "Discussed transport to the service site; bus pass given.",
    "Reports looking after the children two evenings a week.",
    "Talked through the last test result and the response.",
)


@dataclass
class _History:
    participant: int
    path: str
    steps: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    hearings: list[dict[str, Any]] = field(default_factory=list)
    notes: list[dict[str, Any]] = field(default_factory=list)


def _days(start: dt.date, end: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(days=i) for i in range((end - start).days)]


def _some(rng: np.random.Generator, days: list[dt.date], count: int) -> list[dt.date]:
    """``count`` different days of ``days``, each equally likely, in date order."""
    picked = rng.choice(len(days), size=min(count, len(days)), replace=False)
    return [days[int(i)] for i in sorted(picked)]


def _weeks(start: dt.date, end: dt.date) -> list[tuple[dt.date, dt.date]]:
    weeks = []
    day = start
    while day < end:
        weeks.append((day, min(day + dt.timedelta(days=7), end)))
        day += dt.timedelta(days=7)
    return weeks


def _phase_on(day: dt.date, phase_starts: list[dt.date]) -> int:
    """The phase (1, 2, 3) a day falls in; 0 during the trial period."""
    return sum(1 for start in phase_starts if day >= start)


def _drug_tests(rng: np.random.Generator, h: _History, week: tuple[dt.date, dt.date],
                phase: int, troubled: bool) -> None:  # fmt: skip
    days = _days(*week)
    per_week = TESTS_PER_WEEK[max(phase, 1) - 1]
    # Every day of the week, weekends and holidays included, equally likely (the standards).
    for day in _some(rng, days, per_week):
        roll = rng.random()
        bad = 0.18 if troubled else 0.04
        if roll < bad:
            result, substance = "positive", str(rng.choice(SUBSTANCES))
        elif roll < bad + 0.03:
            result, substance = "missed", ""
        elif roll < bad + 0.05:
            result, substance = "dilute", ""
        else:
            result, substance = "negative", ""
        h.events.append({"kind": "drug_test", "on": day, "result": result,
                         "substance": substance})  # fmt: skip


def _week_of_events(rng: np.random.Generator, h: _History, week: tuple[dt.date, dt.date],
                    phase: int, state: dict[str, Any]) -> None:  # fmt: skip
    days = _days(*week)
    index = max(phase, 1) - 1
    for day in _some(rng, days, CONTACTS_PER_WEEK[index]):
        h.events.append({"kind": "contact", "on": day})
    # Community service: the trial period is mostly service; later a few hours a week.
    if state["service"] < SERVICE_HOURS:
        hours = float(min(SERVICE_HOURS - state["service"], 12 if phase == 0 else 4))
        state["service"] += hours
        h.events.append({"kind": "service_hours", "on": days[-1], "hours": hours,
                         "verified_by": "Glide Memorial service site"})  # fmt: skip
    if phase >= 1:
        kind = "work_hours" if state["works"] else "school_hours"
        hours = float(rng.integers(20, 40) if state["works"] else rng.integers(12, 20))
        # A week's hours as recorded from a pay stub or attendance sheet: one entry per day
        # worked, at most 8 hours each (a day holds at most 24, plans/event_rules.py).
        verifier = "employer pay stub" if state["works"] else "school attendance record"
        for n, day in enumerate(reversed(days)):
            part = min(hours - 8.0 * n, 8.0)
            if part <= 0:
                break
            h.events.append({"kind": kind, "on": day, "hours": part, "verified_by": verifier})
    _drug_tests(rng, h, week, phase, state["troubled"])


def _schedule_hearings(
    rng: np.random.Generator,
    h: _History,
    start: dt.date,
    end: dt.date,
    today: dt.date,
    phase_starts: list[dt.date],
    troubled: bool,
) -> None:
    day = start + dt.timedelta(days=int(rng.integers(3, 9)))
    # Still in the program: the calendar runs four weeks ahead (hearings still to come).
    horizon = today + dt.timedelta(days=28) if end >= today else end
    while day < horizon:
        phase = max(_phase_on(day, phase_starts), 1)
        if day.weekday() < 5:  # courts sit on weekdays
            past = day < today
            missed = past and rng.random() < (0.15 if troubled else 0.03)
            outcome = ("missed" if missed else "attended") if past else ""
            h.hearings.append({"on": day, "hour": 9 + int(rng.integers(0, 3)),
                               "outcome": outcome})  # fmt: skip
        day += dt.timedelta(days=int(28 / HEARINGS_PER_4_WEEKS[phase - 1]))


def _path_dates(rng: np.random.Generator, path: str, today: dt.date) -> list[tuple[str, dt.date]]:
    """The states the path passes through, with the day of each move, ending before today."""
    final = path  # "active_2" and "graduated_sealed" go through the last branch
    phases = int(path[-1]) if path.startswith("active_") else 3
    before_trial = ["screened", "offered", "trial_period"]
    pre = {"referred": [], "screened": ["screened"], "waitlisted": ["screened", "waitlisted"],
           "offered": ["screened", "offered"], "declined": ["screened", "offered", "declined"],
           "ineligible": ["ineligible"]}  # fmt: skip
    steps: list[str]
    if final in pre:
        steps = pre[final]
        length = 14 * len(steps) + 5
    elif final == "trial_period":
        steps, length = before_trial, 28 + int(rng.integers(0, 30))
    elif final == "plea_entered":
        steps, length = [*before_trial, "plea_entered"], 28 + TRIAL_DAYS + 3
    elif final in ("terminated", "absconded", "withdrawn"):
        steps = [*before_trial, "plea_entered", "active", final]
        length = 28 + TRIAL_DAYS + int(rng.integers(60, 200))
    else:  # active_N, graduated, graduated_sealed
        steps = [*before_trial, "plea_entered", "active"] + ["promoted"] * (phases - 1)
        if path.startswith("graduated"):
            steps.append("graduated")
        length = 28 + TRIAL_DAYS + sum(PHASE_DAYS[: phases - 1]) + int(rng.integers(20, 90))
        if path.startswith("graduated"):
            length = 28 + TRIAL_DAYS + sum(PHASE_DAYS) + int(rng.integers(10, 200))
    referred = today - dt.timedelta(days=length)
    dates: list[tuple[str, dt.date]] = [("referred", referred)]
    day = referred
    for step in steps:
        gap = {"screened": 7, "offered": 7, "waitlisted": 7, "declined": 5, "ineligible": 6,
               "trial_period": 14, "plea_entered": TRIAL_DAYS, "active": 1}.get(step)  # fmt: skip
        if step == "promoted":
            gap = PHASE_DAYS[sum(1 for s, _ in dates if s in ("active", "promoted")) - 1]
        elif step in ("terminated", "absconded", "withdrawn"):
            gap = max((today - day).days - int(rng.integers(5, 20)), 1)
        elif step == "graduated":
            gap = PHASE_DAYS[2]
        day = day + dt.timedelta(days=gap or 7)
        dates.append((step, min(day, today - dt.timedelta(days=1))))
    return dates


def _history(rng: np.random.Generator, participant: int, path: str, today: dt.date) -> _History:
    h = _History(participant, path)
    dates = _path_dates(rng, path, today)
    h.steps = [{"step": step, "on": on} for step, on in dates]
    moves = dict(dates)
    if "trial_period" not in moves:
        return h
    trial = moves["trial_period"]
    phase_starts = [on for step, on in dates if step in ("active", "promoted")]
    ended = next((on for step, on in dates if step in
                  ("terminated", "absconded", "withdrawn", "graduated")), today)  # fmt: skip
    state = {"service": 0.0, "works": rng.random() < 0.7,
             "troubled": path in ("terminated", "absconded")}  # fmt: skip
    for week in _weeks(trial, ended):
        _week_of_events(rng, h, week, _phase_on(week[0], phase_starts), state)
    _schedule_hearings(rng, h, trial, ended, today, phase_starts, bool(state["troubled"]))
    if phase_starts:
        verified = phase_starts[0] + dt.timedelta(days=int(rng.integers(10, 40)))
        if verified < ended:
            kind = "employment_verified" if state["works"] else "school_verified"
            h.events.append({"kind": kind, "on": verified,
                             "verified_by": "employer letter" if state["works"] else
                             "school enrollment letter"})  # fmt: skip
        for n, name in enumerate(CLASSES):
            done = phase_starts[0] + dt.timedelta(days=40 + 60 * n)
            if done < ended:
                h.events.append({"kind": "class_completed", "on": done, "class": name})
    if path == "terminated":
        h.events.append({"kind": "new_arrest", "on": ended - dt.timedelta(days=3)})
    if path.startswith("graduated"):
        _clean_finish(h, ended)
    for n in range(int(rng.integers(1, 4))):
        day = trial + dt.timedelta(days=int(rng.integers(0, max((ended - trial).days, 1))))
        h.notes.append({"on": day, "text": NOTE_LINES[(participant + n) % len(NOTE_LINES)]})
    return h


def _clean_finish(h: _History, graduated: dt.date) -> None:
    """A graduate's last month is clean and current, as graduation asks of the plan
    (plans/guards.py): no test counted as positive in the last 30 days, and a contact and a
    test in the last week."""
    month = graduated - dt.timedelta(days=30)
    week = graduated - dt.timedelta(days=6)
    for event in h.events:
        if event["kind"] == "drug_test" and event["on"] >= month:
            event["result"], event["substance"] = "negative", ""
    for kind, back in (("contact", 1), ("drug_test", 2)):
        if not any(e["kind"] == kind and week <= e["on"] < graduated for e in h.events):
            extra: dict[str, Any] = {"kind": kind, "on": graduated - dt.timedelta(days=back)}
            if kind == "drug_test":
                extra |= {"result": "negative", "substance": ""}
            h.events.append(extra)


def generate_histories(participants: int, seed: int, today: dt.date) -> dict[str, pl.DataFrame]:
    """Frames ``steps`` (participant, path, step, on), ``events`` (participant, kind, on,
    hours, result, substance, verified_by, class), ``hearings`` (participant, on, hour,
    outcome — "" for one still to come) and ``notes`` (participant, on, text)."""
    rng = np.random.default_rng(np.random.PCG64(seed))
    histories = [_history(rng, n, PATHS[n % len(PATHS)], today) for n in range(participants)]

    def frame(rows: list[dict[str, Any]], schema: dict[str, Any]) -> pl.DataFrame:
        return (
            pl.DataFrame(rows, schema=schema, orient="row") if rows else pl.DataFrame(schema=schema)
        )

    base = {"participant": pl.Int64}
    steps = [{"participant": h.participant, "path": h.path, **s} for h in histories
             for s in h.steps]  # fmt: skip
    event_schema = {**base, "kind": pl.Utf8, "on": pl.Date, "hours": pl.Float64,
                    "result": pl.Utf8, "substance": pl.Utf8, "verified_by": pl.Utf8,
                    "class": pl.Utf8}  # fmt: skip
    events = [
        {key: row.get(key) for key in event_schema} | {"participant": h.participant}
        for h in histories
        for row in h.events
    ]
    return {
        "steps": frame(steps, {**base, "path": pl.Utf8, "step": pl.Utf8, "on": pl.Date}),
        "events": frame(events, event_schema).sort("participant", "on", "kind"),
        "hearings": frame(
            [{"participant": h.participant, **r} for h in histories for r in h.hearings],
            {**base, "on": pl.Date, "hour": pl.Int64, "outcome": pl.Utf8},
        ),
        "notes": frame(
            [{"participant": h.participant, **r} for h in histories for r in h.notes],
            {**base, "on": pl.Date, "text": pl.Utf8},
        ),
    }
