"""The authorization matrix's rows for the insight app (merged by test_authorization_matrix.py); see rows_notices.py.

Who is who for insight: admin is the office (全省); alice leads tf (组长) and leads her home unit
(办公厅); hank leads bob's home unit (住建委); olivia manages tf (办公室主任) but leads nothing.
A dashboard or the health page is not an object: a signed-in user without the role gets 403, never 404.
"""

from __future__ import annotations

from typing import Any

_SIGNED_IN = {"erin", "bob", "liam", "alice", "olivia", "hank", "admin", "charlie", "secadmin", "auditadmin"}


def _only(ok: set[str]) -> dict[str, str]:
    return {"anonymous": "anon", **{r: "ok" if r in ok else "403" for r in _SIGNED_IN}}


POLICIES: dict[str, dict[str, str]] = {
    "insight_office": _only({"admin"}),
    "insight_any_board": _only({"admin", "alice", "hank"}),
    "insight_health": _only({"admin", "alice", "olivia"}),
}
API: dict[str, str] = {
    "GET /api/v1/insight/{dashboard}": "insight_office",
    "GET /api/v1/health": "insight_health",
    "GET /api/v1/health/rules": "insight_office",
    "PUT /api/v1/health/rules/{rule_code}": "insight_office",
    "GET /api/v1/dissolution-summaries": "tf_read",
}
API_QUERY: dict[str, dict[str, Any]] = {"GET /api/v1/dissolution-summaries": {"taskforce": "tf_id"}}
WEB: dict[str, tuple[str, str]] = {
    "insight_home": ("insight_any_board", "GET"),
    "insight_board": ("insight_office", "GET"),
    "insight_health": ("insight_health", "GET"),
    "insight_rules": ("insight_office", "GET"),
    "insight_summary": ("tf_read", "GET"),
    "insight_summary_docx": ("tf_read", "GET"),
    "tf_summaries": ("tf_read_full_web", "GET"),
}


def world(cast: Any, ids: dict[str, Any]) -> None:
    """The office dashboard, the rule "oral", and an archived summary of tf shared with nobody (so only
    those who see tf may read it)."""
    from zhuanban.insight.models import DissolutionSummary

    ids["dashboard"] = "office"
    ids["rule_code"] = "oral"
    ids["summary_id"] = DissolutionSummary.objects.create(
        taskforce=cast.tf, period_number=9, dissolved_on=cast.tf.established_on,
        data={"name": cast.tf.name, "period": 9, "tasks": {"planned": 0, "done": 0, "done_on_time": None,
                                                           "overdue": None}, "seconded": [], "targets": []}).pk
