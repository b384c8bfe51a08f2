"""Compliance benchmark: every active participant's plan judged from its events at once.

    .venv/bin/python benchmarks/compliance.py [--participants 10000] [--events 100]
                                              [--loop-sample 200] [--seed 1]

Synthetic plans (the demo template's eight requirements) and events (~``--events`` a
participant over the last 180 days, kinds and drug-test results drawn at realistic rates),
deterministic for the seed. It measures:

1. the columnar path ``plans.compliance``: the rows the selector's two queries return →
   ``requirements_frame`` + ``events_frame`` → ``compliance_frame`` (one Polars query for
   everyone); the database reads themselves are not timed (they are two plain SELECTs);
2. the per-participant loop baseline: the same function called once per participant, as a
   page-at-a-time design would. It is timed on ``--loop-sample`` participants and
   extrapolated to all (said so in the output);
3. that the two agree: the loop's rows equal the columnar rows for the sampled participants.

It prints numbers and whether the goal (≤ 5 s for 10,000 participants) is met; it asserts
nothing about time. Results: ``docs/benchmarks.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path
from typing import Any

REPO_ROOT = str(Path(__file__).resolve().parents[1])
if REPO_ROOT not in sys.path:
    sys.path.insert(0, REPO_ROOT)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ontrack.settings")

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
import polars as pl  # noqa: E402
import yaml  # noqa: E402
from polars.testing import assert_frame_equal  # noqa: E402

from benchmarks.benchlib import load_average, machine, ms, timed, verdict  # noqa: E402
from ontrack.plans.compliance import (  # noqa: E402
    compliance_frame,
    events_frame,
    requirements_frame,
)

TODAY = dt.date(2026, 6, 30)
Row = tuple[Any, ...]
GOAL_SECONDS = 5.0
TEMPLATE = Path(REPO_ROOT) / "src/ontrack/plans/data/default_template.yaml"
# Event kinds and how often each occurs among a participant's events.
KINDS = {
    "contact": 0.30,
    "drug_test": 0.25,
    "work_hours": 0.20,
    "service_hours": 0.10,
    "class_attended": 0.08,
    "hearing_attended": 0.05,
    "hearing_missed": 0.005,
    "child_support_paid": 0.01,
    "employment_verified": 0.005,
}
RESULTS = (["negative"] * 90) + (["positive"] * 4) + (["dilute"] * 3) + (["missed"] * 3)


def make_rows(participants: int, events: int, seed: int) -> tuple[list[Row], list[Row]]:
    rng = np.random.default_rng(seed)
    template = yaml.safe_load(TEMPLATE.read_text())["requirements"]
    phases = rng.integers(1, 4, participants)
    starts = rng.integers(30, 400, participants)
    requirements = [
        (
            n * 10 + i,
            n,
            item["kind"],
            item["label"],
            item["parameters"],
            TODAY - dt.timedelta(days=int(starts[n])),
            int(phases[n]),
        )
        for n in range(participants)
        for i, item in enumerate(template)
    ]
    total = participants * events
    owner = rng.integers(0, participants, total)
    kinds = rng.choice(list(KINDS), total, p=np.array(list(KINDS.values())) / sum(KINDS.values()))
    days = rng.integers(0, 180, total)
    hours = rng.integers(1, 9, total)
    results = rng.choice(RESULTS, total)
    classes = rng.choice(["parenting", "GED"], total)
    rows = []
    for e, kind, day, h, result, class_name in zip(
        owner.tolist(),
        kinds.tolist(),
        days.tolist(),
        hours.tolist(),
        results.tolist(),
        classes.tolist(),
        strict=True,
    ):
        on = TODAY - dt.timedelta(days=day)
        rows.append(
            (
                e,
                kind,
                on,
                h if kind in ("work_hours", "service_hours") else None,
                result if kind == "drug_test" else "",
                {"class_name": class_name}
                if kind == "class_attended"
                else {"amount": "200"}
                if kind == "child_support_paid"
                else {},
            )
        )
    return requirements, rows


def columnar(requirements: list[Row], events: list[Row]) -> pl.DataFrame:
    return compliance_frame(requirements_frame(requirements), events_frame(events), TODAY)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--participants", type=int, default=10_000)
    parser.add_argument("--events", type=int, default=100)
    parser.add_argument("--loop-sample", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(f"machine: {machine()}; load {load_average()}")
    requirements, events = make_rows(args.participants, args.events, args.seed)
    print(
        f"{args.participants:,} participants, {len(requirements):,} requirements, "
        f"{len(events):,} events"
    )
    columnar(requirements[:80], events[:1000])  # warm-up (Polars' first query)
    seconds, result = timed(lambda: columnar(requirements, events))
    print(
        f"columnar (frames + one Polars query): {ms(seconds)} "
        f"(goal ≤ {GOAL_SECONDS:.0f} s for 10,000: {verdict(seconds <= GOAL_SECONDS)})"
    )
    sample = min(args.loop_sample, args.participants)
    reqs_by: dict[int, list[Row]] = {}
    events_by: dict[int, list[Row]] = {}
    for r in requirements:
        reqs_by.setdefault(r[1], []).append(r)
    for e in events:
        events_by.setdefault(e[0], []).append(e)
    loop_seconds, parts = timed(
        lambda: [columnar(reqs_by[n], events_by.get(n, [])) for n in range(sample)]
    )
    per_participant = loop_seconds / sample
    extrapolated = per_participant * args.participants
    print(
        f"per-participant loop: {ms(loop_seconds)} for {sample:,} participants "
        f"({ms(per_participant)} each); extrapolated to {args.participants:,}: "
        f"{extrapolated:,.1f} s"
    )
    print(f"ratio (loop / columnar): {extrapolated / seconds:,.0f}x")
    looped = pl.concat(parts).sort("requirement_id")
    together = result.filter(pl.col("enrollment_id") < sample).sort("requirement_id")
    assert_frame_equal(looped, together)
    print(f"outputs identical ({together.height:,} requirements of {sample:,} participants)")
    counts = result.group_by("status").len().sort("status")
    print("statuses: " + ", ".join(f"{s} {n:,}" for s, n in counts.iter_rows()))


if __name__ == "__main__":
    main()
