"""Screening a facts file, without the database: ``ontrack screen FACTS --policy SLUG``.

A facts file carries every fact it is judged on, so screening it reads no table and writes
none. It therefore runs without Django's app registry: ``ontrack.cli`` calls ``run`` directly
(ADR 0021), skipping ``django.setup()``, which costs more than reading, checking and
screening a million typed rows. The ``screen`` management command calls the same ``run``
for the same arguments (``add_file_arguments``), so there is one implementation.

Nothing here may import a models module (the app registry is not ready).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import NoReturn, Protocol

import polars as pl

from ontrack.common.text import neutralise_formulas
from ontrack.eligibility.engine import screen
from ontrack.eligibility.errors import FactsRejected
from ontrack.eligibility.facts import read_facts
from ontrack.eligibility.policy import PolicyError, example_note, load_policy
from ontrack.ingest.validate import ROW


class Writer(Protocol):
    """Where text goes: a file, or a management command's output wrapper."""

    def write(self, text: str, /) -> object: ...


BAD_INPUT = 2  # the exit status every ``ontrack`` command gives input the operator can fix
OUTPUT_FORMATS = (".csv", ".jsonl", ".parquet")  # what ``write_frame`` writes, by extension


class OutputRefused(ValueError):
    """``--out`` names a place no output can go: refused before anything is read or written."""


def check_out(out: Path | None) -> None:
    """Refuse an ``--out`` that would fail after the work (a missing folder, a directory) or
    silently write CSV under another name (an unknown extension). Checked first, so that a
    refusal has screened nothing, audited nothing and written nothing."""
    if out is None:
        return
    if out.is_dir():
        raise OutputRefused(f"--out: {out} is a folder; name a file in it, e.g. {out / 'out.csv'}")
    if out.suffix.lower() not in OUTPUT_FORMATS:
        raise OutputRefused(
            f"--out: {out.name!r} has no output format; end it in " + ", ".join(OUTPUT_FORMATS)
        )
    if not out.parent.is_dir():
        raise OutputRefused(f"--out: there is no folder {out.parent}; create it first")


def add_file_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of a file screening (the command adds its database options)."""
    parser.add_argument("facts", nargs="?", type=Path, help="case facts (.csv, .jsonl, .parquet)")
    parser.add_argument("--policy", required=True)
    parser.add_argument("--version", dest="label", help="judge every row by this version")
    parser.add_argument("--out", type=Path, help="output file (.csv, .jsonl, .parquet)")


def write_frame(frame: pl.DataFrame, out: Path | None, stdout: Writer | None = None) -> None:
    """CSV on stdout by default; the extension picks CSV, JSON lines or Parquet (``check_out``
    has refused any other)."""
    if out is not None and out.suffix.lower() == ".parquet":
        frame.write_parquet(out)
        return
    if out is not None and out.suffix.lower() == ".jsonl":
        frame.write_ndjson(out)
        return
    flat = frame.with_columns(
        pl.col(c).list.join(";") for c, t in frame.schema.items() if isinstance(t, pl.List)
    )
    flat = neutralise_formulas(flat)  # case ids and carried columns come from the input
    if out is None:
        (stdout or sys.stdout).write(flat.write_csv())
    else:
        flat.write_csv(out)


def run(
    *, facts: Path, policy: str, label: str | None, out: Path | None, stdout: Writer, stderr: Writer
) -> None:
    """Screen ``facts`` and write the results; ``PolicyError``, ``FactsRejected`` or
    ``OutputRefused`` (nothing written) for bad input."""
    check_out(out)
    versions = load_policy(policy)
    if note := example_note(versions):
        stderr.write(note + "\n")
    result = screen(read_facts(facts), versions, label).drop(ROW)
    write_frame(result, out, stdout)
    if out is not None:
        counts = result.group_by("result").len().sort("result").iter_rows()
        stderr.write(
            f"{result.height} cases screened: " + ", ".join(f"{n} {r}" for r, n in counts) + "\n"
        )


class _Quiet(argparse.ArgumentParser):
    """Raises instead of printing usage and exiting: a line it cannot read is the
    management command's to explain."""

    def error(self, message: str) -> NoReturn:
        raise argparse.ArgumentError(None, message)


# Options that need the database (or Django's own machinery): those go the command's way.
_DJANGO_ONLY = {"--case", "--cases-like", "--as-of", "--actor", "--purpose", "-h", "--help"}


def main(argv: list[str]) -> int | None:
    """``ontrack screen`` on a facts file without Django's set-up; None when ``argv`` is not
    exactly a file screening (then the management command handles it, options and errors
    included)."""
    if any(a.split("=", 1)[0] in _DJANGO_ONLY for a in argv):
        return None
    # The settings (time zone for "today", the site directory) without the app registry.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ontrack.settings")
    parser = _Quiet(add_help=False, exit_on_error=False)
    add_file_arguments(parser)
    try:
        options, unknown = parser.parse_known_args(argv)
    except argparse.ArgumentError:
        return None
    if unknown or options.facts is None:
        return None
    try:
        run(
            facts=options.facts,
            policy=options.policy,
            label=options.label,
            out=options.out,
            stdout=sys.stdout,
            stderr=sys.stderr,
        )
    except (PolicyError, FactsRejected, OutputRefused) as exc:
        message = exc.report() if isinstance(exc, FactsRejected) else str(exc)
        # Worded as the management command words a CommandError.
        sys.stderr.write(f"CommandError: {message}\n")
        return BAD_INPUT
    return 0
