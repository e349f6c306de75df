"""The authorization matrix's rows for the notices app (merged by test_authorization_matrix.py).

POLICIES: extra named policies (see ``policy`` there); API: "METHOD /api/v1/path" -> policy name;
API_QUERY: "METHOD path" -> {query param: ids key}; WEB: URL name -> (policy name, method);
world(cast, ids): create the objects the URLs name and put their ids into ``ids`` (keys = the path
parameter names, e.g. "meeting_id"; they must not clash with other apps').
"""

from __future__ import annotations

from typing import Any

POLICIES: dict[str, dict[str, str]] = {}
API: dict[str, str] = {}
API_QUERY: dict[str, dict[str, Any]] = {}
WEB: dict[str, tuple[str, str]] = {
    "tf_notices": ("tf_read", "GET"), "inbox": ("any_user", "GET"),
}


def world(cast: Any, ids: dict[str, Any]) -> None:
    """Nothing yet."""
