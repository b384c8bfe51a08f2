"""A small stand-in for the statute catalog, for tests of the eligibility code alone (a test
fixture, never shipped): a handful of codes, written here, with the levels and categories
the tests need. It answers through the same API (``offenses.lookup.Catalog``) and reads
codes with the same parser (``offenses.codes.parse``); tests that need the real catalog's
answers are in ``test_real_catalog.py``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl
import pytest

from ontrack.offenses import lookup
from ontrack.offenses.codes import StatuteCode, parse
from ontrack.offenses.lookup import CategoryFinding, CodeInfo


@dataclass(frozen=True)
class Entry:
    levels: frozenset[str]
    categories: tuple[CategoryFinding, ...] = ()
    until: dt.date | None = None  # the row is in force before this date
    after: Entry | None = None  # the row in force from ``until``


def _c(category: str, basis: str, certain: bool = True, note: str = "") -> CategoryFinding:
    return CategoryFinding(category, basis, certain, note)


FELONY, MISDEMEANOR = frozenset({"felony"}), frozenset({"misdemeanor"})
WOBBLER = frozenset({"felony", "misdemeanor"})

# Section → entry; a subdivision is looked up through its broader codes, as the real catalog
# does. Categories as the statutes give them (PC 667.5(c), PC 1192.7(c)).
ENTRIES: dict[str, Entry] = {
    "HS 11351": Entry(FELONY, (_c("drug_possession_for_sale", "HS 11351"),)),
    "HS 11352": Entry(FELONY, (_c("drug_sale", "HS 11352"),)),
    "HS 11350": Entry(
        FELONY,
        (_c("drug_possession", "HS 11350"),),
        # As the DOJ table has it: the felony row (35152) stays in force (a felony still for
        # specified priors) and a misdemeanor row (35422) joins it on 2014-11-05 (Prop 47).
        until=dt.date(2014, 11, 5),
        after=Entry(WOBBLER, (_c("drug_possession", "HS 11350"),)),
    ),
    "PC 187": Entry(FELONY, (_c("violent", "PC 667.5(c)(1)"), _c("serious", "PC 1192.7(c)(1)"))),
    "PC 211": Entry(FELONY, (_c("violent", "PC 667.5(c)(9)"), _c("serious", "PC 1192.7(c)(19)"))),
    "PC 459": Entry(
        WOBBLER,
        (
            _c(
                "serious",
                "PC 1192.7(c)(18)",
                certain=False,
                note="only in the first degree, PC 460(a)",
            ),
        ),
    ),
    "PC 148": Entry(WOBBLER),
    "PC 12022": Entry(frozenset({"felony"}), (_c("weapon", "PC 12022"),)),
    "PC 186.22": Entry(frozenset({"felony"}), (_c("gang", "PC 186.22"),)),
    "HS 11353.6": Entry(frozenset({"felony"}), (_c("near_school", "HS 11353.6"),)),
    "VC 23103": Entry(MISDEMEANOR),
    "VC 22350": Entry(frozenset({"infraction"})),
    "VC 4000": Entry(frozenset({"infraction"})),
}


class FakeCatalog(lookup.Catalog):
    def __init__(self, entries: dict[str, Entry] | None = None, version: str = "fake-1") -> None:
        super().__init__(version)
        self.entries = ENTRIES if entries is None else entries

    def _entry(self, code: StatuteCode) -> Entry | None:
        for candidate in [code.base, *code.broader()]:
            if candidate in self.entries:
                return self.entries[candidate]
        return None

    def lookup(self, code: str | StatuteCode, on: dt.date | None = None) -> CodeInfo:
        parsed = parse(code) if isinstance(code, str) else code
        entry = self._entry(parsed)
        if entry is None:
            return CodeInfo(parsed, False, None, None, frozenset(), ())
        while on is not None and entry.until is not None and on >= entry.until and entry.after:
            entry = entry.after
        levels = entry.levels
        if on is None and entry.after is not None:
            levels = levels | entry.after.levels
        level = next(iter(levels)) if len(levels) == 1 else None
        return CodeInfo(parsed, True, parsed.base, level, levels, entry.categories)

    def lookup_frame(self, frame: pl.DataFrame) -> pl.DataFrame:
        rows = []
        ons = frame.get_column("on") if "on" in frame.columns else [None] * frame.height
        for code, on in zip(frame.get_column("code"), ons, strict=True):
            info = self.lookup(code, on)
            rows.append(
                (
                    info.known,
                    info.level,
                    sorted(info.definite) if info.known else None,
                    sorted(info.possible) if info.known else None,
                )
            )
        return pl.DataFrame(
            rows,
            schema={
                "known": pl.Boolean,
                "level": pl.String,
                "categories": pl.List(pl.String),
                "possible_categories": pl.List(pl.String),
            },
            orient="row",
        )


@pytest.fixture
def fake_catalog(monkeypatch: pytest.MonkeyPatch) -> FakeCatalog:
    """Install the fake as the process's catalog for one test."""
    fake = FakeCatalog()
    monkeypatch.setattr(lookup, "catalog", lambda: fake)
    return fake
