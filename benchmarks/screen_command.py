"""``ontrack screen`` as a user runs it: whole processes, side by side with a baseline.

    .venv/bin/python benchmarks/screen_command.py [--rows 1000000] [--seed 1] [--runs 3]
        [--db-dir DIR [--actor USERNAME]]

1. Writes ``--rows`` synthetic typed case facts to Parquet (``eligibility_facts.make_facts``).
2. Times, alternating, ``ontrack screen FACTS.parquet --policy back-on-track --out
   OUT.parquet`` and ``python benchmarks/screen_handwritten.py`` (a plain Polars script that
   reads, screens and writes the same columns), each a fresh subprocess; prints both medians
   and the ratio (goal: at most 1.3). The two outputs must be identical, or it stops.
3. A breakdown inside one process: Django start-up, reading and checking the facts
   (``read_facts``), ``screen`` and writing the result.
4. With ``--db-dir`` (an ``ONTRACK_VAR_DIR`` holding a database, e.g. after ``ontrack synth
   --people 100000 --seed 1``, ``ontrack create_demo_users``): ``ontrack screen --cases-like
   '*' --actor USERNAME`` over every case that account may see (default ``demo-supervisor``,
   who sees every unrestricted case; goal: under 5 s).

It prints numbers and whether each goal is met; it asserts nothing about time. Results:
``docs/benchmarks.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ontrack.settings")

import django  # noqa: E402

django.setup()

import polars as pl  # noqa: E402

from benchmarks.benchlib import machine, median_of, timed, verdict  # noqa: E402
from benchmarks.eligibility_facts import make_facts  # noqa: E402
from benchmarks.eligibility_handwritten import code_bits, codes_in, verify  # noqa: E402
from ontrack.eligibility.engine import screen  # noqa: E402
from ontrack.eligibility.facts import read_facts  # noqa: E402
from ontrack.eligibility.policy import load_policy  # noqa: E402
from ontrack.ingest.validate import ROW  # noqa: E402

GOAL_RATIO = 1.3  # ontrack screen / hand-written script, whole processes
GOAL_CASES_LIKE_SECONDS = 5.0
ONTRACK = Path(sys.executable).parent / "ontrack"
HANDWRITTEN = Path(__file__).resolve().parent / "screen_handwritten.py"


def _user_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment a user's command runs in: Python's default of caching compiled
    modules, whatever this shell says (with PYTHONDONTWRITEBYTECODE set, every run of the
    editable install recompiled OnTrack's ~30 modules, 0.05 s the baseline never pays)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, **(extra or {})}


def _run(argv: list[str], env: dict[str, str] | None = None) -> float:
    """Run one subprocess; its CPU time (user + system), which other sessions' load on a
    shared machine inflates less than wall-clock time."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(  # noqa: S603 - our own commands
        argv, capture_output=True, text=True, check=False, env=env or _user_env()
    )
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _median(values: list[float]) -> float:
    return sorted(values)[len(values) // 2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--db-dir", type=Path, help="ONTRACK_VAR_DIR of a database to screen")
    parser.add_argument(
        "--actor", default="demo-supervisor", help="with --db-dir: the account screening"
    )
    args = parser.parse_args()
    print("Machine: " + "; ".join(f"{k}: {v}" for k, v in machine().items()))

    with tempfile.TemporaryDirectory(prefix="ontrack-screen-bench-") as tmp:
        work = Path(tmp)
        facts_path, bits_path = work / "facts.parquet", work / "code-bits.json"
        engine_out, hand_out = work / "ontrack.parquet", work / "hand.parquet"
        facts = make_facts(args.rows, args.seed).drop(ROW)
        facts.write_parquet(facts_path)
        bits_path.write_text(json.dumps(code_bits(codes_in(facts))))
        print(f"\n1. facts: {facts.height:,} typed rows, {facts_path.stat().st_size:,} bytes")

        command = [str(ONTRACK), "screen", str(facts_path), "--policy", "back-on-track"]
        command += ["--out", str(engine_out)]
        baseline = [sys.executable, str(HANDWRITTEN), str(facts_path), str(bits_path)]
        baseline.append(str(hand_out))
        ours: list[tuple[float, float]] = []
        theirs: list[tuple[float, float]] = []
        # The first pair warms the file cache and writes bytecode, as a user's first run
        # does; it is not counted.
        for i in range(args.runs + 1):
            order = [(command, ours), (baseline, theirs)]
            for argv, times in order if i % 2 else reversed(order):
                wall, cpu = timed(lambda argv=argv: _run(argv))  # type: ignore[misc]
                if i:
                    times.append((wall, cpu))
        verify(pl.read_parquet(engine_out), pl.read_parquet(hand_out))
        lines = []
        medians = {}
        for name, times in (("ontrack screen", ours), ("hand-written", theirs)):
            walls, cpus = [w for w, _ in times], [c for _, c in times]
            medians[name] = (_median(walls), min(walls), _median(cpus))
            lines.append(
                f"   {name:<15} wall median {medians[name][0]:5.2f} s, min {min(walls):5.2f} s"
                f" ({', '.join(f'{w:.2f}' for w in walls)}); CPU median {medians[name][2]:5.2f} s"
            )
        ratio = medians["ontrack screen"][0] / medians["hand-written"][0]
        best = medians["ontrack screen"][1] / medians["hand-written"][1]
        cpu_ratio = medians["ontrack screen"][2] / medians["hand-written"][2]
        print(
            f"\n2. whole processes, {args.runs} runs each, alternating (ontrack screen "
            "FACTS.parquet --policy back-on-track --out OUT.parquet; the hand-written script "
            "reads, screens and writes the same columns):\n"
            + "\n".join(lines)
            + f"\n   ratio of wall medians {ratio:.2f} (goal <= {GOAL_RATIO}: "
            f"{verdict(ratio <= GOAL_RATIO)}); of the fastest runs {best:.2f}; of CPU time "
            f"{cpu_ratio:.2f}; outputs identical ({facts.height:,} rows)"
        )

        start_up, _ = median_of(
            lambda: _run([sys.executable, "-c", "import django; django.setup()"]), runs=3
        )
        versions = load_policy("back-on-track")
        t_read, typed = median_of(lambda: read_facts(facts_path), runs=3)
        typed = read_facts(facts_path)
        t_screen, _ = median_of(lambda: screen(typed, versions), runs=3)
        result = screen(typed, versions).drop(ROW)
        t_write, _ = median_of(lambda: result.write_parquet(work / "w.parquet"), runs=3)
        print(
            "\n3. breakdown (one process, medians of 3):\n"
            f"   python + django.setup() (a subprocess)  {start_up:6.2f} s\n"
            f"   read_facts (read Parquet, check types, values, dates, codes) {t_read:6.2f} s\n"
            f"   screen (the engine)                     {t_screen:6.2f} s\n"
            f"   write Parquet                           {t_write:6.2f} s"
        )

    if args.db_dir is not None:
        env = _user_env({"ONTRACK_VAR_DIR": str(args.db_dir.resolve())})
        out = args.db_dir / "bench-cases-like.parquet"
        argv = [str(ONTRACK), "screen", "--cases-like", "*", "--policy", "back-on-track"]
        argv += ["--out", str(out), "--actor", args.actor]
        _run(argv, env)  # warm-up
        t_db, times = median_of(lambda: _run(argv, env), runs=args.runs, warmup=0)  # wall
        cases = pl.read_parquet(out).height
        out.unlink()
        print(
            f"\n4. ontrack screen --cases-like '*' over {cases:,} cases: median {t_db:.2f} s of "
            f"{args.runs} ({', '.join(f'{t:.2f}' for t in times)}); goal < "
            f"{GOAL_CASES_LIKE_SECONDS:.0f} s: {verdict(t_db < GOAL_CASES_LIKE_SECONDS)}"
        )


if __name__ == "__main__":
    main()
