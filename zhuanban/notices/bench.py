"""Benchmark scenarios of notices (``zhuanban bench``; data from the generator phase "notices").

Goals of issue #8: the inbox of a person with ~5,000 items < 100 ms median.  No app/raw ratio goal: the
SQL of these pages is 1–2 ms, so the ratio measures the fixed cost of any request (session, account,
middleware, the navbar), not the page.  The two figures that are not
page loads — a notice to 10,000 recipients accepted < 1 s with all receipts < 10 s, a reminder sweep over
200,000 open tasks < 5 s — are measured by ``zhuanban notices_bench`` (management command of this app).
"""

from __future__ import annotations

from typing import Any

from zhuanban.scale.bench import Request, scenario

from .models import InboxItem

T = InboxItem._meta.db_table


def _inbox_raw(s: dict[str, Any]) -> list[tuple[str, list[Any]]]:
    """The page's own SQL: the counts, the ordered ids of the first page, those rows."""
    pid = s["notices_inbox_person_id"]
    return [(f"SELECT COUNT(*), COUNT(*) FILTER (WHERE read_at IS NULL), COUNT(*) FILTER (WHERE requires_ack "
             f"AND acked_at IS NULL), COUNT(*) FILTER (WHERE priority = 0 AND read_at IS NULL) FROM {T} "
             f"WHERE person_id = %s AND priority <> 2", [pid]),
            (f"SELECT i.* FROM {T} i LEFT JOIN notices_notice n ON n.id = i.notice_id WHERE i.id IN (SELECT id "
             f"FROM {T} WHERE person_id = %s AND priority <> 2 ORDER BY priority, due_at NULLS LAST, "
             f"created_at DESC, id DESC LIMIT 51)", [pid])]


@scenario("inbox_5k", "收件箱：约 5,000 条消息的个人收件箱页面", raw=_inbox_raw,
          goals={"median_ms": 100.0, "p95_ms": 250.0})
def inbox_5k(s: dict[str, Any]) -> Request:
    return Request(s["notices_inbox_username"], "/inbox/")


@scenario("api_inbox", "收件箱 API：约 5,000 条消息（第一页，含未读与待确认计数）", raw=_inbox_raw,
          goals={"median_ms": 100.0, "p95_ms": 250.0})
def api_inbox(s: dict[str, Any]) -> Request:
    return Request(s["notices_inbox_username"], "/api/v1/inbox")


def _receipts_raw(s: dict[str, Any]) -> list[tuple[str, list[Any]]]:
    return [(f"SELECT COUNT(*), COUNT(read_at), COUNT(acked_at) FROM {T} WHERE notice_id = %s",
             [s["notices_notice_id"]]),
            (f"SELECT * FROM {T} WHERE notice_id = %s ORDER BY acked_at, read_at LIMIT 50", [s["notices_notice_id"]])]


@scenario("notice_receipts", "回执表：一条通知的回执（发送人）", raw=_receipts_raw,
          goals={"median_ms": 100.0, "p95_ms": 250.0})
def notice_receipts(s: dict[str, Any]) -> Request:
    return Request(s["notices_sender_username"], f"/api/v1/notices/{s['notices_notice_id']}/receipts")
