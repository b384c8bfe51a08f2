"""Who a described person may already be: referral intake before creating a person, and the
person page's possible duplicates (ADR 0044).

Tolerant the way staff mistype: accents and punctuation (the search keys), typos (Soundex
keys find the candidates, rapidfuzz ratios score them), given and family names swapped
(scored both ways round, the better kept), compound surnames (a family name that shares a
word scores as similar), and birth dates one digit off, with two digits transposed, or with
day and month swapped. A candidate needs both names found, or one name and the same birth
date; every reason is given in words.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Exists, IntegerField, Max, OuterRef, Q, Value, When
from django.db.models.functions import Cast
from rapidfuzz import fuzz

from ontrack.people.models import Person, PersonSearchKey, SearchKeyKind
from ontrack.people.search_keys import sounds_of, texts_of, words_of
from ontrack.people.selectors import visible_people

CANDIDATES = 200  # scored in Python, best first by the indexed keys
NAME_SHARE, BIRTH_SHARE = 0.6, 0.4
SAME, SIMILAR = 0.999, 0.75  # name similarity that reads "same" / "similar"
SHARED = 0.9  # a shared word of a compound name: similar, not the same
BIRTH_SCORES = {"same": 1.0, "near": 0.7, "unknown": 0.3, "different": 0.0}


@dataclass(frozen=True)
class Scored:
    person: Person
    score: float
    reasons: list[str]
    birth: str  # "same", "near", "unknown", "different"


def _keys(words: list[str]) -> Q:
    where = Q(pk__in=[])
    sounds = [s for s in sounds_of(words) if s]
    if words:
        where |= Q(kind=SearchKeyKind.NAME.value, key__in=words)
    if sounds:
        where |= Q(kind=SearchKeyKind.SOUND.value, key__in=sounds)
    return where


def _found(where: Q) -> Exists:
    return Exists(PersonSearchKey.objects.filter(where, person_id=OuterRef("pk")))


def birth_closeness(asked: dt.date | None, stored: dt.date | None) -> tuple[str, str]:
    """How two birth dates compare, and the reason in words."""
    if asked is None or stored is None:
        return "unknown", "date of birth not known"
    if asked == stored:
        return "same", "same date of birth"
    if (asked.year, asked.month, asked.day) == (stored.year, stored.day, stored.month):
        return "near", "date of birth with day and month swapped"
    a, b = asked.strftime("%Y%m%d"), stored.strftime("%Y%m%d")
    differ = [i for i in range(8) if a[i] != b[i]]
    if len(differ) == 1:
        return "near", "date of birth one digit different"
    if len(differ) == 2 and differ[1] == differ[0] + 1 and a[differ[0]] == b[differ[1]]:
        return "near", "date of birth with two digits transposed"
    return "different", "different date of birth"


def _similarity(asked: tuple[str, list[str]], stored: tuple[str, list[str]]) -> float:
    """0 to 1: one name (its whole key and its words) against another. The same letters
    score 1; sharing a word of a compound surname ("Garcia" and "López-García") scores
    ``SHARED`` x the word overlap, similar but never the same."""
    (a_whole, a_words), (b_whole, b_words) = asked, stored
    if not a_whole or not b_whole:
        return 0.0
    whole = fuzz.ratio(a_whole, b_whole) / 100
    shared = fuzz.token_set_ratio(" ".join(a_words), " ".join(b_words)) / 100
    return max(whole, SHARED * shared)


def _name_reasons(given: float, family: float, swapped: bool) -> list[str]:
    reasons = []
    for part, value in (("family name", family), ("given name", given)):
        if value >= SAME:
            reasons.append(f"same {part}")
        elif value >= SIMILAR:
            reasons.append(f"similar {part}")
    if swapped and reasons:
        reasons.append("given and family names swapped")
    return reasons


def scored_matches(
    *,
    actor: Any,
    given_name: str,
    family_name: str,
    date_of_birth: dt.date | None,
    exclude: int | None = None,
) -> list[Scored]:
    given_words, family_words = words_of([given_name, family_name])
    asked_given = (texts_of([given_name])[0], given_words)
    asked_family = (texts_of([family_name])[0], family_words)
    if not given_words and not family_words:
        return []
    given_q, family_q = _keys(given_words), _keys(family_words)
    birth_q = Q(pk__in=[])
    if date_of_birth is not None:
        birth_q = Q(kind=SearchKeyKind.BIRTH_DATE.value, key=date_of_birth.strftime("%Y%m%d"))
    # One pass over the matching keys (indexed by kind and key), grouped by person: both
    # names found, or one name and the same birth date.
    flags = (
        PersonSearchKey.objects.filter(given_q | family_q | birth_q)
        .values("person_id")
        .annotate(
            g=Max(Case(When(given_q, then=1), default=0, output_field=IntegerField())),
            f=Max(Case(When(family_q, then=1), default=0, output_field=IntegerField())),
            d=Max(Case(When(birth_q, then=1), default=0, output_field=IntegerField())),
        )
        .filter(Q(g=1, f=1) | Q(d=1) & (Q(g=1) | Q(f=1)))
        .values("person_id")
    )
    found = visible_people(actor=actor).filter(pk__in=flags)
    if exclude is not None:
        found = found.exclude(pk=exclude)
    exact_family = _found(Q(kind=SearchKeyKind.NAME.value, key__in=family_words or [""]))
    coarse = Cast(exact_family, IntegerField()) * Value(2) + Cast(
        _found(Q(kind=SearchKeyKind.NAME.value, key__in=given_words or [""])), IntegerField()
    )
    candidates = list(found.annotate(coarse=coarse).order_by("-coarse", "pk")[:CANDIDATES])
    names = [p.given_name for p in candidates] + [p.family_name for p in candidates]
    words, wholes = words_of(names), texts_of(names)
    n = len(candidates)
    results = []
    for i, person in enumerate(candidates):
        p_given, p_family = (wholes[i], words[i]), (wholes[n + i], words[n + i])
        straight = (_similarity(asked_given, p_given), _similarity(asked_family, p_family))
        crossed = (_similarity(asked_given, p_family), _similarity(asked_family, p_given))
        swapped = sum(crossed) > sum(straight)
        given, family = crossed if swapped else straight
        birth, birth_reason = birth_closeness(date_of_birth, person.date_of_birth)
        name = (given + family) / 2 if given_words and family_words else max(given, family)
        score = NAME_SHARE * name + BIRTH_SHARE * BIRTH_SCORES[birth]
        reasons = [*_name_reasons(given, family, swapped), birth_reason]
        results.append(Scored(person, round(max(score, 0.0001), 4), reasons, birth))
    results.sort(key=lambda s: (-s.score, s.person.pk))
    return results
