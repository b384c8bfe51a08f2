"""Reads of the offense catalog (public reference data: any signed-in staff may read it).

Everything comes from the one catalog API (``lookup.catalog()``); there are no tables.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ontrack.offenses.codes import StatuteCodeError, normalise
from ontrack.offenses.lookup import CodeInfo, catalog


def _squashed(text: str) -> str:
    """Letters and digits only, lower case: "11352(a) HS", "hs 11352a" and "HS11352(a)" meet."""
    return re.sub(r"[^0-9a-z]", "", text.lower())


def _as_code(query: str) -> str:
    """The query read as a statute code in any written order ("11352(a) HS"), squashed;
    otherwise the query itself, squashed."""
    try:
        return _squashed(normalise(query))
    except StatuteCodeError:
        return _squashed(query)


def _matches(info: CodeInfo, words: list[str], squashed: str) -> bool:
    """The query is in the code (punctuation and spacing ignored), or every word of it is in
    the description ("burglary", "sale controlled")."""
    if squashed and squashed in _squashed(info.code.text):
        return True
    description = (info.description or "").lower()
    return bool(words) and all(w in description for w in words)


def catalog_listing(*, actor: Any, category: str = "", query: str = "") -> list[CodeInfo]:
    """The codes the category overlays name, each looked up; filtered to a category that
    applies or may apply. With ``query``: every code the catalog knows whose code or
    description matches it (``_matches``), not only those an overlay names."""
    if not actor.has_perm("offenses.view_statute"):
        return []
    loaded = catalog()
    query = query.strip()
    if query:
        words = query.lower().split()
        infos = [loaded.lookup(code) for code in loaded.codes()]
        squashed = _as_code(query)
        infos = [i for i in infos if _matches(i, words, squashed)]
    else:
        infos = [loaded.lookup(code) for code in sorted(loaded.data.sections)]
    if category:
        infos = [i for i in infos if category in i.definite | i.possible]
    return infos


def code_info(code: str, on: dt.date | None = None) -> CodeInfo | None:
    """The catalog's answer for a stored code; None when blank or not readable as a code."""
    if not code:
        return None
    try:
        return catalog().lookup(code, on)
    except StatuteCodeError:
        return None
