"""A synthetic San Francisco drug-felony caseload as Polars frames, for demos and load tests.

Pure and columnar: no Django models, no database, no per-row Faker calls. Every draw comes
from ``numpy.random.Generator(PCG64)`` streams spawned from the seed, so the same
``(people, seed, today)`` gives identical frames on every run. The pools and weights live in
:mod:`ontrack.synth.pools`.

Unknown facts are nulls (dates, booleans) or ``""`` (text), at small realistic rates, never
placeholder values. About 2 % of person rows are near-duplicates: a second record of an
earlier person (``true_person_key``) with a typo, nickname, swapped names or a garbled or
missing date of birth, as a booking system that failed to match would have created.

``generate(catalog=None)`` reads the real offense catalog; that imports the offenses app's
models, so the caller must have set up Django (the ``ontrack`` command and pytest-django do).
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import polars as pl

from ontrack.synth import columns as C
from ontrack.synth.case_frames import (
    _case_frames,
    _charges_frame,
    _Codes,
    _draw_case_dates,
    _identifiers_frame,
    _priors_frame,
)
from ontrack.synth.people_frames import (
    _aliases_frame,
    _choose_duplicates,
    _draw_people,
    _Names,
    _people_frame,
    _vary_duplicates,
)
from ontrack.synth.shared import (
    DEFAULT_TODAY,
    FIRST_FILING,
    FRAME_NAMES,
    GENERATOR_VERSION,
    Progress,
    SynthCatalogError,
)

if TYPE_CHECKING:
    from ontrack.offenses.catalog import CatalogFile

# --- public API -----------------------------------------------------------------------------


__all__ = [
    "FRAME_NAMES",
    "GENERATOR_VERSION",
    "SynthCatalogError",
    "generate",
    "make_manifest",
    "write_parquet",
]


def generate(
    people: int,
    seed: int,
    *,
    catalog: CatalogFile | None = None,
    today: datetime.date = DEFAULT_TODAY,
    progress: Progress | None = None,
) -> dict[str, pl.DataFrame]:
    """Frames ``people, aliases, identifiers, cases, arrests, charges, priors``.

    Deterministic for ``(people, seed, today)`` and the catalog. With ``catalog=None`` the
    real catalog is read, which needs Django set up. Raises ``SynthCatalogError`` naming
    every code the pools use that the catalog lacks.
    """
    if people < 1:
        raise ValueError("people must be at least 1")
    if people > 4_000_000:
        raise ValueError("at most 4,000,000 people (local ID numbers have 7 digits)")
    if seed < 0:
        raise ValueError("seed must not be negative")
    if today < FIRST_FILING.replace(year=FIRST_FILING.year + 3):
        raise ValueError(f"today must be at least three years after {FIRST_FILING}")
    if catalog is None:
        from ontrack.offenses.catalog import read_catalog

        catalog = read_catalog()
    codes = _Codes.of(catalog)

    def report(stage: str, rows: int) -> None:
        if progress is not None:
            progress(stage, rows)

    streams = [
        np.random.Generator(np.random.PCG64(s)) for s in np.random.SeedSequence(seed).spawn(9)
    ]
    vocab = C.Vocab()
    names = _Names(vocab)
    person_data = _draw_people(streams[0], people, vocab, names)
    _choose_duplicates(streams[1], person_data)
    cases = _draw_case_dates(streams[2], person_data, today)
    _vary_duplicates(streams[3], person_data, cases, vocab)
    frames: dict[str, pl.DataFrame] = {}
    frames["people"] = _people_frame(person_data, vocab)
    report("people", frames["people"].height)
    frames["aliases"] = _aliases_frame(streams[4], person_data, vocab, names)
    report("aliases", frames["aliases"].height)
    frames["identifiers"] = _identifiers_frame(streams[5], person_data, cases)
    report("identifiers", frames["identifiers"].height)
    frames["cases"], frames["arrests"] = _case_frames(streams[6], cases)
    report("cases", frames["cases"].height)
    report("arrests", frames["arrests"].height)
    frames["charges"] = _charges_frame(streams[7], cases, codes)
    report("charges", frames["charges"].height)
    frames["priors"] = _priors_frame(streams[8], person_data, cases, codes)
    report("priors", frames["priors"].height)
    return {name: frames[name] for name in FRAME_NAMES}


def make_manifest(
    *, people: int, seed: int, today: datetime.date, catalog_sha256: str = ""
) -> dict[str, Any]:
    """The caller's half of ``manifest.json``; ``write_parquet`` adds counts and version."""
    return {
        "seed": seed,
        "people": people,
        "today": today.isoformat(),
        "catalog_sha256": catalog_sha256,
    }


def write_parquet(frames: dict[str, pl.DataFrame], out_dir: Path, manifest: dict[str, Any]) -> None:
    """``<name>.parquet`` (zstd) per frame and ``manifest.json``, written last.

    ``manifest`` must hold ``seed``, ``people`` and ``today`` (see ``make_manifest``); the
    row count per frame and the generator version are added here.
    """
    missing = [key for key in ("seed", "people", "today") if key not in manifest]
    if missing:
        raise ValueError(f"manifest lacks {', '.join(missing)}")
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, frame in frames.items():
        frame.write_parquet(out_dir / f"{name}.parquet", compression="zstd")
    document = {
        **manifest,
        "today": str(manifest["today"]),
        "generator_version": GENERATOR_VERSION,
        "row_counts": {name: frame.height for name, frame in frames.items()},
    }
    (out_dir / "manifest.json").write_text(json.dumps(document, indent=2, sort_keys=True) + "\n")
