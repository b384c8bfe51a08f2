"""PostgreSQL's own matching tools in the search (ADR 0044): pg_trgm finds name words a
typo away through the GIN trigram index on the name keys, and fuzzystrmatch's
``levenshtein`` scores a word found only by sound or trigrams in the database, with the same
number rapidfuzz gives on SQLite: ``levenshtein(a, b, 1, 1, 2)`` (a substitution costs a
deletion and an insertion) is the Indel distance, and 1 - Indel / (len a + len b) is
``rapidfuzz.fuzz.ratio`` / 100. One scoring rule, two engines, the same tests.
"""

from __future__ import annotations

from django.contrib.postgres.lookups import TrigramSimilar
from django.db import connection
from django.db.models import (
    CharField,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    IntegerField,
    Max,
    Q,
    Value,
)
from django.db.models.functions import Cast, Length

from ontrack.people.models import PersonSearchKey, SearchKeyKind

# pg_trgm's ``%`` (similarity at least pg_trgm.similarity_threshold, 0.3 by default): the
# lookup Django ships for it, registered here rather than by installing contrib.postgres.
CharField.register_lookup(TrigramSimilar)


def active() -> bool:
    return connection.vendor == "postgresql"


def near_word(word: str) -> Q:
    """Name keys within trigram similarity of ``word`` (the GIN index, partial on kind n)."""
    return Q(kind=SearchKeyKind.NAME.value, key__trigram_similar=word)


def closeness(person_ids: list[int], terms: list[tuple[int, str]]) -> dict[tuple[int, int], float]:
    """(person, term) → the closest of the person's name keys to the term's word, as
    rapidfuzz's ratio / 100, computed by levenshtein in one grouped query."""
    ratios = {}
    for i, word in terms:
        indel = Func(
            F("key"), Value(word), Value(1), Value(1), Value(2),
            function="levenshtein", output_field=IntegerField(),
        )  # fmt: skip
        ratios[f"r{i}"] = Max(
            ExpressionWrapper(
                Value(1.0)
                - Cast(indel, FloatField()) / Cast(Length("key") + Value(len(word)), FloatField()),
                output_field=FloatField(),
            )
        )
    rows = (
        PersonSearchKey.objects.filter(person_id__in=person_ids, kind=SearchKeyKind.NAME.value)
        .values("person_id")
        .annotate(**ratios)
    )
    return {(row["person_id"], i): row[f"r{i}"] for row in rows for i, _ in terms}
