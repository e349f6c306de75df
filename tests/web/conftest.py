"""Helpers for the page tests: log in as one of the cast, read field errors out of a page."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.test import Client


@pytest.fixture
def as_user(client: Client):
    """``as_user(cast.alice)`` logs the test client in as that user and returns the client."""

    def login(user: Any) -> Client:
        client.force_login(user)
        return client

    return login


def text(response: Any) -> str:
    return html.unescape(response.content.decode())


def field_errors(response: Any, name: str) -> list[str]:
    """The error messages shown next to field ``name`` (see web/forms/field.html)."""
    pattern = rf'data-field-error="{re.escape(name)}">(.*?)</div>'
    return [html.unescape(m) for m in re.findall(pattern, response.content.decode(), flags=re.S)]


def form_error(response: Any) -> str:
    """The form-level alert (a refusal that belongs to no single field)."""
    m = re.search(r'data-testid="form-error">(.*?)</div>', response.content.decode(), flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", m.group(1))).strip() if m else ""
