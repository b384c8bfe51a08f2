"""Panels: what each app contributes to the pages that show a program at work.

The participant page, the case manager's day and the supervisor's program view
(``ontrack.participants``) are made of panels. Each app above this one registers its panels
in ``AppConfig.ready``; a panel's ``context`` reads through that app's selectors (which know
who is asking) in a constant number of queries, and its ``template`` renders them.

``page`` is "participant" (``subject`` is the visible ``Enrollment``), "day" (``subject`` is
the office's date) or "program" (``subject`` is the ``Program``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

PAGES = ("participant", "day", "program")


@dataclass(frozen=True)
class Panel:
    page: str
    order: int  # smaller first
    slug: str  # the panel's anchor on the page (``#plan``)
    title: str
    template: str
    context: Callable[[Any, Any], dict[str, Any]]  # (actor, subject) → template context


_PANELS: dict[str, dict[str, Panel]] = {page: {} for page in PAGES}


def register(panel: Panel) -> None:
    if panel.page not in PAGES:
        raise ValueError(f"no page {panel.page!r}; pages: {PAGES}")
    _PANELS[panel.page][panel.slug] = panel


def panels(page: str) -> list[Panel]:
    return sorted(_PANELS[page].values(), key=lambda p: (p.order, p.slug))
