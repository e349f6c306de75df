"""Benchmark scenarios of accountability (``zhuanban bench``; data from the generator phase
"accountability").  Goal of issue #9: the portrait of one person in under 100 ms median at province
scale (1,000 task forces, 50,000 people, 200,000 tasks)."""

from __future__ import annotations

from typing import Any

from zhuanban.scale.bench import Request, scenario


def _portrait_raw(s: dict[str, Any]) -> list[tuple[str, list[Any]]]:
    """The heart of the portrait: the person's tasks counted per task force, and their supervision."""
    pid = s["portrait_person_id"]
    return [("SELECT taskforce_id, COUNT(*), COUNT(*) FILTER (WHERE status = 'done') FROM tasks_task "
             "WHERE responsible_id = %s GROUP BY taskforce_id", [pid]),
            ("SELECT kind, COUNT(*) FROM accountability_supervision WHERE person_id = %s GROUP BY kind", [pid])]


@scenario("person_portrait", "个体责任画像 API：一人跨多个专班的责任画像（本人查看）", raw=_portrait_raw,
          goals={"median_ms": 100.0, "p95_ms": 250.0})
def person_portrait(s: dict[str, Any]) -> Request:
    return Request(s["portrait_username"], f"/api/v1/people/{s['portrait_person_id']}/portrait")


@scenario("person_portrait_page", "个体责任画像页面（本人查看，含图表数据）", raw=_portrait_raw,
          goals={"median_ms": 100.0, "p95_ms": 250.0})
def person_portrait_page(s: dict[str, Any]) -> Request:
    return Request(s["portrait_username"], f"/people/{s['portrait_person_id']}/portrait/")


def _list_raw(s: dict[str, Any]) -> list[tuple[str, list[Any]]]:
    return [("SELECT id, title, status, light, due_at, responsible_id, decision_owner_id, lead_unit_id FROM tasks_task "
             "WHERE taskforce_id = %s ORDER BY parent_id, id LIMIT 100", [s["taskforce_id"]])]


# The daily-page time goals without the app/raw ratio: the SQL of one page of 100 rows is a fraction of a
# millisecond, so the ratio would measure the fixed cost of any request (as notices/bench.py explains).
@scenario("responsibility_list", "责任清单：最大专班（省级 2,000 项任务）的“责任与督办”标签页，第一页 100 项（组长查看）",
          raw=_list_raw, goals={"median_ms": 150.0, "p95_ms": 400.0})
def responsibility_list(s: dict[str, Any]) -> Request:
    return Request(s["head_username"], f"/tf/{s['taskforce_id']}/accountability/")
