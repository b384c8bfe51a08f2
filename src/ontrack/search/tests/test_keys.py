"""The search keys themselves (``people/search_keys.py``), against hand-written values."""

from __future__ import annotations

import datetime as dt

import polars as pl

from ontrack.people.search_keys import code_key, person_keys, sounds_of


def test_soundex_gives_the_national_archives_codes() -> None:
    # The National Archives' own examples: h and w do not separate equal codes (Ashcraft),
    # vowels do (Tymczak), the first letter's code counts for doubles (Pfister).
    words = ["robert", "rupert", "ashcraft", "tymczak", "pfister", "hughes", "lee", "e", "a1"]
    assert sounds_of(words) == [
        "r163", "r163", "a261", "t522", "p236", "h220", "l000", None, None,
    ]  # fmt: skip


def test_a_person_keys_are_words_parts_wholes_sounds_date_and_identifiers() -> None:
    people = pl.DataFrame(
        {
            "person_id": [7],
            "given_name": ["José"],
            "middle_name": [""],
            "family_name": ["López-García"],
            "date_of_birth": [dt.date(1991, 3, 7)],
        }
    )
    aliases = pl.DataFrame({"person_id": [7], "given_name": [""], "family_name": ["O'Brien"]})
    identifiers = pl.DataFrame({"person_id": [7], "value": ["A-12 34"]})
    keys = person_keys(people, aliases, identifiers)
    assert sorted(keys.iter_rows()) == sorted(
        [
            (7, "n", "jose"),
            (7, "n", "lopezgarcia"),
            (7, "n", "lopez"),
            (7, "n", "garcia"),
            (7, "n", "obrien"),
            (7, "n", "o"),
            (7, "n", "brien"),
            (7, "s", "j200"),
            (7, "s", "l126"),
            (7, "s", "l120"),
            (7, "s", "g620"),
            (7, "s", "o165"),
            (7, "s", "b650"),
            (7, "d", "19910307"),
            (7, "i", "a1234"),
        ]
    )


def test_case_numbers_lose_punctuation_and_case() -> None:
    assert [code_key(v) for v in ("CRI-2025-000123", "ab 77/123", "", None)] == [
        "cri2025000123", "ab77123", "", "",
    ]  # fmt: skip
