"""Benchmark: the catalog's columnar lookup (``lookup.catalog().lookup_frame``) as the
screening engine will call it — many charge rows, ~10,000 distinct codes, an offense date
each — side by side, in the same run, with a hand-written baseline: a Polars left join of the
same rows against a table that already holds each code's answer (what any columnar lookup
costs at least). Also times loading the catalog, and checks (not times) that every row of a
sample equals the one-code ``lookup``.

    .venv/bin/python benchmarks/catalog_lookup.py [--rows 1000000] [--codes 10000] [--seed 1]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ontrack.settings")

import django

django.setup()

import numpy as np  # noqa: E402
import polars as pl  # noqa: E402
from benchlib import machine, median_of, ms, table, timed  # noqa: E402

from ontrack.offenses import catalog_data  # noqa: E402
from ontrack.offenses.lookup import Catalog  # noqa: E402


def distinct_codes(loaded: Catalog, wanted: int, rng: np.random.Generator) -> list[str]:
    """Every code the catalog knows, then attempts, conspiracies and other states' codes
    (unknown) until there are ``wanted``, spelled as charging documents do."""
    known = loaded.codes()
    codes = [c for c in known if "/" not in c]
    extra: list[str] = []
    for c in codes:
        extra += [f"PC 664/{c.removeprefix('PC ')}", f"PC 182(a)(1)/{c.removeprefix('PC ')}"]
    extra += [f"FS 893.{n}" for n in range(13, 13 + wanted)]
    picked = rng.permutation(len(extra))[: max(0, wanted - len(known))]
    return known + [extra[i] for i in picked]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--codes", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)

    load_s, data = timed(catalog_data.load)
    loaded = Catalog(data.version, data)
    codes = distinct_codes(loaded, args.codes, rng)
    start = dt.date(1995, 1, 1).toordinal()
    days = rng.integers(0, 11_000, args.rows)
    frame = pl.DataFrame(
        {
            "code": pl.Series(codes, dtype=pl.String).gather(
                rng.integers(0, len(codes), args.rows)
            ),
            # Days since 1970-01-01 (ordinal 719163) as a Date column.
            "on": pl.Series((days + (start - 719163)).astype("int32")).cast(pl.Date),
        }
    )

    cold_s, first = timed(lambda: loaded.lookup_frame(frame))
    warm_s, _ = median_of(lambda: loaded.lookup_frame(frame), args.runs, warmup=0)
    # Baseline: the answers already in a table, one left join (no dates, no resolving).
    answers = first.select(
        "code", "known", "levels", "level", "categories", "possible_categories"
    ).unique("code")
    base_s, _ = median_of(
        lambda: frame.join(answers, on="code", how="left", maintain_order="left"), args.runs
    )

    sample = first.sample(min(2_000, first.height), seed=args.seed)
    for row in sample.iter_rows(named=True):
        one = loaded.lookup(row["code"], row["on"])
        expected = (one.known, one.level, sorted(one.levels) if one.known else None)
        got = (row["known"], row["level"], row["levels"])
        assert got == expected, (row["code"], row["on"], got, expected)
        assert row["categories"] == (sorted(one.definite) if one.known else None), row["code"]
    print(f"catalog version {loaded.version}; {len(loaded.codes()):,} known codes")
    for key, value in machine().items():
        print(f"{key:>8}: {value}")
    print(
        table(
            ["step", "time", "vs baseline"],
            [
                ["load the catalog (rows + overlays)", ms(load_s), ""],
                [
                    "lookup_frame, first call (resolves each code)",
                    ms(cold_s),
                    f"{cold_s / base_s:.1f}x",
                ],
                ["lookup_frame, codes already resolved", ms(warm_s), f"{warm_s / base_s:.1f}x"],
                ["baseline: join against ready answers", ms(base_s), "1.0x"],
            ],
            align_right=False,
        )
    )
    print(
        f"{args.rows:,} rows, {frame['code'].n_unique():,} distinct codes; "
        f"{sample.height:,} sampled rows equal the one-code lookup."
    )


if __name__ == "__main__":
    main()
