"""The one search over people and cases: candidates from indexed keys, scores in (0, 1].

How a person is found (ADR 0044, docs/search.md):

1. Each term of the query (``terms.py``) is looked up in ``people.PersonSearchKey`` by its
   kind and key (an index lookup): a name word by its key and its sound, a birth date by its
   key, a code by the identifier keys. Every name word typed must be found among the
   person's keys; with no name word, any term will do. Visibility is part of the same
   statement (``visible_people``), so what the actor may not see is neither a result nor
   counted.
2. Each term scores its best key: exact name word, birth date or identifier 1.0, a word that
   only sounds the same ``SOUND``; the person's score is the mean over the terms, so a birth
   date typed and matching lifts a name match above the same name alone.
3. The best ``WINDOW`` candidates by that score are refined in Python: a word found only by
   its sound scores by its edit-distance ratio to the closest name word (rapidfuzz), so
   "garsia" ranks Garcia above Garza. Ties are broken by type then id (stable paging).

A case is found by its docket or external case number, punctuation ignored (indexed key
columns on ``Case``), the whole query or any one code typed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from django.db.models import (
    Case,
    F,
    FloatField,
    Max,
    Q,
    QuerySet,
    Value,
    When,
)
from rapidfuzz import fuzz

from ontrack.cases.selectors import visible_cases
from ontrack.people.models import Person, PersonSearchKey, SearchKeyKind
from ontrack.people.selectors import visible_people
from ontrack.search import postgres
from ontrack.search.terms import Term, terms_of, whole_code

EXACT = 1.0
SOUND = 0.6  # a word found only by its Soundex, before refinement
SOUND_FLOOR, SOUND_SPAN = 0.5, 0.4  # refined: 0.5 + 0.4 x ratio (always below an exact word)
TRIGRAM_MIN = 4  # shorter words share too few trigrams to mean anything
WINDOW = 200  # candidates of each type refined and paged in Python; beyond, the SQL order

NAME, SOUNDS, BIRTH, IDENT = (
    SearchKeyKind.NAME.value,
    SearchKeyKind.SOUND.value,
    SearchKeyKind.BIRTH_DATE.value,
    SearchKeyKind.IDENTIFIER.value,
)


@dataclass(frozen=True)
class Found:
    type: str
    id: int
    score: float
    label_parts: tuple[Any, ...]


def _where_term(term: Term) -> Q:
    """The keys a term finds (plus, on PostgreSQL, name words a typo away by trigrams)."""
    where = _where(alternatives(term))
    if term.near:
        where |= postgres.near_word(term.key)
    return where


def with_fallbacks(terms: list[Term]) -> list[Term]:
    """On PostgreSQL, a name word that no key spells or sounds like is looked for a typo away
    by trigrams (the GIN index). Only then: a trigram search of a common word reads many
    keys, and the word's exact and sound keys already found what it would."""
    words = [t for t in terms if t.kind == "name" and len(t.key) >= TRIGRAM_MIN]
    if not words or not postgres.active():
        return terms
    known = set(
        PersonSearchKey.objects.filter(_where([a for t in words for a in alternatives(t)]))
        .values_list("kind", "key")
        .distinct()
    )
    unknown = {t.key for t in words if not {(k, v) for k, v, _ in alternatives(t)} & known}
    return [replace(t, near=True) if t.key in unknown else t for t in terms]


def alternatives(term: Term) -> list[tuple[str, str, float]]:
    """The keys a term may be found by, with what each is worth."""
    if term.kind == "name":
        found = [(NAME, term.key, EXACT)]
        if term.sound:
            found.append((SOUNDS, term.sound, SOUND))
        return found
    if term.kind == "date" and term.date is not None:
        return [(BIRTH, term.date.strftime("%Y%m%d"), EXACT), (IDENT, term.key, EXACT)]
    return [(IDENT, term.key, EXACT)]


def _where(alts: list[tuple[str, str, float]]) -> Q:
    where = Q(pk__in=[])
    for kind, key, _ in alts:
        where |= Q(kind=kind, key=key)
    return where


def _weight(term: Term) -> Max:
    """What the term is worth for a person: the best of their keys it finds (a grouped
    aggregate over the matching key rows)."""
    alts = alternatives(term)
    worth = Case(
        *[When(kind=k, key=v, then=Value(w)) for k, v, w in alts],
        *([When(_where_term(term), then=Value(SOUND))] if term.kind == "name" else []),
        default=Value(0.0),
        output_field=FloatField(),
    )
    return Max(worth)


def matching_people(actor: Any, terms: list[Term]) -> QuerySet[Person]:
    """Visible people the terms find: every name word typed must be found (one indexed
    semi-join per word); with none, any term will do."""
    names = [t for t in terms if t.kind == "name"]
    with_key = [
        Q(pk__in=PersonSearchKey.objects.filter(_where_term(t)).values("person_id"))
        for t in (names or terms)
    ]
    condition = Q()
    for q in with_key:
        condition = (condition & q) if names else (condition | q)
    return visible_people(actor=actor).filter(condition)


def weighed(matching: QuerySet[Person], terms: list[Term]) -> QuerySet[PersonSearchKey, Any]:
    """One row per matching person with ``w0``, ``w1`` … (what each term is worth for them):
    one grouped pass over those people's matching keys."""
    anything = Q(pk__in=[])
    for term in terms:
        anything |= _where_term(term)
    weights = {f"w{i}": _weight(t) for i, t in enumerate(terms)}
    return (
        PersonSearchKey.objects.filter(anything, person_id__in=matching.values("pk"))
        .values("person_id")
        .annotate(**weights)
    )


def ranked_people(actor: Any, terms: list[Term]) -> tuple[int, list[Found]]:
    matching = matching_people(actor, terms)
    total = matching.count()
    if not total:
        return 0, []
    names = [f"w{i}" for i in range(len(terms))]
    coarse = sum((F(name) for name in names), start=Value(0.0))
    window = list(
        weighed(matching, terms)
        .annotate(coarse=coarse)
        .order_by("-coarse", "person_id")
        .values("person_id", *names)[:WINDOW]
    )
    ids = [row["person_id"] for row in window]
    people = {
        row["pk"]: row
        for row in Person.objects.filter(pk__in=ids).values(
            "pk", "given_name", "family_name", "date_of_birth"
        )
    }
    closeness = _closeness(ids, [t.key if t.kind == "name" else None for t in terms])
    found = []
    for row in window:
        pk = row["person_id"]
        total_weight = 0.0
        for i, term in enumerate(terms):
            w = float(row[f"w{i}"])
            ratio = closeness.get((pk, i))
            if term.kind == "name" and 0 < w < EXACT and ratio is not None:
                # Found by sound (or trigrams) only: how close is the closest name word?
                w = SOUND_FLOOR + SOUND_SPAN * ratio
            total_weight += w
        score = round(total_weight / len(terms), 4)
        person = people[pk]
        label = (person["family_name"], person["given_name"], person["date_of_birth"], pk)
        found.append(Found("person", pk, max(score, 0.0001), label))
    return total, found


def _closeness(person_ids: list[int], words: list[str | None]) -> dict[tuple[int, int], float]:
    """(person, term) → how close the person's closest name word (aliases included) is to
    the term's word, 0 to 1: PostgreSQL's levenshtein in one grouped query, or on SQLite
    rapidfuzz over the words read in one query. The same number either way."""
    terms = [(i, w) for i, w in enumerate(words) if w]
    if not terms or not person_ids:
        return {}
    if postgres.active():
        return postgres.closeness(person_ids, terms)
    mine: dict[int, list[str]] = {}
    # By person only (the person_id index); the kind is picked here, since asking the database
    # for kind too lets SQLite prefer the (kind, key) index and read every name key.
    keys = PersonSearchKey.objects.filter(person_id__in=person_ids)
    for person_id, kind, key in keys.values_list("person_id", "kind", "key"):
        if kind == NAME:
            mine.setdefault(person_id, []).append(key)
    return {
        (pk, i): max(fuzz.ratio(word, key) for key in keys_) / 100
        for pk, keys_ in mine.items()
        for i, word in terms
    }


def ranked_cases(actor: Any, terms: list[Term], query: str) -> tuple[int, list[Found]]:
    codes = {t.key for t in terms if t.kind != "name"}
    whole = whole_code(query)
    if whole and any(c.isdigit() for c in whole):
        codes.add(whole)
    if not codes:
        return 0, []
    matching = visible_cases(actor=actor).filter(
        Q(docket_key__in=codes) | Q(external_key__in=codes)
    )
    total = matching.count()
    if not total:
        return 0, []
    rows = list(
        matching.order_by("pk").values(
            "pk",
            "docket_number",
            "docket_key",
            "external_case_number",
            "external_key",
            "source_key",
            "defendant__pk",
            "defendant__given_name",
            "defendant__family_name",
        )[:WINDOW]
    )
    found = []
    for row in rows:
        numbers = {row["docket_key"], row["external_key"]} - {""}
        if whole in numbers:
            score = EXACT  # the whole query is this case's number
        else:
            score = sum(EXACT for t in terms if t.key in numbers) / len(terms)
        # The court's own docket first, then a number another system gave the case.
        score *= 1.0 if row["docket_key"] in {whole, *codes} else 0.95
        label = (
            row["docket_number"] or row["source_key"],
            row["external_case_number"],
            row["defendant__family_name"],
            row["defendant__given_name"],
            row["defendant__pk"],
        )
        found.append(Found("case", row["pk"], round(max(score, 0.0001), 4), label))
    return total, found


def find(actor: Any, query: str) -> tuple[int, list[Found]]:
    """Every visible match's count, and the best of them in order (at most a window of
    each type)."""
    terms = with_fallbacks(terms_of(query))
    if not terms:
        return 0, []
    people_total, people = ranked_people(actor, terms)
    case_total, cases = ranked_cases(actor, terms, query)
    ordered = sorted(people + cases, key=lambda f: (-f.score, f.type != "person", f.id))
    return people_total + case_total, ordered
