"""The synthetic program histories: deterministic, every state of the lifecycle shown, and
shaped like the program (tests twice weekly in phase 1 on any day of the week, hearings on
court days, the trial period before the plea)."""

from __future__ import annotations

import datetime as dt

import polars as pl
from polars.testing import assert_frame_equal

from ontrack.synth.histories import PATHS, TRIAL_DAYS, generate_histories

TODAY = dt.date(2026, 11, 30)


def test_the_same_seed_gives_the_same_histories_and_another_seed_others() -> None:
    one, again = generate_histories(30, 7, TODAY), generate_histories(30, 7, TODAY)
    for name in one:
        assert_frame_equal(one[name], again[name])
    assert not generate_histories(30, 8, TODAY)["events"].equals(one["events"])


def test_every_state_of_the_lifecycle_is_somebodys_last() -> None:
    from ontrack.enrollments.lifecycle import State

    steps = generate_histories(len(PATHS), 1, TODAY)["steps"]
    last = steps.group_by("participant").agg(pl.col("step").last())["step"].to_list()
    shown = {"active" if s == "promoted" else s for s in last}
    assert shown == {s.value for s in State}


def test_histories_follow_the_program() -> None:
    frames = generate_histories(len(PATHS), 3, TODAY)
    steps, events, hearings = frames["steps"], frames["events"], frames["hearings"]
    # Nothing happens on or after the office's today, except hearings still to come.
    assert steps.filter(pl.col("on") >= TODAY).is_empty()
    assert events.filter(pl.col("on") >= TODAY).is_empty()
    assert set(hearings.filter(pl.col("on") >= TODAY)["outcome"]) == {""}
    # The plea comes after the six-week trial, for everyone who reached it.
    wide = steps.pivot(on="step", index="participant", values="on", aggregate_function="first")
    pleas = wide.drop_nulls("plea_entered")
    gaps = (pleas["plea_entered"] - pleas["trial_period"]).dt.total_days().unique().to_list()
    assert gaps == [TRIAL_DAYS]
    # Courts sit on weekdays; drug tests fall on every day of the week, weekends included.
    assert set(hearings["on"].dt.weekday()) <= {1, 2, 3, 4, 5}
    tests = events.filter(pl.col("kind") == "drug_test")
    assert set(tests["on"].dt.weekday()) == {1, 2, 3, 4, 5, 6, 7}
    assert set(tests["result"]) == {"negative", "positive", "dilute", "missed"}
    positives = tests.filter(pl.col("result") == "positive")
    assert "" not in set(positives["substance"])
    # Nobody who never began the trial period has any event.
    began = set(steps.filter(pl.col("step") == "trial_period")["participant"])
    assert set(events["participant"]) <= began
