"""The README's screening example runs on the files in ``docs/examples/`` and prints what the
README shows, so neither can rot."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from tests.test_cli import ontrack

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()


def run_from_checkout(command: str, var: Path) -> str:
    words = shlex.split(command)
    assert words[0] == "ontrack"
    done = ontrack(*words[1:], tmp_path=var, cwd=ROOT)
    assert (done.returncode, done.stderr) == (0, ""), command
    return done.stdout


def test_the_readme_screening_example_prints_what_the_readme_shows(tmp_path: Path) -> None:
    [(command, shown)] = re.findall(
        r"```sh\n(ontrack screen docs/examples/\S+ [^\n]*)\n```\n.*?```text\n(.*?)```",
        README,
        flags=re.DOTALL,
    )
    assert run_from_checkout(command, tmp_path) == shown
    # The five sample cases reach every result, so the example shows what each looks like.
    results = [line.split(",")[3] for line in shown.splitlines()[1:]]
    assert results == [
        "eligible",
        "ineligible",
        "needs_information",
        "needs_information",
        "ineligible",
    ]


def test_the_json_lines_sample_screens_like_the_csv_one(tmp_path: Path) -> None:
    [command] = re.findall(r"`(ontrack screen docs/examples/facts\.jsonl [^`]*)`", README)
    csv = run_from_checkout(command.replace("facts.jsonl", "facts.csv"), tmp_path)
    assert run_from_checkout(command, tmp_path) == csv
