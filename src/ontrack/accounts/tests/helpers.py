"""Signing in from tests: an enrolled authenticator, its current code, a verified session."""

from __future__ import annotations

import time
from typing import Any

from django.http import HttpRequest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from ontrack.accounts.models import User
from ontrack.accounts.session_limits import VERIFIED_AT


def enrolled_device(user: User) -> TOTPDevice:
    """The user's confirmed authenticator, created if missing (no audit: test set-up)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def current_code(device: TOTPDevice, at: float | None = None) -> str:
    """The code the user's authenticator app shows now, computed from the device's secret."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() if at is None else at
    return f"{totp.token():0{device.digits}d}"


class VerifiedClient(Client):
    """``force_login`` as a full sign-in: password session, verified second factor (what
    ``django_otp.login`` stores) and a fresh re-authentication time. Tests of the sign-in
    gates themselves use a plain ``django.test.Client``."""

    def force_login(self, user: Any, backend: str | None = None) -> None:
        super().force_login(user, backend)
        self._verify(user)

    def login(self, **credentials: Any) -> bool:
        # django-axes needs the request to count the attempt (CJIS AC-7).
        credentials.setdefault("request", HttpRequest())
        if not super().login(**credentials):
            return False
        self._verify(User.objects.get(username=credentials["username"]))
        return True

    def _verify(self, user: User) -> None:
        device = enrolled_device(user)
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session[VERIFIED_AT] = time.time()
        session.save()
