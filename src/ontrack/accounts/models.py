"""Staff accounts. Roles are Django groups (see ``roles.py``); nothing bypasses permissions."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """A member of staff. Custom from day one so fields can be added without a rewrite."""

    # CJIS IA-5: set by an administrator's reset; the next sign-in changes the password first.
    must_change_password = models.BooleanField(default=False)

    class Meta:
        swappable = "AUTH_USER_MODEL"
        verbose_name = "user"
        verbose_name_plural = "users"
        permissions = [
            ("access_ontrack", "Can sign in and use OnTrack"),
            ("manage_staff", "Can create staff accounts and assign roles"),
        ]
