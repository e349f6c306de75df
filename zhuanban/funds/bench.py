"""Benchmark scenarios of the ledger (``zhuanban bench``; data from the generator phase "funds").

Issue #9 sets no figure for the ledger; the goals below are the project's usual ones for a page of one
task force (median < 300 ms, API < 200 ms).  The ledger reads a fixed number of queries whatever its size.
"""

from __future__ import annotations

from typing import Any

from zhuanban.scale.bench import Request, scenario


def _raw(s: dict[str, Any]) -> list[tuple[str, list[Any]]]:
    tf = s["funds_tf_id"]
    return [("SELECT * FROM funds_budgetline WHERE taskforce_id = %s ORDER BY id", [tf]),
            ("SELECT line_id, SUM(amount) FROM funds_expense WHERE status = 'recorded' AND line_id IN "
             "(SELECT id FROM funds_budgetline WHERE taskforce_id = %s) GROUP BY line_id", [tf]),
            ("SELECT * FROM funds_expense WHERE taskforce_id = %s ORDER BY spent_on DESC, id DESC LIMIT 100", [tf]),
            ("SELECT * FROM funds_resource WHERE taskforce_id = %s ORDER BY returned_on, id", [tf])]


@scenario("funds_ledger_page", "经费保障：大专班的经费台账页面（专班办公室主任）", raw=_raw,
          goals={"median_ms": 300.0, "p95_ms": 600.0})
def ledger_page(s: dict[str, Any]) -> Request:
    return Request(s["office_username"], f"/tf/{s['funds_tf_id']}/funds/")


@scenario("funds_ledger_api", "经费台账 API：GET /taskforces/{id}/ledger（专班办公室主任）", raw=_raw,
          goals={"median_ms": 200.0, "p95_ms": 400.0})
def ledger_api(s: dict[str, Any]) -> Request:
    return Request(s["office_username"], f"/api/v1/taskforces/{s['funds_tf_id']}/ledger")
