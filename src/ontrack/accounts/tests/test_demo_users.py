"""``ontrack create_demo_users`` prints passwords the validators accept: a random draw that
the similarity validator refuses is drawn again (a CLI test once failed on such a draw)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command

from ontrack.accounts.models import User


def test_a_refused_random_password_is_drawn_again(db: None, monkeypatch: Any) -> None:
    # The first draw is the username itself (refused as too similar), then good ones.
    draws = iter(["demo-case-manager", *(f"Zq8-pLr2-vW9x{i:03d}" for i in range(10))])
    monkeypatch.setattr("secrets.token_urlsafe", lambda _n: next(draws))
    out = io.StringIO()
    call_command("create_demo_users", stdout=out)
    first = out.getvalue().splitlines()[1].split()
    assert first[-2:] == ["demo-case-manager", "Zq8-pLr2-vW9x000"]
    user = User.objects.get(username="demo-case-manager")
    assert user.check_password("Zq8-pLr2-vW9x000")
    assert not user.check_password("demo-case-manager")


def test_the_refusal_is_real(db: None) -> None:
    """The draw above is one the site's validators do refuse for that user."""
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="too similar"):
        validate_password("demo-case-manager", User(username="demo-case-manager"))
