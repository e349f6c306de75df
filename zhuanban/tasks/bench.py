"""Benchmark scenarios of the task pages (``zhuanban bench``; the runner is ``zhuanban.scale.bench``)."""

from __future__ import annotations

from typing import Any

from zhuanban.org.models import Person, Unit
from zhuanban.scale.bench import Request, scenario
from zhuanban.taskforces.models import TaskForce

from .models import Milestone, Task

T, TF, U, P = Task._meta.db_table, TaskForce._meta.db_table, Unit._meta.db_table, Person._meta.db_table
OPEN = tuple(s for s in Task.Status.values if s not in Task.CLOSED)
_IN = ", ".join(["%s"] * len(OPEN))
# The columns a task row shows, with the names it shows (task force, lead unit, responsible person).
ROW = (f"SELECT t.id, t.title, t.status, t.light, t.progress, t.priority, t.start_at, t.due_at, t.version, "
       f"tf.name, u.name, p.name FROM {T} t JOIN {TF} tf ON tf.id = t.taskforce_id "
       f"LEFT JOIN {U} u ON u.id = t.lead_unit_id LEFT JOIN {P} p ON p.id = t.responsible_id")
URGENCY = "CASE t.light WHEN 'red' THEN 0 WHEN 'yellow' THEN 1 WHEN 'green' THEN 2 ELSE 3 END"


def _my_raw(s: dict[str, Any]) -> list[tuple[str, list[Any]]]:
    where = f"WHERE t.responsible_id = %s AND t.status IN ({_IN})"
    return [(f"SELECT COUNT(*) FROM {T} t {where}", [s["busy_person_id"], *OPEN]),
            (f"{ROW} {where} ORDER BY {URGENCY}, t.due_at, t.priority, t.id LIMIT 50",
             [s["busy_person_id"], *OPEN])]


@scenario("my_tasks", "我的任务（忙碌的人，跨专班）", raw=lambda s: [(q.replace("LIMIT 50", "LIMIT 500"), p)
                                                         for q, p in _my_raw(s)])
def my_tasks(s: dict[str, Any]) -> Request:
    return Request(s["busy_username"], "/my-tasks/")


@scenario("api_my_tasks", "API 我的任务", raw=_my_raw)
def api_my_tasks(s: dict[str, Any]) -> Request:
    return Request(s["busy_username"], "/api/v1/my-tasks?limit=50")


def _tree_raw(s: dict[str, Any]) -> list[tuple[str, list[Any]]]:
    return [(f"{ROW} WHERE t.taskforce_id = %s ORDER BY t.id", [s["taskforce_id"]]),
            (f"SELECT m.task_id, m.title, m.due_on FROM {Milestone._meta.db_table} m JOIN {T} t ON t.id = m.task_id "
             f"WHERE t.taskforce_id = %s ORDER BY m.due_on", [s["taskforce_id"]])]


@scenario("tf_wall_chart", "挂图作战：大专班全部任务的甘特图", raw=_tree_raw)
def tf_wall_chart(s: dict[str, Any]) -> Request:
    return Request(s["head_username"], f"/tf/{s['taskforce_id']}/tasks/?view=gantt")


def _tree_page_raw(s: dict[str, Any]) -> list[tuple[str, list[Any]]]:
    return [(f"SELECT t.id, t.parent_id, t.status, t.light FROM {T} t WHERE t.taskforce_id = %s ORDER BY t.id",
             [s["taskforce_id"]]),
            (f"{ROW} WHERE t.taskforce_id = %s ORDER BY t.id LIMIT 200", [s["taskforce_id"]])]


@scenario("tf_task_tree", "任务树（大专班，第一页）", raw=_tree_page_raw)
def tf_task_tree(s: dict[str, Any]) -> Request:
    return Request(s["head_username"], f"/tf/{s['taskforce_id']}/tasks/")


@scenario("tf_kanban", "看板（大专班）", raw=_tree_page_raw)
def tf_kanban(s: dict[str, Any]) -> Request:
    return Request(s["head_username"], f"/tf/{s['taskforce_id']}/tasks/?view=kanban")


def _filtered_raw(s: dict[str, Any]) -> list[tuple[str, list[Any]]]:
    where = "WHERE t.taskforce_id = %s AND t.light = %s"
    return [(f"SELECT COUNT(*) FROM {T} t {where}", [s["taskforce_id"], "red"]),
            (f"{ROW} {where} ORDER BY t.due_at, t.id LIMIT 50", [s["taskforce_id"], "red"])]


@scenario("api_tasks_filtered", "API 任务列表（按专班、亮灯筛选）", raw=_filtered_raw)
def api_tasks_filtered(s: dict[str, Any]) -> Request:
    return Request(s["head_username"], f"/api/v1/tasks?taskforce={s['taskforce_id']}&light=red&limit=50")


def _all_raw(s: dict[str, Any]) -> list[tuple[str, list[Any]]]:
    return [(f"SELECT COUNT(*) FROM {T} t WHERE t.status IN ({_IN})", list(OPEN)),
            (f"{ROW} WHERE t.status IN ({_IN}) ORDER BY t.due_at, t.id LIMIT 50", list(OPEN))]


@scenario("api_tasks_office", "API 任务列表（办公室，全部在办任务）", raw=_all_raw)
def api_tasks_office(s: dict[str, Any]) -> Request:
    return Request(s["office_director_username"], "/api/v1/tasks?status=in_progress&limit=50")


def _text_raw(s: dict[str, Any]) -> list[tuple[str, list[Any]]]:
    like = f"%{s['search_text']}%"
    where = "WHERE t.taskforce_id = %s AND (t.title LIKE %s OR t.description LIKE %s)"
    return [(f"SELECT COUNT(*) FROM {T} t {where}", [s["taskforce_id"], like, like]),
            (f"{ROW} {where} ORDER BY t.due_at, t.id LIMIT 50", [s["taskforce_id"], like, like])]


@scenario("api_tasks_text", "API 任务列表（专班内全文检索）", raw=_text_raw)
def api_tasks_text(s: dict[str, Any]) -> Request:
    from urllib.parse import quote

    return Request(s["head_username"],
                   f"/api/v1/tasks?taskforce={s['taskforce_id']}&q={quote(s['search_text'])}&limit=50")


def _detail_raw(s: dict[str, Any]) -> list[tuple[str, list[Any]]]:
    return [(f"{ROW} WHERE t.id = %s", [s["task_id"]]),
            (f"{ROW} WHERE t.parent_id = %s ORDER BY t.id", [s["task_id"]])]


@scenario("task_detail", "任务详情页", raw=_detail_raw)
def task_detail(s: dict[str, Any]) -> Request:
    return Request(s["head_username"], f"/tasks/{s['task_id']}/")


@scenario("api_task_detail", "API 任务详情（含下级、派发链、历史）", raw=_detail_raw)
def api_task_detail(s: dict[str, Any]) -> Request:
    return Request(s["head_username"], f"/api/v1/tasks/{s['task_id']}")


@scenario("lights_recompute", "全部任务重新亮灯（后台作业）", kind="job", goals={"median_ms": 2000.0})
def lights_recompute(s: dict[str, Any]) -> Any:
    from .lights import recompute_lights

    return recompute_lights
