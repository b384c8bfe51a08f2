"""``{% load words %}``: ``{{ value|in_words }}`` shows a stored name in words (common/words.py)."""

from __future__ import annotations

from typing import Any

from django import template

from ontrack.common.words import in_words as _in_words

register = template.Library()


@register.filter
def in_words(value: Any) -> str:
    return _in_words(value)
