"""The participant page (issue 10, "Speed"): queries and p95 of whole requests, side by side
with the caseload page in the same run.

    .venv/bin/python benchmarks/participant_page.py [--people 2000] [--participants 25] \\
        [--runs 20] [--work DIR]

Set-up (not timed): a scratch site in its own ``ONTRACK_VAR_DIR`` (SQLite), built the way
``make demo`` builds one: ``ontrack migrate``, ``ontrack synth --people N``,
``create_demo_users``, ``demo_caseload`` and ``demo_program`` (program histories played
through the services, so each participant page has months of events, hearings and notes).

Timed: every participant page of the demo case manager, ``--runs`` times each, as whole
requests through Django's full middleware stack (session, second factor, access checks, CSP,
audit of the read) in this process, without a network server; beside them, the case
manager's caseload page ``/cases/`` through the same client, as the baseline. The query count
of each page is taken in a separate pass, so counting does not inflate the timings.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchlib import machine, ms, p95, table

BIN = Path(sys.executable).parent
ONTRACK = str(BIN / "ontrack")
P95_GOAL = 0.150  # seconds: the pages' goal since issue 9


def build(work: Path, people: int, participants: int) -> None:
    env = {**os.environ, "ONTRACK_VAR_DIR": str(work)}
    steps = [
        ["migrate", "--noinput"],
        ["synth", "--people", str(people), "--seed", "1", "--skip-if-loaded"],
        ["create_demo_users"],
        ["demo_caseload", "--cases", str(max(participants * 2, 50)), "--assigned",
         str(participants)],
        ["demo_program", "--participants", str(participants)],
    ]  # fmt: skip
    for step in steps:
        subprocess.run([ONTRACK, *step], env=env, check=True, capture_output=True)  # noqa: S603


def measure(work: Path, runs: int) -> list[list[str]]:
    os.environ["ONTRACK_VAR_DIR"] = str(work)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ontrack.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from ontrack.accounts.models import User
    from ontrack.accounts.tests.helpers import VerifiedClient
    from ontrack.enrollments.selectors import visible_enrollments

    setup_test_environment()  # the test client's host and response capture, nothing else
    user = User.objects.get(username="demo-case-manager")
    client = VerifiedClient()
    client.force_login(user)
    # The pages the case manager may open (a sealed graduate's is not one of them).
    mine = (
        visible_enrollments(actor=user).filter(case__case_manager=user).values_list("pk", flat=True)
    )
    pages = [f"/participants/{pk}/" for pk in mine]
    rows = []
    for label, urls in (("caseload (baseline)", ["/cases/"]), ("participant page", pages)):
        counts = []
        for url in urls:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200, url
            counts.append(len(captured))
        times = []
        for _ in range(runs):
            for url in urls:
                start = time.perf_counter()
                client.get(url)
                times.append(time.perf_counter() - start)
        rows.append([label, str(len(urls)), f"{min(counts)}-{max(counts)}",
                     ms(statistics.median(times)), ms(p95(times))])  # fmt: skip
    base, page = (float(r[4].split()[0].replace(",", "")) for r in rows)
    rows.append(["ratio p95 page / baseline", "", "", "", f"{page / base:.2f}x"])
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--participants", type=int, default=25)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--work", type=Path, help="keep the scratch site here")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-participant-"))
    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    build(work, args.people, args.participants)
    print(f"set-up (not timed): {time.perf_counter() - started:.0f} s in {work}")
    for key, value in machine().items():
        print(f"{key}: {value}")
    rows = measure(work, args.runs)
    print(table(["page", "pages", "queries", "median", "p95"], rows))
    page_p95 = float(rows[1][4].split()[0].replace(",", "")) / 1000
    print(f"goal p95 ≤ {P95_GOAL * 1000:.0f} ms: {'met' if page_p95 <= P95_GOAL else 'MISSED'}")


if __name__ == "__main__":
    main()
