"""The baseline of ``screen_command.py``: a user's own Polars script that reads the facts,
screens them by the Back on Track criteria and writes the same columns as ``ontrack screen``.

    python benchmarks/screen_handwritten.py FACTS.parquet CODE_BITS.json OUT.parquet

Plain Polars (no Django, no project code): the query is ``eligibility_handwritten``'s, what a
code means comes from CODE_BITS.json (written by the runner from the catalog API).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import polars as pl
from eligibility_handwritten import hand_written


def main() -> None:
    facts_path, bits_path, out_path = sys.argv[1:4]
    facts = pl.read_parquet(facts_path)
    bits = json.loads(Path(bits_path).read_text())
    hand_written(facts, bits).write_parquet(out_path)


if __name__ == "__main__":
    main()
