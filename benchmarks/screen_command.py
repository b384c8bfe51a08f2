"""``ontrack screen`` as a user runs it: whole processes, side by side with a baseline.

    .venv/bin/python benchmarks/screen_command.py [--rows 1000000] [--seed 1] [--runs 3]
        [--db-dir DIR]

1. Writes ``--rows`` synthetic typed case facts to Parquet (``eligibility_facts.make_facts``).
2. Times, alternating, ``ontrack screen FACTS.parquet --policy back-on-track --out
   OUT.parquet`` and ``python benchmarks/screen_handwritten.py`` (a plain Polars script that
   reads, screens and writes the same columns), each a fresh subprocess; prints both medians
   and the ratio (goal: at most 1.3). The two outputs must be identical, or it stops.
3. A breakdown inside one process: Django start-up, reading and checking the facts
   (``read_facts``), ``screen`` and writing the result.
4. With ``--db-dir`` (an ``ONTRACK_VAR_DIR`` holding a database, e.g. after ``ontrack synth
   --people 100000 --seed 1``): ``ontrack screen --cases-like '*'`` over every case
   (goal: under 5 s).

It prints numbers and whether each goal is met; it asserts nothing about time. Results:
``docs/benchmarks.md``.
"""

from __future__ import annotations

import argparse
import json
import os
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
from ontrack.imports.validate import ROW  # noqa: E402

GOAL_RATIO = 1.3  # ontrack screen / hand-written script, whole processes
GOAL_CASES_LIKE_SECONDS = 5.0
ONTRACK = Path(sys.executable).parent / "ontrack"
HANDWRITTEN = Path(__file__).resolve().parent / "screen_handwritten.py"


def _run(argv: list[str], env: dict[str, str] | None = None) -> None:
    done = subprocess.run(  # noqa: S603 - our own commands
        argv, capture_output=True, text=True, check=False, env=env
    )
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({done.returncode}):\n{done.stderr[-3000:]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--db-dir", type=Path, help="ONTRACK_VAR_DIR of a database to screen")
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
        ours: list[float] = []
        theirs: list[float] = []
        for i in range(args.runs + 1):  # the first pair warms the file cache; not counted
            order = [(command, ours), (baseline, theirs)]
            for argv, times in order if i % 2 else reversed(order):
                t, _ = timed(lambda argv=argv: _run(argv))  # type: ignore[misc]
                if i:
                    times.append(t)
        verify(pl.read_parquet(engine_out), pl.read_parquet(hand_out))
        t_ours, t_theirs = sorted(ours)[len(ours) // 2], sorted(theirs)[len(theirs) // 2]
        ratio = t_ours / t_theirs
        print(
            f"\n2. whole processes, median of {args.runs} (alternating):\n"
            f"   ontrack screen FACTS.parquet --out OUT.parquet   {t_ours:6.2f} s  "
            f"({', '.join(f'{t:.2f}' for t in ours)})\n"
            f"   hand-written Polars script (read, screen, write) {t_theirs:6.2f} s  "
            f"({', '.join(f'{t:.2f}' for t in theirs)})\n"
            f"   ratio {ratio:.2f} (goal <= {GOAL_RATIO}: {verdict(ratio <= GOAL_RATIO)}); "
            f"outputs identical ({facts.height:,} rows)"
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
        env = {**os.environ, "ONTRACK_VAR_DIR": str(args.db_dir.resolve())}
        out = args.db_dir / "bench-cases-like.parquet"
        argv = [str(ONTRACK), "screen", "--cases-like", "*", "--policy", "back-on-track"]
        argv += ["--out", str(out)]
        _run(argv, env)  # warm-up
        t_db, times = median_of(lambda: _run(argv, env), runs=args.runs, warmup=0)
        cases = pl.read_parquet(out).height
        out.unlink()
        print(
            f"\n4. ontrack screen --cases-like '*' over {cases:,} cases: median {t_db:.2f} s of "
            f"{args.runs} ({', '.join(f'{t:.2f}' for t in times)}); goal < "
            f"{GOAL_CASES_LIKE_SECONDS:.0f} s: {verdict(t_db < GOAL_CASES_LIKE_SECONDS)}"
        )


if __name__ == "__main__":
    main()
