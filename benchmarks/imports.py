"""``ontrack import caseload`` as a user runs it, side by side with a plain bulk load of the
same file into one table, in the same run, each into a fresh database.

    .venv/bin/python benchmarks/imports.py --people 100000 --seed 1 \\
        [--postgres postgres://postgres@127.0.0.1:PORT/postgres] [--runs 1]

The file is ``ontrack synth --people N --seed S --format csv`` (not timed). Per database:

- SQLite: ``sqlite3 DB ".import --csv FILE caseload"`` against ``ontrack import caseload
  FILE --profile ontrack`` into a migrated, empty database;
- PostgreSQL (with ``--postgres``, a URL of a database to connect to for creating and
  dropping the fresh ones): ``psql -c "\\copy caseload FROM FILE CSV HEADER"`` into one
  text table against the same import.

Migrations and table creation are not timed; both sides are whole processes (the import's
time includes Django's start-up). Peak memory is each process's maximum resident set size
(``os.wait4``). Targets (issue 7): SQLite ratio ≤ 10, import peak ≤ 1 GiB.
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchlib import machine, table, verdict

BIN = Path(sys.executable).parent
ONTRACK = str(BIN / "ontrack")
RATIO_TARGET = 10.0
MEMORY_TARGET = 1 << 30  # bytes


def run(argv: list[str], env: dict[str, str]) -> tuple[float, int, str]:
    """Wall-clock seconds, peak resident bytes and stdout of one whole process."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen(argv, stdout=out, stderr=err, env=env)  # noqa: S603
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({process.returncode}):\n{stderr[-3000:]}")
    return elapsed, usage.ru_maxrss * 1024, stdout


def environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ONTRACK_")}
    env.update(extra)
    return env


def header_of(path: Path) -> list[str]:
    with path.open(newline="", encoding="utf-8") as handle:
        return next(csv.reader(handle))


def sqlite_pair(csv_path: Path, work: Path, people: int) -> tuple[float, int, float, int]:
    sqlite_cli = shutil.which("sqlite3") or "/usr/bin/sqlite3"
    plain = work / "plain.sqlite3"
    plain.unlink(missing_ok=True)
    base_s, base_mem, _ = run(
        [sqlite_cli, str(plain), f".import --csv {csv_path} caseload"], environment()
    )
    var = work / "var-sqlite"
    shutil.rmtree(var, ignore_errors=True)
    env = environment(ONTRACK_VAR_DIR=str(var))
    run([ONTRACK, "migrate", "--noinput", "-v0"], env)
    ours_s, ours_mem, out = run(
        [ONTRACK, "import", "caseload", str(csv_path), "--profile", "ontrack"], env
    )
    with sqlite3.connect(var / "ontrack.sqlite3") as db:
        loaded = db.execute("SELECT COUNT(*) FROM people_person").fetchone()[0]
    with sqlite3.connect(plain) as db:
        rows = db.execute("SELECT COUNT(*) FROM caseload").fetchone()[0]
    check(loaded, people, out, rows, "SQLite")
    return base_s, base_mem, ours_s, ours_mem


def check(loaded: int, people: int, out: str, rows: int, where: str) -> None:
    # Both sides did the work: every person imported, every row loaded by the baseline.
    if loaded != people:
        raise SystemExit(f"{where}: {loaded} people imported, expected {people}\n{out}")
    print(f"{where}: {loaded:,} people imported; baseline table holds {rows:,} rows")


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def postgres_pair(
    csv_path: Path, work: Path, people: int, url: str
) -> tuple[float, int, float, int]:
    psql = shutil.which("psql") or "/usr/bin/psql"
    env = environment()

    def sql(statement: str, database: str | None = None) -> str:
        target = with_database(url, database) if database else url
        return run([psql, "-qAt", "-v", "ON_ERROR_STOP=1", target, "-c", statement], env)[2]

    names = {"plain": f"bench_plain_{os.getpid()}", "ontrack": f"bench_ontrack_{os.getpid()}"}
    for name in names.values():
        sql(f'DROP DATABASE IF EXISTS "{name}"')
        sql(f'CREATE DATABASE "{name}"')
    try:
        columns = ", ".join(f'"{c}" text' for c in header_of(csv_path))
        sql(f"CREATE TABLE caseload ({columns})", names["plain"])
        base_s, base_mem, _ = run(
            [
                psql, "-qAt", "-v", "ON_ERROR_STOP=1", with_database(url, names["plain"]),
                "-c", f"\\copy caseload FROM '{csv_path}' CSV HEADER",
            ],
            env,
        )  # fmt: skip
        rows = int(sql("SELECT COUNT(*) FROM caseload", names["plain"]))
        ours = environment(
            ONTRACK_VAR_DIR=str(work / "var-postgres"),
            ONTRACK_DATABASE_URL=with_database(url, names["ontrack"]),
        )
        run([ONTRACK, "migrate", "--noinput", "-v0"], ours)
        ours_s, ours_mem, out = run(
            [ONTRACK, "import", "caseload", str(csv_path), "--profile", "ontrack"], ours
        )
        loaded = int(sql("SELECT COUNT(*) FROM people_person", names["ontrack"]))
        check(loaded, people, out, rows, "PostgreSQL")
    finally:
        for name in names.values():
            sql(f'DROP DATABASE IF EXISTS "{name}"')
    return base_s, base_mem, ours_s, ours_mem


def mib(size: int) -> str:
    return f"{size / 2**20:,.0f} MiB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=1, help="runs per side; the median counts")
    parser.add_argument("--postgres", help="URL of a PostgreSQL database to create fresh ones")
    args = parser.parse_args()
    for key, value in machine().items():
        print(f"{key:>13}: {value}")
    with tempfile.TemporaryDirectory(prefix="ontrack-bench-import-") as folder:
        work = Path(folder)
        env = environment(ONTRACK_VAR_DIR=str(work / "var-synth"))
        run(
            [ONTRACK, "synth", "--people", str(args.people), "--seed", str(args.seed),
             "--out", str(work / "synth"), "--format", "csv"],
            env,
        )  # fmt: skip
        csv_path = work / "synth" / "caseload.csv"
        with csv_path.open(encoding="utf-8") as handle:
            lines = sum(1 for _ in handle) - 1
        size = csv_path.stat().st_size / 1e6
        print(f"\nfile: {lines:,} rows, {size:,.1f} MB (ontrack synth --people {args.people} "
              f"--seed {args.seed} --format csv)\n")  # fmt: skip
        pairs = [("SQLite", lambda: sqlite_pair(csv_path, work, args.people))]
        if args.postgres:
            url = args.postgres
            pairs.append(("PostgreSQL", lambda: postgres_pair(csv_path, work, args.people, url)))
        rows = []
        sqlite_ok = True
        for name, measure in pairs:
            results = [measure() for _ in range(args.runs)]
            for n, (b_s, b_mem, o_s, o_mem) in enumerate(results, start=1):
                # Every run's peak, not only the largest: it moves with thread timing.
                print(f"{name} run {n}: plain {b_s:.2f} s, {mib(b_mem)}; "
                      f"import {o_s:.2f} s, {mib(o_mem)}")  # fmt: skip
            base_s = statistics.median(r[0] for r in results)
            ours_s = statistics.median(r[2] for r in results)
            ours_mem = max(r[3] for r in results)
            base_mem = max(r[1] for r in results)
            ratio = ours_s / base_s
            if name == "SQLite":
                sqlite_ok = ratio <= RATIO_TARGET and ours_mem <= MEMORY_TARGET
            rows.append(
                [name, f"{base_s:.2f} s", mib(base_mem), f"{ours_s:.2f} s", mib(ours_mem),
                 f"{ratio:.1f}x"]
            )  # fmt: skip
    print()
    print(
        table(["database", "plain load", "its peak", "ontrack import", "its peak", "ratio"], rows)
    )
    print(
        f"\nSQLite target (ratio <= {RATIO_TARGET:.0f}x, peak <= {mib(MEMORY_TARGET)}): "
        f"{verdict(sqlite_ok)}"
    )


if __name__ == "__main__":
    main()
