"""Bearer-token authentication and scope for the REST API (ADRs 0053, 0054).

``Authorization: Bearer TOKEN`` is the only way in: the API has no session authentication,
so a signed-in browser's cookie alone reaches nothing (401) and there is nothing for a
cross-site request to ride on (no CSRF surface). A token acts as its user: the same
permissions and the same visibility rule (``cases/visibility.py``), limited by its scope.

A refused token is written to the access stream here (``api.token_refused``), with the
reason, since no view runs to note it; a refused scope (403) is written by the access log's
``request.denied``, and every answered request by the view's ``note_access``.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from ontrack.accounts.models import ApiToken, User
from ontrack.accounts.tokens import TokenRefused, allows, check_token
from ontrack.audit.access import record_access
from ontrack.audit.models import Outcome

ACCESS = "accounts.access_ontrack"
INVALID = "the bearer token is missing, malformed, unknown, expired or revoked"


class BearerTokenAuthentication(BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[User, ApiToken] | None:
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != b"bearer":
            return None  # then 401: no other way in
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(INVALID)
        try:
            raw = header[1].decode("ascii")
            token = check_token(raw)
        except (UnicodeDecodeError, TokenRefused) as exc:
            reason = exc.reason if isinstance(exc, TokenRefused) else "malformed token"
            found = exc.token if isinstance(exc, TokenRefused) else None
            record_access(
                actor=found.user if found else None,
                username=found.user.get_username() if found else "",
                action="api.token_refused",
                outcome=Outcome.DENIED,
                status_code=401,
                object_type="api_token",
                object_id=found.prefix if found else "",
                details={"reason": reason},
                method=request.method or "",
                path=request.path,
            )
            raise exceptions.AuthenticationFailed(INVALID) from exc
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="ontrack"'


class TokenAllows(BasePermission):
    """A valid token whose user may use OnTrack and the endpoint, within the token's scope
    (``read``: GET only; a write with it is a 403 and nothing is written)."""

    message = "this token or its account does not allow this request"

    def has_permission(self, request: Request, view: Any) -> bool:
        token = request.auth
        if not isinstance(token, ApiToken):
            raise exceptions.NotAuthenticated(INVALID)
        user = request.user
        needed = [ACCESS, *getattr(view, "required_permissions", ())]
        if not all(user.has_perm(p) for p in needed):
            return False
        return allows(token, request.method or "")


class BearerScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = "ontrack.api.auth.BearerTokenAuthentication"
    name = "bearerToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer", "description": "ontrack staff token"}
