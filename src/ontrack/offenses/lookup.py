"""The one catalog API: "what is this code?" for pages, the engine, the classifier, imports.

CONTRACT (fixed for the parallel work on issue 7; the implementation behind it may change):

- ``catalog()`` returns the process-wide ``Catalog`` (built catalog shipped in the package,
  plus category overlays from the package and ``ONTRACK_SITE_DIR``), loaded once.
- ``Catalog.version`` is a short stable identifier of exactly what was loaded (hash of the
  built table and every overlay); screenings store it so a decision replays years later.
- ``Catalog.lookup(code, on=None)`` → ``CodeInfo`` for one code (text or ``StatuteCode``),
  never raising for a well-formed code the catalog does not know (``known`` is False and
  every derived value is None/unknown). Text that cannot be a statute code at all raises
  ``StatuteCodeError`` (callers turn that into an input error naming row, column, value).
- ``Catalog.lookup_frame(frame)`` is the columnar form: input columns ``code`` (String,
  normalised or raw) and optionally ``on`` (Date); output, row for row, ``known``
  (Boolean), ``level`` (String, null unless exactly one level is possible on ``on``),
  ``categories`` (List[String], the categories that certainly apply; null when unknown),
  ``possible_categories`` (List[String], categories that apply only under a degree or
  subdivision not given, e.g. serious for PC 459 without a degree). Each distinct
  (code, on) is looked up once.

Added on the catalog branch (compatible): ``lookup(..., degree=None)`` and an optional
``degree`` input column; output columns ``normalised``, ``modifier``, ``target_codes``,
``description``, ``enhancement``, ``levels``; ``CodeInfo.enhancement``;
``StatuteCode.qualifier`` and ``StatuteCode.in_code_set``. See docs/catalog.md.

Three-valued reading of a code's categories, as every caller must use it:
category C *applies* if C in ``definite``; *may apply* (unknown) if C in ``possible`` or the
code is not ``known``; *does not apply* otherwise.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from dataclasses import dataclass, replace
from typing import Any

import polars as pl

from ontrack.offenses import catalog_data
from ontrack.offenses.catalog_data import CatalogData, Finding, ModifierRules, Row
from ontrack.offenses.categories import category_label
from ontrack.offenses.codes import StatuteCode, StatuteCodeError, parents, parse
from ontrack.offenses.levels import Segment, attempt_levels, conspiracy_levels, segments


@dataclass(frozen=True)
class CategoryFinding:
    """One category of one code, with the clause that puts it there."""

    category: str
    basis: str  # the cited paragraph: "PC 667.5(c)(12)", "PC 1192.7(c)(39)"
    # False when it applies only under a degree or subdivision the code does not give
    # (PC 459 burglary is serious only in the first degree, PC 460(a)).
    certain: bool = True
    note: str = ""  # why, in words, shown in explanations

    @property
    def label(self) -> str:
        return category_label(self.category)


@dataclass(frozen=True)
class CodeInfo:
    code: StatuteCode
    known: bool  # some catalog row knows the (target) section
    description: str | None  # "murder" for PC 187(a); None when unknown
    level: str | None  # felony/misdemeanor/infraction on the date, when exactly one is possible
    levels: frozenset[str]  # every level possible on the date (empty when unknown)
    categories: tuple[CategoryFinding, ...]
    # Added on the catalog branch: the code is a sentence enhancement or allegation
    # (PC 12022.5), not an offense; it has no level of its own.
    enhancement: bool = False

    @property
    def definite(self) -> frozenset[str]:
        return frozenset(c.category for c in self.categories if c.certain)

    @property
    def possible(self) -> frozenset[str]:
        """Categories that may apply but depend on something the code does not say."""
        return frozenset(c.category for c in self.categories if not c.certain) - self.definite

    @property
    def words(self) -> str:
        """The code in words for pages: "attempt — PC 187(a) murder"."""
        target = self.code.base
        if self.code.qualifier is not None:  # "PC 459/460(a) burglary"
            target = StatuteCode(
                self.code.book,
                self.code.section,
                self.code.subdivisions,
                qualifier=self.code.qualifier,
            ).text
        described = f"{target} {self.description}" if self.description else target
        return f"{self.code.modifier} — {described}" if self.code.modifier else described


@dataclass(frozen=True)
class _Resolved:
    """Everything about one code that does not depend on the date."""

    code: StatuteCode
    known: bool
    description: str | None
    categories: tuple[CategoryFinding, ...]
    segments: tuple[Segment, ...]
    ever: frozenset[str]  # every level any row ever had
    enhancement: bool

    def levels_on(self, on: dt.date | None) -> frozenset[str]:
        if on is None:
            return self.ever
        for s in self.segments:
            if (s.start is None or s.start <= on) and (s.end is None or on <= s.end):
                return s.levels
        return frozenset()


class Catalog:
    """The loaded catalog. Build with ``catalog()``; immutable."""

    def __init__(self, version: str, data: CatalogData | None = None) -> None:
        self.version = version
        self._data = data if data is not None else catalog_data.load()
        self._rows: dict[str, list[Row]] = defaultdict(list)
        self._row_codes_by_section: dict[str, set[str]] = defaultdict(set)
        for row in self._data.rows:
            if row.code:
                self._rows[row.code].append(row)
                self._row_codes_by_section[_section_of(row.code)].add(row.code)
        self._section_codes: dict[str, set[str]] = defaultdict(set)
        for code in self._data.sections:
            self._section_codes[_section_of(code)].add(code)
        self._resolved: dict[tuple[str, str | None], _Resolved] = {}
        self._parsed: dict[str, StatuteCode] = {}
        self._frame_rows: dict[tuple[str, str | None], _FrameRow] = {}

    def _parse(self, raw: str) -> StatuteCode:
        found = self._parsed.get(raw)
        if found is None:
            found = self._parsed[raw] = parse(raw)
        return found

    @property
    def data(self) -> CatalogData:
        return self._data

    # ------------------------------------------------------------------ one code
    def lookup(
        self, code: str | StatuteCode, on: dt.date | None = None, *, degree: str | None = None
    ) -> CodeInfo:
        """``degree`` (added on the catalog branch): the degree the charge states ("1")."""
        resolved = self._resolve(
            code if isinstance(code, StatuteCode) else self._parse(code), degree
        )
        levels = resolved.levels_on(on)
        return CodeInfo(
            code=resolved.code,
            known=resolved.known,
            description=resolved.description,
            level=next(iter(levels)) if len(levels) == 1 else None,
            levels=levels,
            categories=resolved.categories,
            enhancement=resolved.enhancement,
        )

    def _resolve(self, code: StatuteCode, degree: str | None) -> _Resolved:
        key = (code.text, degree)
        found = self._resolved.get(key)
        if found is None:
            found = self._resolved[key] = self._compute(code, degree)
        return found

    def _compute(self, code: StatuteCode, degree: str | None) -> _Resolved:
        if code.modifier is None:
            return self._offense(code, degree)
        target = self._offense(replace(code, modifier=None, modifier_code=None), degree)
        rules = self._data.attempts if code.modifier == "attempt" else self._data.conspiracies
        transform = attempt_levels if code.modifier == "attempt" else conspiracy_levels
        return _Resolved(
            code=code,
            known=target.known,
            description=target.description,
            categories=_modified(code, rules, target.categories) if target.known else (),
            segments=tuple(replace(s, levels=transform(s.levels)) for s in target.segments),
            ever=transform(target.ever),
            enhancement=False,
        )

    def _offense(self, code: StatuteCode, degree: str | None) -> _Resolved:
        base = code.base
        chain = [base, *parents(base)]  # exact, then broader: a subdivision is its section
        narrower = f"{base}("
        # Rows: the code's own and its subdivisions' (a bare PC 422 covers the PC 422(a) rows
        # DOJ renumbered it to); else the nearest broader code's (HS 11352(a) → HS 11352).
        rows: list[Row] = list(self._rows.get(code.text, [])) if code.qualifier else []
        if not rows:
            rows = list(self._rows.get(base, [])) + [
                r
                for c in sorted(self._row_codes_by_section.get(code.section_code, ()))
                if c.startswith(narrower) and "/" not in c
                for r in self._rows[c]
            ]
        if not rows:
            rows = next((self._rows[c] for c in chain[1:] if c in self._rows), [])
        sections = self._data.sections
        entries = [sections[c] for c in chain if c in sections]
        qualifying = []
        if code.qualifier is not None:
            qualifier = parse(code.qualifier)
            qualifying = [
                sections[c] for c in [qualifier.base, *qualifier.broader()] if c in sections
            ]
        for entry in qualifying:
            if entry.degree_of is not None and code.in_code_set({entry.degree_of[0]}):
                degree = degree or entry.degree_of[1]
                # The degree's own section has the rows with its levels: PC 460(a) is F only,
                # where PC 459 has F and M rows (second-degree burglary is a wobbler).
                rows = self._rows.get(entry.code, rows)
        inner = [
            sections[c]
            for c in sorted(self._section_codes.get(code.section_code, ()))
            if c.startswith(narrower)
        ]
        findings: list[CategoryFinding] = []
        for entry in entries + qualifying:
            for f in entry.findings:
                if (applied := _with_degree(f, degree)) is not None:
                    findings.append(applied)
        for entry in inner:  # a bare section: its subdivisions' categories are only possible
            for f in entry.findings:
                note = f"only under {entry.code}" + (f"; {f.note}" if f.note else "")
                findings.append(CategoryFinding(f.category, f.basis, False, note))
        known = bool(rows or entries or inner)
        return _Resolved(
            code=code,
            known=known,
            description=self._description(code, chain, rows) if known else None,
            categories=_unique(findings) if known else (),
            segments=segments(rows),
            ever=frozenset(r.level for r in rows if r.level),
            enhancement=any(e.kind == "enhancement" for e in entries),
        )

    def _description(self, code: StatuteCode, chain: list[str], rows: list[Row]) -> str | None:
        if code.qualifier is not None and code.text in self._rows:
            return _literal(self._rows[code.text])
        for c in chain:
            entry = self._data.sections.get(c)
            if entry is not None and entry.description:
                return entry.description
            if c in self._rows:
                return _literal(self._rows[c])
        # A bare section known only by its subdivisions' rows: a literal only if they agree.
        literals = {r.literal for r in rows}
        return _literal(rows) if len(literals) == 1 else None

    # ------------------------------------------------------------------ a column
    def lookup_frame(self, frame: pl.DataFrame) -> pl.DataFrame:
        """Row for row: the input columns, then ``normalised`` (the one spelling),
        ``modifier`` (attempt/conspiracy/null), ``target_codes`` (the target and its broader
        codes, nearest first: test a value set with ``list.eval(is_in)``), ``known``,
        ``description``, ``enhancement``, ``levels``, ``level``, ``categories`` (certain),
        ``possible_categories`` (may apply); the last five are null when not known.

        Optional input columns ``on`` (Date) and ``degree`` (String, added on the catalog
        branch). Each distinct (code, degree) is resolved once; levels on the dates are then
        a join against each code's dated level segments, so many dates cost one join.
        Raises ``StatuteCodeError`` naming the row and value of the first code that cannot
        be a statute code.
        """
        has_on, has_degree = "on" in frame.columns, "degree" in frame.columns
        keys = pl.DataFrame(
            {
                "code": frame["code"].cast(pl.String),
                "degree": frame["degree"].cast(pl.String) if has_degree else None,
            },
            schema={"code": pl.String, "degree": pl.String},
        ).with_row_index("_row")
        distinct = keys.group_by("code", "degree").agg(pl.col("_row").min())
        per_code: dict[str, list[object]] = defaultdict(list)
        segments: dict[str, list[object]] = defaultdict(list)
        for raw, degree, row in distinct.iter_rows():
            if raw is None:
                continue
            cached = self._frame_rows.get((raw, degree))
            if cached is None:
                try:
                    resolved = self._resolve(self._parse(raw), degree)
                except StatuteCodeError as exc:
                    raise StatuteCodeError(f"row {row + 1}: code {raw!r}: {exc}") from exc
                cached = self._frame_rows[(raw, degree)] = _frame_row(resolved)
            values, dated_levels = cached
            for column, value in zip(_INFO_SCHEMA, (raw, degree, *values), strict=True):
                per_code[column].append(value)
            for start, end, joined in dated_levels:
                for column, value in zip(
                    _SEGMENT_SCHEMA, (raw, degree, start, end, joined), strict=True
                ):
                    segments[column].append(value)
        info = pl.DataFrame(per_code, schema=_INFO_SCHEMA).with_columns(
            _split(c) for c in ("target_codes", "ever", "categories", "possible_categories")
        )
        result = keys.join(info, on=["code", "degree"], how="left", nulls_equal=True)
        if has_on:
            result = result.with_columns(frame["on"].cast(pl.Date).alias("on"))
            # Each distinct (code, date) against the code's few dated segments.
            dated = (
                result.filter(pl.col("on").is_not_null() & pl.col("known"))
                .select("code", "degree", "on")
                .unique()
            )
            spans = pl.DataFrame(segments, schema=_SEGMENT_SCHEMA).with_columns(
                _split("seg_levels")
            )
            hits = (
                dated.join(spans, on=["code", "degree"], nulls_equal=True)
                .filter(
                    (pl.col("start").is_null() | (pl.col("start") <= pl.col("on")))
                    & (pl.col("end").is_null() | (pl.col("on") <= pl.col("end")))
                )
                .select("code", "degree", "on", "seg_levels")
            )
            result = result.join(hits, on=["code", "degree", "on"], how="left", nulls_equal=True)
            levels = (
                pl.when(pl.col("known").not_())
                .then(None)
                .when(pl.col("on").is_null())
                .then(pl.col("ever"))
                .otherwise(pl.col("seg_levels").fill_null(pl.lit([], dtype=pl.List(pl.String))))
            )
        else:
            levels = pl.col("ever")
        result = result.sort("_row").with_columns(levels.alias("levels"))
        result = result.with_columns(
            pl.when(pl.col("levels").list.len() == 1)
            .then(pl.col("levels").list.first())
            .otherwise(None)
            .alias("level")
        )
        inputs = list(frame.columns)
        out = frame.select(inputs).hstack(
            result.select(
                "normalised",
                "modifier",
                "target_codes",
                "known",
                "description",
                "enhancement",
                "levels",
                "level",
                "categories",
                "possible_categories",
            )
        )
        return out

    # ------------------------------------------------------------------ listing
    def codes(self) -> list[str]:
        """Every code the catalog knows (DOJ rows and overlay sections), sorted."""
        return sorted(set(self._rows) | set(self._data.sections))


# List columns travel as strings joined with _SEP and are split in Polars.
_SEP = "\x1f"
_INFO_SCHEMA: dict[str, Any] = {
    "code": pl.String,
    "degree": pl.String,
    "normalised": pl.String,
    "modifier": pl.String,
    "target_codes": pl.String,
    "known": pl.Boolean,
    "description": pl.String,
    "enhancement": pl.Boolean,
    "ever": pl.String,
    "categories": pl.String,
    "possible_categories": pl.String,
}
_SEGMENT_SCHEMA: dict[str, Any] = {
    "code": pl.String,
    "degree": pl.String,
    "start": pl.Date,
    "end": pl.Date,
    "seg_levels": pl.String,
}
_FrameRow = tuple[
    tuple[str, str | None, str, bool, str | None, bool, str | None, str | None, str | None],
    list[tuple[dt.date | None, dt.date | None, str]],
]


def _frame_row(resolved: _Resolved) -> _FrameRow:
    """One code's values for ``lookup_frame`` (lists joined; None when not known)."""
    known = resolved.known
    definite = _definite(resolved.categories)
    possible = sorted({c.category for c in resolved.categories} - set(definite))
    values = (
        resolved.code.text,
        resolved.code.modifier,
        _SEP.join([resolved.code.base, *resolved.code.broader()]),
        known,
        resolved.description,
        resolved.enhancement,
        _SEP.join(sorted(resolved.ever)) if known else None,
        _SEP.join(definite) if known else None,
        _SEP.join(possible) if known else None,
    )
    dated = [(s.start, s.end, _SEP.join(sorted(s.levels))) for s in resolved.segments]
    return values, dated


def _split(column: str) -> pl.Expr:
    parts = pl.col(column).str.split(_SEP)
    return (
        pl.when(pl.col(column) == "")
        .then(pl.lit([], dtype=pl.List(pl.String)))
        .otherwise(parts)
        .alias(column)
    )


def _section_of(code: str) -> str:
    return code.split("(", 1)[0].split("/", 1)[0]


def _literal(rows: list[Row]) -> str:
    return min(rows, key=lambda r: r.doj_offense_code).literal.lower()


def _definite(findings: tuple[CategoryFinding, ...]) -> list[str]:
    return sorted({c.category for c in findings if c.certain})


def _with_degree(f: Finding, degree: str | None) -> CategoryFinding | None:
    """A finding tied to a degree: certain in it, absent in another, possible when unknown."""
    if f.degree is None:
        return CategoryFinding(f.category, f.basis, f.certain, f.note)
    if degree is None:
        return CategoryFinding(f.category, f.basis, False, f.note or f"degree {f.degree} only")
    if degree != f.degree:
        return None
    return CategoryFinding(f.category, f.basis, f.certain, f.note)


def _modified(
    code: StatuteCode, rules: ModifierRules, target: tuple[CategoryFinding, ...]
) -> tuple[CategoryFinding, ...]:
    """Categories of an attempt or conspiracy, from its target's, as the statutes say."""
    found: list[CategoryFinding] = []
    for rule in rules.rules:
        if rule.targets:
            if code.in_code_set(rule.targets):
                found.append(CategoryFinding(rule.category, rule.basis, rule.certain, rule.note))
            continue
        for f in target:
            if f.category != rule.of or f.basis in rule.except_bases:
                continue
            certain = f.certain and rule.certain and f.basis not in rule.uncertain_bases
            note = f"{code.modifier} to commit an offense listed at {f.basis}"
            if f.note:
                note = f"{note}; {f.note}"
            found.append(CategoryFinding(rule.category, rule.basis, certain, note))
    found.extend(
        replace(f, note=f"of the target offense{'; ' + f.note if f.note else ''}")
        for f in target
        if f.category in rules.carry
    )
    return _unique(found)


def _unique(findings: list[CategoryFinding]) -> tuple[CategoryFinding, ...]:
    """One finding per (category, basis): certain wins over possible."""
    best: dict[tuple[str, str], CategoryFinding] = {}
    for f in findings:
        have = best.get((f.category, f.basis))
        if have is None or (f.certain and not have.certain):
            best[(f.category, f.basis)] = f
    return tuple(sorted(best.values(), key=lambda f: (f.category, f.basis)))


@functools.cache
def catalog() -> Catalog:
    data = catalog_data.load()
    return Catalog(data.version, data)


__all__ = [
    "Catalog",
    "CategoryFinding",
    "CodeInfo",
    "StatuteCode",
    "StatuteCodeError",
    "catalog",
    "parse",
]
