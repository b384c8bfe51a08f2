"""``{% load policies %}``: ``{{ slug|policy_name }}``, what pages call a policy (policy.py)."""

from __future__ import annotations

from django import template

from ontrack.eligibility.policy import policy_name as _policy_name

register = template.Library()


@register.filter
def policy_name(slug: str) -> str:
    return _policy_name(slug)
