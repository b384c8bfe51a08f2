"""Machine names in words, for pages (issue 9, item 7: no field names, slugs or enum values
on any page).

Where a name has a label of its own (a model field's verbose name, a choice's label, a fact's
meaning, a permission's name), pages show that label; this is the fallback for the names that
have none — audit actions (``case.fact_recorded``), keys of recorded changes, stored tokens
(``needs_information``) — so that nothing reaches a page as ``snake_case``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

# A machine token: lower-case words joined by underscores or dots (``work_authorization``,
# ``case.screened``, ``cases.add_case``). Ordinary words, codes and sentences are left alone.
_TOKEN = re.compile(r"[a-z][a-z0-9]*(?:[._][a-z0-9]+)+")


def in_words(value: Any) -> str:
    """``needs_information`` → ``needs information``; lists joined; yes/no; blank → ``—``."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(in_words(v) for v in value) if value else "none"
    if isinstance(value, dict):
        return "; ".join(f"{in_words(k)}: {in_words(v)}" for k, v in value.items())
    return _TOKEN.sub(lambda m: m.group(0).replace("_", " ").replace(".", " "), str(value))


# Stored values some app can name better than ``in_words`` (a policy's slug → its name);
# registered by that app's ``AppConfig.ready``, so that lower layers (the audit trail) can
# show them without importing upward.
_VALUE_WORDS: dict[str, Callable[[str], str]] = {}


def register_value_words(key: str, words: Callable[[str], str]) -> None:
    _VALUE_WORDS[key] = words


def value_in_words(key: str, value: Any) -> str:
    """``value`` stored under ``key`` (a change's field, a detail's name), in words."""
    words = _VALUE_WORDS.get(key)
    if words is not None and isinstance(value, str) and value:
        return words(value)
    return in_words(value)
