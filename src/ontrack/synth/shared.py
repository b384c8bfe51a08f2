"""Constants and types shared by the synthetic-data modules."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy.typing as npt
import polars as pl

from ontrack.synth import pools as P

if TYPE_CHECKING:
    pass

GENERATOR_VERSION = "ontrack-synth 1.0"
DEFAULT_TODAY = datetime.date(2026, 11, 30)
FIRST_FILING = datetime.date(2005, 1, 1)
FRAME_NAMES = ("people", "aliases", "identifiers", "cases", "arrests", "charges", "priors")

Arr = npt.NDArray[Any]
Progress = Callable[[str, int], None]

_ADULT_DAYS = 6575  # 18 calendar years never span more days than this
_SEXES = tuple(P.SEX_WEIGHTS)
_MALE, _FEMALE, _NONBINARY = (_SEXES.index(s) for s in ("male", "female", "nonbinary"))
_RACES = tuple(P.RACE_WEIGHTS)
_R = {name: i for i, name in enumerate(_RACES)}
_STATUSES = ("open", "diverted", "dismissed", "sentenced", "closed")
_OPEN, _DIVERTED, _DISMISSED, _SENTENCED, _CLOSED = range(5)
_DISPOSITIONS = ("pending", "diverted", "dismissed", "convicted", "acquitted")
_LEVELS = ("felony", "misdemeanor", "infraction", "")
_CATALOG_LEVELS = ("felony", "wobbler", "misdemeanor", "infraction", "enhancement")
_FEL, _WOB, _MIS, _INF, _ENH = range(5)
_CITIES = tuple(P.CITIES)
_COURTS = tuple(P.COURT_DOCKET_PREFIX)
_AGENCIES = tuple(dict.fromkeys(a for t in P.AGENCY_BY_COURT.values() for a in t))
_ALIAS_KINDS = ("aka", "nickname", "maiden")


class SynthCatalogError(ValueError):
    """The catalog lacks codes the generator's pools name; the message lists them."""


# Every synthetic person has had a criminal-history check, possibly finding nothing; without
# one on file their priors would rightly count as unknown. The database loader and the CSV
# export both record it under this source.
HISTORY_SOURCE = "synthetic rap sheet"


def history_totals(frames: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """``person_key, total``: each person's number of prior records (0 when none)."""
    totals = frames["priors"].group_by("person_key").len("total")
    return (
        frames["people"]
        .select("person_key")
        .join(totals, on="person_key", how="left")
        .with_columns(pl.col("total").fill_null(0))
    )
