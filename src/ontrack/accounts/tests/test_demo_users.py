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


def test_demo_logins_print_a_working_authenticator_key_and_backup_codes(db: None) -> None:
    """``make demo`` stays one step: what is printed is enough to sign in (CJIS IA-2)."""
    import base64

    from django_otp.oath import TOTP

    from ontrack.accounts import mfa

    out = io.StringIO()
    call_command("create_demo_users", stdout=out)
    login, key, uri, codes = out.getvalue().splitlines()[1:5]
    assert login.split()[-2] == "demo-case-manager"
    user = User.objects.get(username="demo-case-manager")
    assert user.must_change_password is False
    secret = key.split(": ")[1].strip()
    assert uri.split()[2].startswith("otpauth://totp/OnTrack%3Ademo-case-manager?secret=")
    printed = codes.split(":", 1)[1].split()
    assert len(printed) == 10
    totp = TOTP(base64.b32decode(secret + "=" * (-len(secret) % 8)))
    assert mfa.verify_code(user, f"{totp.token():06d}") is not None
    assert mfa.verify_code(user, printed[0]) is not None
    assert mfa.verify_code(user, printed[0]) is None  # used up
    # Running it again replaces the codes: the old ones stop working.
    call_command("create_demo_users", stdout=io.StringIO())
    assert mfa.verify_code(user, printed[1]) is None
