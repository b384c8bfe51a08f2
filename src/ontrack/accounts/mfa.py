"""Second factor (CJIS IA-2): a TOTP authenticator for every account, ten one-time backup
codes, and the QR code that enrols the authenticator, drawn here (never by a remote service).

django-otp keeps each device's state in the database: ``TOTPDevice.last_t`` is the last time
step accepted, and a code is accepted only for a later step, so a code works once even when
two processes see it. Verification locks the device row first (``select_for_update``; on
SQLite the IMMEDIATE transaction takes the write lock) so two requests cannot both read the
old ``last_t`` and both succeed.
"""

from __future__ import annotations

import base64
import io

import segno
from django.db import transaction
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ontrack.accounts.models import User
from ontrack.audit.services import record_event
from ontrack.common.errors import ValidationFailed

BACKUP_CODE_COUNT = 10
TOTP_NAME = "authenticator"
BACKUP_NAME = "backup codes"


def confirmed_totp(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def is_enrolled(user: User) -> bool:
    return confirmed_totp(user) is not None


def base32_secret(device: TOTPDevice) -> str:
    """The secret as authenticator apps type it in by hand."""
    return base64.b32encode(device.bin_key).decode("ascii").rstrip("=")


def qr_svg(device: TOTPDevice) -> bytes:
    """The enrolment QR code as an SVG document (segno, no network)."""
    out = io.BytesIO()
    segno.make(device.config_url, error="m").save(
        out, kind="svg", scale=5, border=4, title="Authenticator enrolment code"
    )
    return out.getvalue()


def _new_backup_codes(user: User) -> list[str]:
    """Replace the account's backup codes with ten fresh ones (the old ones stop working)."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=BACKUP_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


def _unused_backup_codes(user: User) -> list[str]:
    return list(
        StaticToken.objects.filter(device__user=user, device__confirmed=True)
        .order_by("pk")
        .values_list("token", flat=True)
    )


@transaction.atomic
def issue_backup_codes(*, actor: User, user: User) -> list[str]:
    """Ten backup codes for a new account, printed by ``ontrack staff add`` for its owner; the
    authenticator is still enrolled at the first sign-in, and these codes stay valid then."""
    codes = _new_backup_codes(user)
    record_event(
        actor=actor,
        action="mfa.backup_codes_issued",
        target=user,
        details={"backup_codes": len(codes)},
    )
    return codes


@transaction.atomic
def start_enrollment(*, actor: User) -> TOTPDevice:
    """The account's pending authenticator, created once. Refused once one is confirmed: a
    password alone must never be enough to enrol a second authenticator."""
    if is_enrolled(actor):
        raise ValidationFailed({"code": "an authenticator is already enrolled"})
    device = TOTPDevice.objects.filter(user=actor, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=actor, name=TOTP_NAME, confirmed=False)
        record_event(actor=actor, action="mfa.enrollment_started", target=actor)
    return device


@transaction.atomic
def confirm_enrollment(*, actor: User, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the pending authenticator with a code from it; returns it and the ten backup
    codes, which are shown once (django-otp stores backup codes as issued, not hashed; they
    protect nothing once the database itself is read)."""
    if is_enrolled(actor):
        raise ValidationFailed({"code": "an authenticator is already enrolled"})
    device = TOTPDevice.objects.select_for_update().filter(user=actor, confirmed=False).first()
    if device is None:
        raise ValidationFailed({"code": "start enrolment first"})
    if not device.verify_token(code.strip()):
        raise ValidationFailed({"code": "that code is not the one your authenticator shows"})
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    # Codes an administrator handed over with a new account (``ontrack staff add``) stay the
    # account's codes; otherwise ten fresh ones.
    codes = _unused_backup_codes(actor) or _new_backup_codes(actor)
    record_event(
        actor=actor, action="mfa.enrolled", target=actor, details={"backup_codes": len(codes)}
    )
    return device, codes


@transaction.atomic
def issue_devices(*, actor: User, user: User) -> tuple[TOTPDevice, list[str]]:
    """A confirmed authenticator and ten backup codes for ``user``, replacing any it had
    (demo accounts; an administrator's MFA reset may build on it)."""
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=True)
    codes = _new_backup_codes(user)
    record_event(
        actor=actor, action="mfa.devices_issued", target=user, details={"backup_codes": len(codes)}
    )
    return device, codes


def verify_code(user: User, code: str) -> Device | None:
    """The device that accepts ``code`` (six digits: the authenticator; otherwise a backup
    code, which is then used up), or None. Each device row is locked while it checks."""
    code = "".join(code.split()).lower()
    if not code:
        return None
    found: Device | None
    with transaction.atomic():
        if code.isdigit():
            found = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        else:
            found = (
                StaticDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
            )
        if found is not None and found.verify_token(code):
            return found
    return None
