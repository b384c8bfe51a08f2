"""Staff accounts. Roles are Django groups (see ``roles.py``); nothing bypasses permissions."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.crypto import salted_hmac


class User(AbstractUser):
    """A member of staff. Custom from day one so fields can be added without a rewrite."""

    # CJIS IA-5: set by an administrator's reset; the next sign-in changes the password first.
    must_change_password = models.BooleanField(default=False)
    # CJIS AC-2: raised when an administrator disables the account or resets its password or
    # second factor. It is part of every session's auth hash (below), so each session signed
    # in before the change stops matching at its next request and is flushed: disabling ends
    # every live session at once, and re-enabling cannot revive one (ADR 0036).
    session_generation = models.PositiveIntegerField(default=0, editable=False)
    # Optimistic locking for the administrators' staff pages (principle 5).
    row_version = models.PositiveIntegerField(default=1, editable=False)
    # CJIS AC-2(3): when an administrator last enabled the account; the 90-day inactivity
    # clock runs from the latest of this, the last sign-in and the account's creation.
    enabled_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        swappable = "AUTH_USER_MODEL"
        verbose_name = "user"
        verbose_name_plural = "users"
        permissions = [
            ("access_ontrack", "Can sign in and use OnTrack"),
            ("manage_staff", "Can create staff accounts and assign roles"),
        ]

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        # Django's hash covers the password only; the generation makes an administrator's
        # disable (or reset) end sessions even when the password stays the same.
        key_salt = "ontrack.accounts.User.get_session_auth_hash"
        return salted_hmac(
            key_salt,
            f"{self.session_generation}:{self.password}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()


class TokenScope(models.TextChoices):
    READ = "read", "read only"
    WRITE = "write", "read and write"


class ApiToken(models.Model):
    """A bearer token for the REST API (issue 9 item 6, ADR 0053). It acts as its user.

    Only a SHA-256 hash of the token is stored (the token is 256 random bits, so a slow
    password hash adds nothing); ``prefix`` is the token's first characters, not secret,
    shown to identify it (CJIS IA-5(1): authenticators are never stored in the clear).
    """

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="api_tokens")
    prefix = models.CharField(max_length=16, unique=True)
    token_hash = models.CharField(max_length=64, unique=True)
    scope = models.CharField(max_length=5, choices=TokenScope.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    last_used_at = models.DateTimeField(null=True, blank=True)  # null: never used

    class Meta:
        verbose_name = "API token"
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self) -> str:
        return f"token {self.prefix}"
