"""Every view declares the permission it needs; anything undeclared is denied.

``requires("people.view_person")`` and ``public`` mark views. ``DeclaredPermissionMiddleware``
refuses, at run time, any view that carries neither mark (deny by default), and the URLconf
walk test fails the build for the same reason before it ships.

Signing in is part of the same gate: a signed-in session reaches a declared view only once
its second factor is verified (CJIS IA-2) and, after an administrator's password reset,
once the password is changed (CJIS IA-5). Only views marked ``sign_in_step`` (the steps
themselves) are reached before that.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

View = TypeVar("View", bound=Callable[..., HttpResponse])

PERMISSION_ATTR = "ontrack_permission"
PUBLIC = "__public__"
SIGN_IN_STEP = "__sign_in_step__"
API_TOKEN = "__api_token__"  # noqa: S105  # a marker, not a secret


def requires(permission: str) -> Callable[[View], View]:
    """Declare and enforce the Django permission ``app_label.codename`` a view needs."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.has_perm(permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        setattr(wrapped, PERMISSION_ATTR, permission)
        return wrapped  # type: ignore[return-value]

    return decorate


def public(view: View) -> View:
    """Declare a view that anyone may reach (login page, static health check)."""
    view = login_not_required(view)
    setattr(view, PERMISSION_ATTR, PUBLIC)
    return view


def sign_in_step(view: View) -> View:
    """Declare a step of signing in (second factor, enrolment, password change): it needs a
    signed-in session but not yet a verified one. The view checks anything further."""
    setattr(view, PERMISSION_ATTR, SIGN_IN_STEP)
    return view


def api_endpoint(view: View) -> View:
    """Declare a REST API view (``ontrack.api``): no session, no sign-in redirect; the view
    itself refuses every request without a valid bearer token (ADR 0054: a token is its own
    factor). The permission it needs is checked by the API's own permission class."""
    view = login_not_required(view)
    setattr(view, PERMISSION_ATTR, API_TOKEN)
    return view


def declared_permission(view: Any) -> str | None:
    """The permission a view declared, following class-based ``as_view`` wrappers."""
    found = getattr(view, PERMISSION_ATTR, None)
    if found is None and hasattr(view, "view_class"):
        found = getattr(view.view_class, PERMISSION_ATTR, None)
    return found


class DeclaredPermissionMiddleware:
    """Deny by default: a view without a declared permission is never served."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], *args: Any
    ) -> HttpResponse | None:
        declared = declared_permission(view_func)
        if declared is None:
            raise PermissionDenied
        if declared in (PUBLIC, SIGN_IN_STEP, API_TOKEN) or not request.user.is_authenticated:
            return None
        # CJIS IA-2: no page without the second factor. Without django-otp's middleware
        # there is no ``is_verified`` and nothing is verified (deny by default).
        is_verified = getattr(request.user, "is_verified", None)
        if not (callable(is_verified) and is_verified()):
            return redirect_to_login(request.get_full_path(), settings.OTP_LOGIN_URL)
        # CJIS IA-5: after an administrator's reset, the password is changed before all else.
        if getattr(request.user, "must_change_password", False):
            return redirect_to_login(request.get_full_path(), settings.ONTRACK_PASSWORD_CHANGE_URL)
        return None
