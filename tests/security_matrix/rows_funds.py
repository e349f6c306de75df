"""The authorization matrix's rows for the funds app (merged by test_authorization_matrix.py); see rows_notices.py.

Reading the ledger: whoever sees the task force, except external-only members (API 403 — they see the task
force —, page 404 like the other full-view tabs); writing and the .xlsx export (it names payees): its
managers.  Objects are looked up among the task forces the caller sees (others 404), then the write needs
the manage right (403).
"""

from __future__ import annotations

from typing import Any

_SIGNED_IN = {"erin", "bob", "liam", "alice", "olivia", "hank", "admin", "charlie", "secadmin", "auditadmin"}
_MANAGERS = {"alice", "olivia", "admin"}
_HIDDEN = {"charlie", "secadmin", "auditadmin", "erin"}  # erin: no 经费保障 pages for an external member
POLICIES: dict[str, dict[str, str]] = {
    "funds_manage_web": {"anonymous": "anon", **{r: "ok" if r in _MANAGERS else "404" if r in _HIDDEN else "403"
                                                 for r in _SIGNED_IN}},
}
API: dict[str, str] = {
    "GET /api/v1/taskforces/{tf_id}/ledger": "tf_read_full_api",
    "POST /api/v1/taskforces/{tf_id}/budget-lines": "tf_manage",
    "PATCH /api/v1/budget-lines/{line_id}": "tf_manage",
    "POST /api/v1/budget-lines/{line_id}/approve": "tf_manage",
    "POST /api/v1/taskforces/{tf_id}/expenses": "tf_manage",
    "PATCH /api/v1/expenses/{expense_id}": "tf_manage",
    "POST /api/v1/expenses/{expense_id}/void": "tf_manage",
    "POST /api/v1/taskforces/{tf_id}/procurements": "tf_manage",
    "POST /api/v1/taskforces/{tf_id}/resources": "tf_manage",
    "PATCH /api/v1/resources/{resource_id}": "tf_manage",
    "POST /api/v1/resources/{resource_id}/return": "tf_manage",
}
API_QUERY: dict[str, dict[str, Any]] = {}
WEB: dict[str, tuple[str, str]] = {
    "tf_funds": ("tf_read_full_web", "GET"),
    "tf_funds_line": ("funds_manage_web", "POST"),
    "tf_funds_line_approve": ("funds_manage_web", "POST"),
    "tf_funds_line_edit": ("funds_manage_web", "POST"),
    "tf_funds_expense": ("funds_manage_web", "POST"),
    "tf_funds_expense_void": ("funds_manage_web", "POST"),
    "tf_funds_procurement": ("funds_manage_web", "POST"),
    "tf_funds_resource": ("funds_manage_web", "POST"),
    "tf_funds_resource_return": ("funds_manage_web", "POST"),
    "tf_funds_export": ("funds_manage_web", "GET"),
}


def world(cast: Any, ids: dict[str, Any]) -> None:
    """An approved line of the cast's task force with one expense, and a borrowed room not yet returned
    (the web routes name them ``line_id`` / ``expense_id`` / ``resource_id`` like the API)."""
    from zhuanban.funds import services

    line = services.create_line(cast.olivia, cast.tf, {"name": "矩阵预算线", "amount": "1000", "document_no": "矩阵文号"})
    ids["line_id"] = line.pk
    services.approve_line(cast.olivia, line)
    ids["expense_id"] = services.record_expense(cast.olivia, cast.tf, {
        "line": line.pk, "spent_on": "2026-02-01", "payee": "矩阵收款方", "purpose": "矩阵", "amount": "1"}).pk
    ids["resource_id"] = services.create_resource(cast.olivia, cast.tf, {
        "name": "矩阵会议室", "kind": "meeting_room", "lent_by": cast.units.gov.pk, "borrowed_on": "2026-01-10"}).pk
