"""The generated caseload the generator tests read: built once per session, never changed.

Only ``frames`` lives here: a ``catalog`` fixture here would hide the database one that
test_load.py uses, so the generator modules read the catalog themselves.
"""

from __future__ import annotations

import polars as pl
import pytest

from ontrack.offenses.catalog import read_catalog
from ontrack.synth.generate import generate
from ontrack.synth.tests.helpers import SEED, TODAY, N


@pytest.fixture(scope="session")
def frames() -> dict[str, pl.DataFrame]:
    return generate(N, SEED, catalog=read_catalog(), today=TODAY)
