"""The authorization matrix's rows for the assessment app (merged by test_authorization_matrix.py); see rows_notices.py."""

from __future__ import annotations

from typing import Any

POLICIES: dict[str, dict[str, str]] = {}
API: dict[str, str] = {}
API_QUERY: dict[str, dict[str, Any]] = {}
WEB: dict[str, tuple[str, str]] = {}


def world(cast: Any, ids: dict[str, Any]) -> None:
    return None
