"""HTTP helpers for the API tests: a client that carries a Bearer token issued for a user."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from zhuanban.core.tokens import issue_token

BASE = "/api/v1"


class Api:
    """A ``django.test.Client`` speaking JSON to /api/v1 with ``Authorization: Bearer <token>``."""

    def __init__(self, user: Any = None, *, scope: str = "write", token: str | None = None) -> None:
        self.token = token if token is not None else (issue_token(user, scope=scope) if user else "")
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        self.client = Client(headers=headers)

    def url(self, path: str) -> str:
        return path if path.startswith(BASE) else BASE + path

    def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return self.client.get(self.url(path), params or {})

    def post(self, path: str, data: Any = None) -> Any:
        return self.client.post(self.url(path), json.dumps(data if data is not None else {}),
                                content_type="application/json")

    def patch(self, path: str, data: Any) -> Any:
        return self.client.patch(self.url(path), json.dumps(data), content_type="application/json")


@pytest.fixture
def api(cast) -> Callable[..., Api]:
    """``api(cast.alice)`` → a client acting as alice; ``api(user, scope="read")`` for a read-only token."""
    return Api


def error(response: Any, status: int, code: str) -> dict[str, Any]:
    """Assert ``response`` is the API's error shape with ``status`` and ``code``; return the body."""
    assert response.status_code == status, response.content.decode()
    body = response.json()
    assert body["code"] == code, body
    assert isinstance(body["message"], str) and body["message"]
    assert isinstance(body["fields"], dict)
    return body
