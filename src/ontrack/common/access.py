"""Every view declares the permission it needs; anything undeclared is denied.

``requires("people.view_person")`` and ``public`` mark views. ``DeclaredPermissionMiddleware``
refuses, at run time, any view that carries neither mark (deny by default), and the URLconf
walk test fails the build for the same reason before it ships.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

View = TypeVar("View", bound=Callable[..., HttpResponse])

PERMISSION_ATTR = "ontrack_permission"
PUBLIC = "__public__"


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

    def process_view(self, request: HttpRequest, view_func: Callable[..., Any], *args: Any) -> None:
        if declared_permission(view_func) is None:
            raise PermissionDenied
