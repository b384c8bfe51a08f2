"""The web load benchmark (issue 9, "Speed"): staff users signed in through the real sign-in
flow make requests to a real multi-process server, and each endpoint's median and p95 are
printed beside a baseline request through the same server and middleware.

    .venv/bin/python benchmarks/web.py [--people 100000] [--seed 1] [--users 20] \\
        [--seconds 60] [--think 1 3] [--workers N] \\
        [--database-url postgres://ontrack_owner@127.0.0.1:PORT/ontrack] [--reuse [--work DIR]]

Steps (only the load is timed; the synthetic load's time is printed too):

1. A scratch site: its own ``ONTRACK_VAR_DIR`` (a temporary folder, or ``--work``; the SQLite
   database lives there unless ``--database-url`` names a PostgreSQL database), migrated,
   with ``--people`` synthetic people from ``ontrack synth``. ``--reuse`` keeps the folder
   (default ``var/bench-web-PEOPLE-SEED``) and a database that already holds the people, so
   a second run skips the load.
2. Staff accounts through the product's services (``web_users.py``): one supervisor in five
   users, the rest case managers in a program with assigned cases; each with a confirmed TOTP
   authenticator; an API token each where ``ontrack staff token`` exists.
3. gunicorn (ADR 0057) on 127.0.0.1 only, ``--workers`` sync worker processes, with
   ``ONTRACK_DEBUG=false`` (DEBUG keeps every query in memory, which no deployment does).
4. ``web_load.py``: locust as a library, ``--users`` users, each signed in (password, then
   the code computed from its device's key), then requests for ``--seconds`` with a think
   time between them (ADR 0058). An endpoint that answers 404 at start-up is reported as
   "not available in this build" and not measured.

Goals (issue 9): zero errors (any answer other than 2xx/3xx), p95 ≤ 150 ms on every measured
endpoint, on SQLite and on PostgreSQL. The script says plainly which are missed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchlib import load_average, machine, ms, p95, table, verdict

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = Path(sys.executable).parent
ONTRACK = str(BIN / "ontrack")
GUNICORN = str(BIN / "gunicorn")
P95_GOAL = 0.150  # seconds (issue 9)


def environment(var_dir: Path, database_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ONTRACK_")}
    env["ONTRACK_VAR_DIR"] = str(var_dir)
    env["ONTRACK_DEBUG"] = "false"
    if database_url:
        env["ONTRACK_DATABASE_URL"] = database_url
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as a user's install runs: bytecode cached
    return env


def run(argv: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise SystemExit(
            f"{' '.join(argv[:3])} … failed ({done.returncode}):\n{done.stderr[-3000:]}"
        )
    return done.stdout


def people_loaded(env: dict[str, str]) -> int:
    code = "from ontrack.people.models import Person; print(Person.objects.count())"
    return int(run([ONTRACK, "shell", "-c", code], env).strip().splitlines()[-1])


def prepare_site(args: argparse.Namespace, env: dict[str, str]) -> str:
    """Migrate and load the people; what was done, in words."""
    run([ONTRACK, "migrate", "--noinput", "-v0"], env)
    have = people_loaded(env)
    if have == args.people and args.reuse:
        return f"reused {have:,} people already loaded"
    if have:
        raise SystemExit(
            f"the database already holds {have:,} people (wanted {args.people:,}): give an "
            "empty database, or --reuse with the same --people"
        )
    started = time.perf_counter()
    run([ONTRACK, "synth", "--people", str(args.people), "--seed", str(args.seed), "-v0"], env)
    took = time.perf_counter() - started
    return f"loaded {args.people:,} people with ontrack synth in {took:,.1f} s"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_up(base: str, server: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn stopped at start-up (exit {server.returncode})")
        try:
            with urllib.request.urlopen(f"{base}/accounts/login/", timeout=5) as answer:  # noqa: S310
                if answer.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer on {base} within {seconds:.0f} s")


def report(result: dict[str, Any], args: argparse.Namespace, facts: dict[str, str]) -> bool:
    """Print the table; True when every goal is met."""
    samples: dict[str, list[float]] = result["samples"]
    errors: dict[str, dict[str, int]] = result["errors"]
    seconds = result["seconds"]
    baseline = samples.get("baseline", [])
    base_median = statistics.median(baseline) if baseline else None
    base_p95 = p95(baseline) if baseline else None
    rows, missed, total = [], [], 0
    for endpoint in result["endpoints"]:
        key, label = endpoint["key"], endpoint["label"]
        if not endpoint["available"]:
            rows.append([label, "", "", "", "", "", "", "not available in this build"])
            continue
        times = samples.get(key, [])
        failed = sum(errors.get(key, {}).values())
        total += len(times)
        if not times:
            rows.append([label, "0", str(failed), "", "", "", "", "no requests made"])
            missed.append(f"{label}: no requests made")
            continue
        median, top = statistics.median(times), p95(times)
        ok = failed == 0 and (key == "baseline" or top <= P95_GOAL)
        if not ok:
            missed.append(label)
        rows.append([
            label,
            f"{len(times):,}",
            f"{failed:,}",
            ms(median),
            ms(top),
            "1.00" if key == "baseline" else f"{median / base_median:.2f}" if base_median else "",
            "1.00" if key == "baseline" else f"{top / base_p95:.2f}" if base_p95 else "",
            "(the baseline)" if key == "baseline" and not failed else verdict(ok),
        ])  # fmt: skip
    headers = ["endpoint", "requests", "errors", "median", "p95", "median / baseline",
               "p95 / baseline", "goal (0 errors, p95 <= 150 ms)"]  # fmt: skip
    print()
    print(table(headers, rows))
    print()
    print(f"measured {seconds:,.1f} s: {total:,} requests, {total / seconds:,.1f} requests/s")
    for key, by_status in sorted(errors.items()):
        print(
            f"errors on {key}: " + ", ".join(f"{n:,} x {s}" for s, n in sorted(by_status.items()))
        )
    print(f"errors: {sum(sum(v.values()) for v in errors.values()):,}")
    for endpoint in result["endpoints"]:
        if not endpoint["available"]:
            print(f"{endpoint['label']}: not available in this build ({endpoint['why']})")
    print(f"load average after the run: {load_average()} (before: {facts['load average']})")
    if missed:
        print("Goal MISSED for: " + "; ".join(missed))
    else:
        print("Goal met: zero errors and p95 <= 150 ms on every measured endpoint.")
    return not missed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--think", type=float, nargs=2, default=(1.0, 3.0), metavar=("MIN", "MAX"))
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--database-url", help="a PostgreSQL database to use (else SQLite)")
    parser.add_argument("--reuse", action="store_true", help="keep and reuse the loaded site")
    parser.add_argument("--work", type=Path, help="the site's folder (with --reuse)")
    args = parser.parse_args()
    if args.people < 1 or args.users < 1 or args.seconds <= 0 or args.workers < 1:
        parser.error("--people, --users, --workers and --seconds must be positive")
    if args.think[0] < 0 or args.think[1] < args.think[0]:
        parser.error("--think MIN MAX: 0 <= MIN <= MAX")
    if args.reuse:
        work = args.work or ROOT / "var" / f"bench-web-{args.people}-{args.seed}"
        work.mkdir(parents=True, exist_ok=True)
    else:
        work = Path(tempfile.mkdtemp(prefix="ontrack-bench-web-"))
    backend = "PostgreSQL" if args.database_url else "SQLite"
    facts = machine()
    print(f"# Web load benchmark: {backend}, {args.people:,} people, {args.users} users, "
          f"{args.seconds:g} s, think {args.think[0]:g}-{args.think[1]:g} s, "
          f"{args.workers} gunicorn workers")  # fmt: skip
    for name, value in facts.items():
        print(f"{name}: {value}")
    server = None
    try:
        env = environment(work / "var", args.database_url)
        print(prepare_site(args, env))
        plan_path, result_path = work / "plan.json", work / "result.json"
        run([sys.executable, str(HERE / "web_users.py"), "--users", str(args.users),
             "--out", str(plan_path), "--seed", str(args.seed)], env)  # fmt: skip
        plan = json.loads(plan_path.read_text(encoding="utf-8"))
        roles = [u["role"] for u in plan["users"]]
        print(f"staff: {roles.count('supervisor')} supervisors, {roles.count('case_manager')} "
              "case managers, each with a TOTP authenticator")  # fmt: skip
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(  # noqa: S603 - our own server, loopback only
            [GUNICORN, "ontrack.wsgi:application", "--bind", f"127.0.0.1:{port}",
             "--workers", str(args.workers), "--log-level", "warning", "--timeout", "120"],
            env=env, cwd=work,
        )  # fmt: skip
        wait_until_up(base, server)
        run([sys.executable, str(HERE / "web_load.py"), "--plan", str(plan_path),
             "--host", base, "--users", str(args.users), "--seconds", str(args.seconds),
             "--think", *map(str, args.think), "--out", str(result_path)], env)  # fmt: skip
        result = json.loads(result_path.read_text(encoding="utf-8"))
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=60)
        if not args.reuse:
            shutil.rmtree(work, ignore_errors=True)
    if result["sign_in_failures"]:
        print("sign-in failed: " + "; ".join(result["sign_in_failures"][:5]))
        raise SystemExit(1)
    print(f"signed in: {result['signed_in']} users through the sign-in pages (password + TOTP)")
    report(result, args, facts)


if __name__ == "__main__":
    main()
