"""Tokens and calls for the API tests."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from ontrack.accounts.models import User
from ontrack.accounts.services import system_actor
from ontrack.accounts.tokens import issue_token


def token_for(user: User, scope: str = "write", days: int = 90) -> str:
    return issue_token(actor=system_actor(), username=user.username, scope=scope, days=days)[1]


class Api:
    """A plain test client (no session) that sends one bearer token."""

    def __init__(self, token: str) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {token}"}

    def _call(self, method: str, path: str, body: Any = None, **params: Any) -> Any:
        kwargs: dict[str, Any] = {"headers": self.headers}
        if body is not None:
            kwargs.update(data=json.dumps(body), content_type="application/json")
        elif params:
            kwargs["data"] = params
        return getattr(self.client, method)(f"/api/v1/{path}", **kwargs)

    def get(self, path: str, **params: Any) -> Any:
        return self._call("get", path, **params)

    def post(self, path: str, body: Any) -> Any:
        return self._call("post", path, body)

    def patch(self, path: str, body: Any) -> Any:
        return self._call("patch", path, body)

    def delete(self, path: str, body: Any) -> Any:
        return self._call("delete", path, body)
