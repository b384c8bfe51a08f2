"""Reads of the offense catalog (public reference data: any signed-in staff may read it).

Everything comes from the one catalog API (``lookup.catalog()``); there are no tables.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ontrack.offenses.codes import StatuteCodeError
from ontrack.offenses.lookup import CodeInfo, catalog


def catalog_listing(*, actor: Any, category: str = "") -> list[CodeInfo]:
    """The codes the category overlays name, each looked up; filtered to a category that
    applies or may apply."""
    if not actor.has_perm("offenses.view_statute"):
        return []
    loaded = catalog()
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
