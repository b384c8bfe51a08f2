"""Django's ModelBackend with the inactivity rule (CJIS AC-2(3), ADR 0037)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import backends
from django.http import HttpRequest


class ModelBackend(backends.ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            return None
        from ontrack.accounts.staff import disable_if_inactive

        # The right password for an account unused for 90 days disables it: the sign-in
        # fails like any other (the page does not tell a stranger the password was right).
        if disable_if_inactive(user=user):
            return None
        return user
