"""The keys a search finds people and cases by, computed as Polars expressions (ADR 0044).

One definition serves every writer: the services (one person at a time), the imports and the
synthetic loader (whole frames, no Python per row), and the search itself, which puts the
words of a query through the same expressions, so a query and a record meet on equal terms.

- ``text_key``: accents removed (Unicode NFKD, combining marks dropped: "José" → "jose"),
  lower case, everything but letters and digits dropped ("O'Brien" → "obrien",
  "CRI-2025-000123" → "cri2025000123").
- name words: every word of a name, its parts split at hyphens and apostrophes, and the whole
  name run together, so "López-García" is found by "Lopez", "Garcia" and "LopezGarcia", and
  "de la Cruz" by "Cruz" and "delacruz".
- ``sound_key``: American Soundex (National Archives, "The Soundex Indexing System", 2007),
  so "garsia" meets "garcia" (both g620).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import polars as pl
from django.db import transaction

from ontrack.ingest.bulk import insert_frame
from ontrack.people.models import (
    Person,
    PersonAlias,
    PersonIdentifier,
    PersonSearchKey,
    SearchKeyKind,
)

NAME_FIELDS = ("given_name", "middle_name", "family_name")
KEY_COLUMNS = {"person_id": pl.Int64, "kind": pl.String, "key": pl.String}
MAX_KEY = 100  # PersonSearchKey.key's length

# Soundex letter codes; vowels (and y) are "0", which separates equal codes, h and w are
# dropped, which does not (the National Archives rule).
_CODES = {
    **dict.fromkeys("bfpv", "1"),
    **dict.fromkeys("cgjkqsxz", "2"),
    **dict.fromkeys("dt", "3"),
    "l": "4",
    **dict.fromkeys("mn", "5"),
    "r": "6",
    **dict.fromkeys("aeiouy", "0"),
}


# Letters NFKD does not take apart, written as English-language records write them.
_LETTERS = {"ß": "ss", "ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th"}


def folded(expr: pl.Expr) -> pl.Expr:
    """Without accents, lower case; punctuation kept (the word splitting needs it)."""
    return (
        expr.cast(pl.String)
        .fill_null("")
        .str.normalize("NFKD")
        .str.replace_all(r"\p{M}", "")
        .str.to_lowercase()
        .str.replace_many(list(_LETTERS), list(_LETTERS.values()))
    )


def text_key(expr: pl.Expr) -> pl.Expr:
    """Letters and digits only, without accents, lower case."""
    return folded(expr).str.replace_all(r"[^\p{L}\p{N}]", "")


def sound_key(expr: pl.Expr) -> pl.Expr:
    """Soundex of a ``text_key`` word of letters; null for words with digits or under two
    letters (no sound worth comparing)."""
    word = expr
    first = word.str.slice(0, 1)
    coded = pl.concat_str(
        first.str.replace_all("[hw]", "0"), word.str.slice(1).str.replace_all("[hw]", "")
    ).str.replace_many(list(_CODES), list(_CODES.values()))
    for digit in "0123456":
        coded = coded.str.replace_all(f"{digit}+", digit)
    digits = coded.str.slice(1).str.replace_all("0", "")
    code = pl.concat_str(first, digits, pl.lit("000")).str.slice(0, 4)
    usable = word.str.contains(r"^[a-z]{2,}$")
    return pl.when(usable).then(code).otherwise(None)


def name_words(expr: pl.Expr) -> pl.Expr:
    """The name words of one name (a list): each word, its hyphen/apostrophe parts, and the
    whole name run together."""
    text = folded(expr)
    parts = text.str.split(" ").list.eval(pl.element().str.replace_all(r"[^\p{L}\p{N}]", ""))
    pieces = text.str.extract_all(r"[\p{L}\p{N}]+")
    whole = text.str.replace_all(r"[^\p{L}\p{N}]", "")
    return pl.concat_list(parts, pieces, whole)


def _empty() -> pl.DataFrame:
    return pl.DataFrame(schema=KEY_COLUMNS)


def _names(frame: pl.DataFrame, fields: Iterable[str]) -> pl.DataFrame:
    present = [f for f in fields if f in frame.columns]
    if not present or frame.height == 0:
        return _empty().select("person_id", "key")
    # Names repeat (a caseload has many Garcias): each distinct name is split once, joined back.
    parts = []
    for f in present:
        names = frame.select(pl.col("person_id").cast(pl.Int64), pl.col(f).cast(pl.String))
        distinct = names.select(pl.col(f).unique()).with_columns(name_words(pl.col(f)).alias("key"))
        parts.append(
            names.join(distinct, on=f, how="left", nulls_equal=True).select("person_id", "key")
        )
    return (
        pl.concat(parts)
        .explode("key")
        .filter(pl.col("key").is_not_null() & (pl.col("key").str.len_chars() > 0))
    )


def _sounds(words: pl.DataFrame) -> pl.DataFrame:
    """The sound of each name word, computed once per distinct word."""
    distinct = words.select(pl.col("key").unique()).with_columns(
        sound_key(pl.col("key")).alias("sound")
    )
    return words.join(distinct, on="key", how="left").select(
        "person_id", pl.lit(SearchKeyKind.SOUND.value).alias("kind"), pl.col("sound").alias("key")
    )


def person_keys(
    people: pl.DataFrame,
    aliases: pl.DataFrame | None = None,
    identifiers: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Every key of the given people, one row each (``person_id``, ``kind``, ``key``).

    ``people`` has ``person_id`` and any of the name fields and ``date_of_birth`` (a Polars
    Date); ``aliases`` ``person_id``, ``given_name``, ``family_name``; ``identifiers``
    ``person_id``, ``value``."""
    words = pl.concat(
        [_names(people, NAME_FIELDS)]
        + ([] if aliases is None else [_names(aliases, ("given_name", "family_name"))])
    )
    frames = [
        words.select("person_id", pl.lit(SearchKeyKind.NAME.value).alias("kind"), "key"),
        _sounds(words),
    ]
    if "date_of_birth" in people.columns:
        frames.append(
            people.select(
                pl.col("person_id").cast(pl.Int64),
                pl.lit(SearchKeyKind.BIRTH_DATE.value).alias("kind"),
                pl.col("date_of_birth").cast(pl.Date).dt.strftime("%Y%m%d").alias("key"),
            )
        )
    if identifiers is not None and identifiers.height:
        frames.append(
            identifiers.select(
                pl.col("person_id").cast(pl.Int64),
                pl.lit(SearchKeyKind.IDENTIFIER.value).alias("kind"),
                text_key(pl.col("value")).alias("key"),
            )
        )
    keys = pl.concat([f.cast(KEY_COLUMNS) for f in frames])  # type: ignore[arg-type]
    return (
        keys.filter(pl.col("key").is_not_null() & (pl.col("key").str.len_chars() > 0))
        .with_columns(pl.col("key").str.slice(0, MAX_KEY))
        .unique(maintain_order=True)
    )


def code_key_column(expr: pl.Expr) -> pl.Expr:
    """A docket or case number as a key ("CRI-2025-000123" → "cri2025000123"); "" if none."""
    return text_key(expr)


def code_key(value: str | None) -> str:
    """``code_key_column`` for one value (the cases services and the search's query)."""
    return str(pl.select(code_key_column(pl.lit(value or "", dtype=pl.String))).item())


def words_of(values: Sequence[str]) -> list[list[str]]:
    """``name_words`` of each value, without blanks (the search's scoring, one frame)."""
    frame = pl.DataFrame({"v": list(values)}, schema={"v": pl.String})
    lists = frame.select(name_words(pl.col("v")).alias("w")).get_column("w").to_list()
    return [[w for w in dict.fromkeys(ws) if w] for ws in lists]


def sounds_of(words: Sequence[str]) -> list[str | None]:
    frame = pl.DataFrame({"w": list(words)}, schema={"w": pl.String})
    return frame.select(sound_key(pl.col("w"))).to_series().to_list()


def texts_of(values: Sequence[str]) -> list[str]:
    frame = pl.DataFrame({"v": list(values)}, schema={"v": pl.String})
    return frame.select(text_key(pl.col("v"))).to_series().to_list()


def refresh_person_keys(person_ids: Iterable[int]) -> None:
    """Recompute the keys of these people from what is stored now (inside the writer's
    transaction). Every writer of a person, alias or identifier calls this, or writes
    ``person_keys`` of its frames itself."""
    ids = sorted(set(person_ids))
    if not ids:
        return
    people = pl.DataFrame(
        list(Person.objects.filter(pk__in=ids).values("id", *NAME_FIELDS, "date_of_birth")),
        schema={"id": pl.Int64, **dict.fromkeys(NAME_FIELDS, pl.String), "date_of_birth": pl.Date},
    ).rename({"id": "person_id"})
    aliases = pl.DataFrame(
        list(
            PersonAlias.objects.filter(person_id__in=ids).values(
                "person_id", "given_name", "family_name"
            )
        ),
        schema={"person_id": pl.Int64, "given_name": pl.String, "family_name": pl.String},
    )
    identifiers = pl.DataFrame(
        list(PersonIdentifier.objects.filter(person_id__in=ids).values("person_id", "value")),
        schema={"person_id": pl.Int64, "value": pl.String},
    )
    with transaction.atomic():  # the writer's transaction, or one of its own: never half
        PersonSearchKey.objects.filter(person_id__in=ids).delete()
        write_person_keys(person_keys(people, aliases, identifiers))


def write_person_keys(keys: pl.DataFrame) -> None:
    """Insert key rows (from ``person_keys``) in bulk, inside the caller's transaction."""
    if keys.height:
        insert_frame(PersonSearchKey, keys, with_ids=False)
