"""Benchmark scenarios of the meeting pages (``zhuanban bench``; the runner is ``zhuanban.scale.bench``)."""

from __future__ import annotations

from typing import Any

from zhuanban.scale.bench import Request, scenario
from zhuanban.taskforces.models import TaskForce

from .models import Attendance, DutyShift, Meeting

M, A, S, TF = Meeting._meta.db_table, Attendance._meta.db_table, DutyShift._meta.db_table, TaskForce._meta.db_table
ROW = f"SELECT m.id, m.title, m.kind, m.starts_at, m.ends_at, m.location, m.status, tf.name FROM {M} m " \
      f"JOIN {TF} tf ON tf.id = m.taskforce_id"


def _tab_raw(s: dict[str, Any]) -> list[tuple[str, list[Any]]]:
    tf = s["taskforce_id"]
    return [(f"{ROW} WHERE m.taskforce_id = %s AND m.ends_at >= CURRENT_TIMESTAMP ORDER BY m.starts_at LIMIT 10", [tf]),
            (f"{ROW} WHERE m.taskforce_id = %s AND m.ends_at < CURRENT_TIMESTAMP ORDER BY m.starts_at DESC LIMIT 10",
             [tf]),
            (f"SELECT s.id, s.date, s.person_id FROM {S} s WHERE s.taskforce_id = %s AND s.date >= CURRENT_DATE "
             f"ORDER BY s.date LIMIT 14", [tf])]


@scenario("tf_meetings", "会商与值守：大专班的会商页（会议、值班、驻点、核验）", raw=_tab_raw)
def tf_meetings(s: dict[str, Any]) -> Request:
    return Request(s["head_username"], f"/tf/{s['taskforce_id']}/meetings/")


def _meeting_raw(s: dict[str, Any]) -> list[tuple[str, list[Any]]]:
    from zhuanban.tasks.models import Task

    T = Task._meta.db_table
    return [(f"{ROW} WHERE m.id = %s", [s["meeting_id"]]),
            (f"SELECT a.id, a.person_id, a.status FROM {A} a WHERE a.meeting_id = %s", [s["meeting_id"]]),
            (f"SELECT t.lead_unit_id, t.light, COUNT(*) FROM {T} t WHERE t.taskforce_id = %s AND t.status <> 'done' "
             f"GROUP BY t.lead_unit_id, t.light", [s["taskforce_id"]]),
            (f"SELECT t.id, t.title FROM {T} t WHERE t.taskforce_id = %s AND t.status <> 'done' "
             f"AND t.light IN ('red', 'yellow') ORDER BY t.due_at LIMIT 200", [s["taskforce_id"]])]


@scenario("meeting_page", "会议页（按专班情况生成的议程、出席、纪要）", raw=_meeting_raw)
def meeting_page(s: dict[str, Any]) -> Request:
    return Request(s["head_username"], f"/meetings/{s['meeting_id']}/")


def _list_raw(s: dict[str, Any]) -> list[tuple[str, list[Any]]]:
    return [(f"SELECT COUNT(*) FROM {M} m WHERE m.taskforce_id = %s", [s["taskforce_id"]]),
            (f"{ROW} WHERE m.taskforce_id = %s ORDER BY m.starts_at, m.id LIMIT 50", [s["taskforce_id"]])]


@scenario("api_meetings", "API 会议列表（大专班）", raw=_list_raw)
def api_meetings(s: dict[str, Any]) -> Request:
    return Request(s["head_username"], f"/api/v1/meetings?taskforce={s['taskforce_id']}&limit=50")


def _my_raw(s: dict[str, Any]) -> list[tuple[str, list[Any]]]:
    return [(f"{ROW} JOIN {A} a ON a.meeting_id = m.id JOIN org_person p ON p.id = a.person_id "
             f"JOIN org_user u ON u.id = p.user_id WHERE u.username = %s AND m.ends_at >= CURRENT_TIMESTAMP "
             f"ORDER BY m.starts_at LIMIT 50", [s["head_username"]])]


@scenario("my_meetings", "我的会商（跨专班的会议、值班、订阅链接）", raw=_my_raw)
def my_meetings(s: dict[str, Any]) -> Request:
    return Request(s["head_username"], "/my-meetings/")
